import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../server/config.ts';

const children: ChildProcess[] = [];
const dirs: string[] = [];

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Runs the server entry point as `npm start` does, collecting what it prints. */
function startServer(env: Record<string, string>) {
  const { DATABASE_URL: _ignored, ...base } = process.env;
  const child = spawn(path.join(repoRoot, 'node_modules/.bin/tsx'), ['server/main.ts'], {
    cwd: repoRoot,
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const waitFor = async (text: string, ms = 240_000) => {
    const end = Date.now() + ms;
    while (!output.includes(text)) {
      if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}) before "${text}":\n${output}`);
      if (Date.now() > end) throw new Error(`timed out waiting for "${text}":\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return { child, exited, waitFor, output: () => output };
}

describe('npm start on an empty DATA_DIR', () => {
  it('creates the database, loads the demo data with progress, serves, refuses a second start, stops cleanly', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridlink-start-'));
    dirs.push(dataDir);
    const port = await freePort();
    const first = startServer({ DATA_DIR: dataDir, PORT: String(port) });
    await first.waitFor('Ready:');
    expect(first.output()).toContain('Creating a private PostgreSQL cluster');
    expect(first.output()).toMatch(/\[100%\] social_organisations: 85 rows/);

    const health = await (await fetch(`http://127.0.0.1:${port}/api/health`)).json();
    expect(health).toMatchObject({ status: 'ok', db: 'ok' });
    // The private cluster listens on a unix socket only.
    expect(fs.existsSync(path.join(dataDir, 'run', '.s.PGSQL.5432'))).toBe(true);

    const samePort = startServer({ DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'gridlink-port-')), PORT: String(port) });
    expect(await samePort.exited).toBe(1);
    expect(samePort.output()).toContain(`port ${port}`);

    const sameDir = startServer({ DATA_DIR: dataDir, PORT: String(await freePort()) });
    expect(await sameDir.exited).toBe(1);
    expect(sameDir.output()).toContain('in use by another gridlink server');

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('Stopped.');
    expect(fs.existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('fails with a clear message when DATABASE_URL cannot be reached', async () => {
    const s = startServer({ DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none', PORT: String(await freePort()) });
    expect(await s.exited).toBe(1);
    expect(s.output()).toContain('cannot start');
  });
});
