// A gridlink instance for scripts (benchmarks, screenshots): its own DATA_DIR under .data/tools unless
// DATA_DIR or DATABASE_URL is set, on a free port.
import path from 'node:path';
import { loadConfig, repoRoot } from '../server/config.ts';
import { startGridlink, type Running } from '../server/start.ts';

export async function startToolInstance(
  tag: string,
): Promise<{ running: Running; countyCode: string; dataDir: string }> {
  const config = loadConfig();
  const dataDir = process.env.DATA_DIR ? config.dataDir : path.join(repoRoot, '.data', 'tools');
  console.error(`[${tag}] starting gridlink on ${config.databaseUrl ? 'DATABASE_URL' : dataDir} …`);
  const running = await startGridlink({ ...config, dataDir, port: 0 });
  return { running, countyCode: config.countyCode, dataDir };
}
