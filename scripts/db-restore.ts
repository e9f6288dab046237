// npm run db:restore -- FILE — replaces the gridlink database with a backup of db:backup, in one transaction
// (all or nothing), with progress per table. Stop the server on the same DATA_DIR first. Restores gridlink's
// schema only, as the app's role; the password reaches pg_restore by its environment only.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { replaceWithPublicTables } from '../server/postgres/cluster.ts';
import { createPool } from '../server/postgres/pool.ts';
import { pgBinDir } from '../server/postgres/binaries.ts';
import { log, openTarget, runWithProgress } from './db-target.ts';

const file = process.argv.slice(2).find((a) => !a.startsWith('--'));
if (!file || !fs.existsSync(file)) {
  console.error(
    `[gridlink] usage: npm run db:restore -- FILE (a backup of npm run db:backup)${file ? `; ${file} does not exist` : ''}`,
  );
  process.exit(2);
}
const toc = execFileSync(path.join(pgBinDir(), 'pg_restore'), ['--list', file], {
  encoding: 'utf8',
  maxBuffer: 64 << 20,
});
const dataLines = toc.split('\n').filter((l) => / TABLE DATA /.test(l));
const tables = dataLines.length;
// The schema the backup's tables are in (the entry reads `id; oid oid TABLE DATA schema table owner`).
const schemas = [...new Set(dataLines.map((l) => l.split(' TABLE DATA ')[1]?.split(' ')[0]))];

const target = await openTarget();
try {
  if (target.inUse)
    throw new Error('a gridlink server is running on this DATA_DIR: stop it first (Ctrl-C), then restore');
  const pool = createPool({ ...target.connection, max: 1 });
  const schema = (await pool.query<{ s: string }>('select current_schema() as s').finally(() => pool.end())).rows[0].s;
  // A backup of an earlier version (tables in public) into the embedded cluster: restored into public by the
  // superuser, then moved into gridlink's schema in place of what is there (one transaction each).
  const earlier = schemas.length === 1 && schemas[0] === 'public' && schema !== 'public' ? target.admin : undefined;
  if (!earlier && (schemas.length !== 1 || schemas[0] !== schema)) {
    throw new Error(
      `the backup's tables are in schema ${schemas.join(', ') || '(none)'}, this database keeps gridlink's in ${schema}` +
        (schemas[0] === 'public'
          ? ' (a backup made before gridlink had a schema of its own: restore it into the embedded cluster, or into public)'
          : ''),
    );
  }
  log(`Restoring ${tables} tables from ${file} (one transaction) …`);
  const started = Date.now();
  await runWithProgress(
    'pg_restore',
    // Only gridlink's schema, as the app's role: PostGIS and the schema itself are the superuser's, made at set-up.
    [
      '--clean',
      '--if-exists',
      '--no-owner',
      '--no-privileges',
      `--schema=${schemas[0]}`,
      '--single-transaction',
      '--exit-on-error',
      '--verbose',
      `--dbname=${earlier?.uri ?? target.uri}`,
      file,
    ],
    target.env,
    tables,
    (line) => line.match(/processing data for table "?([^"]+)"?/)?.[1]?.replace(/^[^".]+"?\."?/, ''),
  );
  if (earlier) await replaceWithPublicTables(earlier.connection, log);
  log(`Restore done in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
} catch (e) {
  console.error(`[gridlink] db:restore failed: ${(e as Error).message}`);
  process.exitCode = 1;
} finally {
  await target.close();
}
