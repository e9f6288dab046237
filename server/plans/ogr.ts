// GDAL's command-line tools (Debian gdal-bin) for the planner's files. Every call spawns the tool with an argument
// list (never a shell string) in a temporary directory, with an environment built from scratch that leaves only
// the drivers the call names (server/plans/gdal-env.ts), without network where the kernel allows it, under
// resource limits (prlimit: output file size, memory, CPU) and a wall-clock limit after which it is SIGKILLed.
// Standard output is capped: results are written to files, not collected.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gdalEnv, networkSandbox, READ_ONLY_SQLITE, type Driver } from './gdal-env.ts';

export class OgrFailed extends Error {
  constructor(
    readonly tool: string,
    readonly stderr: string,
    readonly reason: 'failed' | 'timeout' | 'output' = 'failed',
  ) {
    super(`${tool} failed: ${stderr.trim().split('\n').slice(-3).join(' ').slice(0, 300)}`);
  }
}

export const OGR_LIMITS = {
  /** Wall-clock time of one GDAL call. */
  timeoutMs: 120_000,
  /** CPU seconds of one call (prlimit --cpu). */
  cpuSeconds: 120,
  /** Largest file a call may write (prlimit --fsize): the converted upload. */
  fileBytes: 512 * 1024 * 1024,
  /** Address space of one call (prlimit --as). */
  memoryBytes: 3 * 1024 * 1024 * 1024,
  /** Standard output kept (layer listings and summaries); past it the call is stopped. */
  stdoutBytes: 4 * 1024 * 1024,
  stderrBytes: 64 * 1024,
};

export interface OgrOptions {
  /** The only drivers GDAL may use in this call. */
  drivers: readonly Driver[];
  /** Working and home directory (a private temp dir). */
  dir: string;
  /** Reading an untrusted SQLite-based file: no untrusted schema functions, no writes. */
  readOnlySqlite?: boolean;
  timeoutMs?: number;
}

let prlimit: Promise<boolean> | undefined;
const hasPrlimit = () =>
  (prlimit ??= new Promise((resolve) =>
    execFile('prlimit', ['--version'], { env: { PATH: '/usr/bin:/bin' }, timeout: 10_000 }, (error) => resolve(!error)),
  ));

/** Runs ogr2ogr or ogrinfo; resolves with its (capped) stdout, rejects with OgrFailed carrying GDAL's message. */
export async function ogr(tool: 'ogr2ogr' | 'ogrinfo', args: string[], options: OgrOptions): Promise<string> {
  const env = await gdalEnv(options.dir, options.drivers, options.readOnlySqlite ? READ_ONLY_SQLITE : {});
  const limits = (await hasPrlimit())
    ? [
        'prlimit',
        `--fsize=${OGR_LIMITS.fileBytes}`,
        `--as=${OGR_LIMITS.memoryBytes}`,
        `--cpu=${OGR_LIMITS.cpuSeconds}`,
        '--',
      ]
    : [];
  const [command, ...rest] = [...(await networkSandbox()), ...limits, tool, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(command, rest, { cwd: options.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let failure: OgrFailed['reason'] | null = null;
    const stop = (reason: OgrFailed['reason']) => {
      failure ??= reason;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => stop('timeout'), options.timeoutMs ?? OGR_LIMITS.timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.length > OGR_LIMITS.stdoutBytes) stop('output');
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-OGR_LIMITS.stderrBytes);
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new OgrFailed(tool, error.message));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (failure === 'timeout')
        reject(new OgrFailed(tool, `stopped after ${(options.timeoutMs ?? OGR_LIMITS.timeoutMs) / 1000} s`, 'timeout'));
      else if (failure === 'output') reject(new OgrFailed(tool, 'too much output', 'output'));
      else if (signal === 'SIGXFSZ')
        reject(new OgrFailed(tool, `output larger than ${OGR_LIMITS.fileBytes / 1024 / 1024} MB`, 'output'));
      else if (code !== 0 || signal) reject(new OgrFailed(tool, stderr || `exit ${code ?? signal}`));
      else resolve(stdout);
    });
  });
}

/** Runs `work` with a fresh private temporary directory (mode 0700), removed whatever happens. */
export async function withTempDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'gridlink-plan-files-'));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
