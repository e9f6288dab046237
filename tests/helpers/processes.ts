import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { repoRoot } from '../../server/config.ts';

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Runs TypeScript entry points of the repository (never with the test's DATABASE_URL), collecting what they
 * print; `killAll` ends whatever is still running. Node itself runs the script (tsx as a loader, no wrapper
 * process), so a signal reaches the program: SIGKILL kills the server, not a launcher in front of it.
 */
export function processRunner() {
  const children: ChildProcess[] = [];

  function run(script: string, args: string[], env: Record<string, string>, stdin?: string) {
    const { DATABASE_URL: _ignored, ...base } = process.env;
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: repoRoot,
      env: { ...base, ...env },
      stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    children.push(child);
    if (stdin !== undefined) child.stdin!.end(stdin);
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    // 'close', not 'exit': everything the program printed has been read by then.
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    const waitFor = async (text: string, ms = 240_000) => {
      const end = Date.now() + ms;
      while (!output.includes(text)) {
        if (child.exitCode !== null) throw new Error(`exited (${child.exitCode}) before "${text}":\n${output}`);
        if (Date.now() > end) throw new Error(`timed out waiting for "${text}":\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    return { child, exited, waitFor, output: () => output };
  }

  function killAll() {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  }

  return { run, killAll };
}
