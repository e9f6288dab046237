// npm run db:backup [-- --out FILE] — a pg_dump (custom format, compressed) of gridlink's schema with progress
// per table; by default to $DATA_DIR/backups/gridlink-<time>.dump. The server may keep running. The file is
// written with mode 0600 (it holds every account's data); the password reaches pg_dump by its environment only.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../server/config.ts';
import { createPool } from '../server/postgres/pool.ts';
import { log, openTarget, runWithProgress } from './db-target.ts';

const args = process.argv.slice(2);
const outArg = args.indexOf('--out');
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
const out = path.resolve(
  outArg >= 0 ? args[outArg + 1] : path.join(loadConfig().dataDir, 'backups', `gridlink-${stamp}.dump`),
);

const target = await openTarget();
try {
  const pool = createPool({ ...target.connection, max: 1 });
  // gridlink's tables are in the first schema of the role's search_path (gridlink; public for older set-ups).
  const { rows } = await pool.query<{ schema: string; n: number }>(
    `select current_schema() as schema, (select count(*)::int from pg_tables where schemaname = current_schema()) as n`,
  );
  await pool.end();
  const { schema, n } = rows[0];
  if (outArg < 0) fs.mkdirSync(path.dirname(out), { recursive: true, mode: 0o700 });
  else fs.mkdirSync(path.dirname(out), { recursive: true });
  // Made here with mode 0600 before pg_dump opens it (it keeps the mode); chmod too, whatever the umask or an old file.
  fs.closeSync(fs.openSync(out, 'w', 0o600));
  fs.chmodSync(out, 0o600);
  log(`Backing up ${n} tables to ${out} …`);
  const started = Date.now();
  await runWithProgress(
    'pg_dump',
    [
      '--format=custom',
      '--verbose',
      '--no-owner',
      '--no-privileges',
      `--schema=${schema}`,
      `--file=${out}`,
      `--dbname=${target.uri}`,
    ],
    target.env,
    n,
    (line) => line.match(/dumping contents of table "?([^"]+)"?/)?.[1]?.replace(/^[^".]+"?\."?/, ''),
  );
  fs.chmodSync(out, 0o600);
  log(
    `Backup done: ${out} (${(fs.statSync(out).size / 1024 / 1024).toFixed(1)} MB, ${((Date.now() - started) / 1000).toFixed(1)} s). ` +
      `Restore with: npm run db:restore -- ${out}`,
  );
} catch (e) {
  console.error(`[gridlink] db:backup failed: ${(e as Error).message}`);
  process.exitCode = 1;
} finally {
  await target.close();
}
