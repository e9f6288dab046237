// The database db:backup and db:restore work on: DATABASE_URL, or the embedded cluster of DATA_DIR — used as
// it is when a gridlink server runs on it, started for the command (and stopped after) otherwise.
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import type { PoolConfig } from 'pg';
import { loadConfig } from '../server/config.ts';
import { embeddedConnection, startCluster, type Cluster } from '../server/db/cluster.ts';
import { ensurePostgresBinaries, pgBinDir } from '../server/db/postgres-binaries.ts';

export const log = (line: string) => console.log(`[gridlink] ${line}`);

export interface DbTarget {
  /** A libpq URI for pg_dump / pg_restore. */
  uri: string;
  connection: PoolConfig;
  /** Whether a running gridlink server uses it. */
  inUse: boolean;
  close(): Promise<void>;
}

function uriOf(c: PoolConfig): string {
  return `postgresql://${encodeURIComponent(String(c.user))}@/${encodeURIComponent(String(c.database))}?host=${encodeURIComponent(String(c.host))}&port=${c.port}`;
}

export async function openTarget(): Promise<DbTarget> {
  const config = loadConfig();
  if (config.databaseUrl) {
    log('Using the database at DATABASE_URL.');
    return { uri: config.databaseUrl, connection: { connectionString: config.databaseUrl }, inUse: false, close: async () => undefined };
  }
  ensurePostgresBinaries(log);
  const embedded = embeddedConnection(config.dataDir);
  if (embedded.inUse) {
    log(`Using the embedded database of the gridlink server running on ${config.dataDir}.`);
    return { uri: uriOf(embedded.connection), connection: embedded.connection, inUse: true, close: async () => undefined };
  }
  const cluster: Cluster = await startCluster(config.dataDir, log);
  return { uri: uriOf(cluster.connection), connection: cluster.connection, inUse: false, close: () => cluster.stop() };
}

/**
 * Runs pg_dump or pg_restore with --verbose, turning the lines that announce a table into progress
 * `[ 40%] table …` out of `tables`; other lines are shown only when it fails.
 */
export function runWithProgress(bin: string, args: string[], tables: number, tableOf: (line: string) => string | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(pgBinDir(), bin), args, { stdio: ['ignore', 'inherit', 'pipe'] });
    const other: string[] = [];
    let done = 0;
    readline.createInterface({ input: child.stderr }).on('line', (line) => {
      const table = tableOf(line);
      if (table) {
        done++;
        log(`  [${String(Math.min(100, Math.round((done / Math.max(tables, 1)) * 100))).padStart(3)}%] ${table}`);
      } else other.push(line);
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${bin} failed (${code}):\n${other.filter((l) => !/^\w+: (dumping|processing|creating|executing|reading|identifying|finding|saving|last built-in|implied|dropping|connecting|restoring)/.test(l)).slice(-20).join('\n')}`));
    });
  });
}
