// npm run db:backup [-- --out FILE] — a pg_dump (custom format, compressed) of the gridlink database with
// progress per table; by default to $DATA_DIR/backups/gridlink-<time>.dump. The server may keep running.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../server/config.ts';
import { createPool } from '../server/db/pool.ts';
import { log, openTarget, runWithProgress } from './db-target.ts';

const args = process.argv.slice(2);
const outArg = args.indexOf('--out');
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
const out = path.resolve(outArg >= 0 ? args[outArg + 1] : path.join(loadConfig().dataDir, 'backups', `gridlink-${stamp}.dump`));

const target = await openTarget();
try {
  const pool = createPool({ ...target.connection, max: 1 });
  const { rows } = await pool.query<{ n: number }>(`select count(*)::int n from pg_tables where schemaname = 'public'`);
  await pool.end();
  fs.mkdirSync(path.dirname(out), { recursive: true });
  log(`Backing up ${rows[0].n} tables to ${out} …`);
  const started = Date.now();
  await runWithProgress('pg_dump', ['--format=custom', '--verbose', '--no-owner', `--file=${out}`, target.uri], rows[0].n, (line) => line.match(/dumping contents of table "?([^"]+)"?/)?.[1]?.replace(/^public"?\."?/, ''));
  log(`Backup done: ${out} (${(fs.statSync(out).size / 1024 / 1024).toFixed(1)} MB, ${((Date.now() - started) / 1000).toFixed(1)} s). Restore with: npm run db:restore -- ${out}`);
} catch (e) {
  console.error(`[gridlink] db:backup failed: ${(e as Error).message}`);
  process.exitCode = 1;
} finally {
  await target.close();
}
