// GDAL's command-line tools (Debian gdal-bin) for the planner's files: every call spawns the tool with an argument
// list (never a shell string) inside a temporary directory that is removed afterwards.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export class OgrFailed extends Error {
  constructor(readonly tool: string, readonly stderr: string) {
    super(`${tool} failed: ${stderr.trim().split('\n').slice(-3).join(' ')}`);
  }
}

/** Runs ogr2ogr or ogrinfo; resolves with stdout, rejects with OgrFailed carrying GDAL's message. */
export function ogr(tool: 'ogr2ogr' | 'ogrinfo', args: string[], cwd?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(tool, args, { cwd, encoding: 'utf8', maxBuffer: 512 << 20, timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) reject(new OgrFailed(tool, stderr || error.message));
      else resolve(stdout);
    });
  });
}

/** Runs `work` with a fresh temporary directory, removed whatever happens. */
export async function withTempDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'gridlink-plan-files-'));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
