// npm run db:restore -- FILE — replaces the gridlink database with a backup of db:backup, in one transaction
// (all or nothing), with progress per table. Stop the server on the same DATA_DIR first.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pgBinDir } from '../server/db/postgres-binaries.ts';
import { log, openTarget, runWithProgress } from './db-target.ts';

const file = process.argv.slice(2).find((a) => !a.startsWith('--'));
if (!file || !fs.existsSync(file)) {
  console.error(`[gridlink] usage: npm run db:restore -- FILE (a backup of npm run db:backup)${file ? `; ${file} does not exist` : ''}`);
  process.exit(2);
}
const toc = execFileSync(path.join(pgBinDir(), 'pg_restore'), ['--list', file], { encoding: 'utf8', maxBuffer: 64 << 20 });
const tables = toc.split('\n').filter((l) => / TABLE DATA /.test(l)).length;

const target = await openTarget();
try {
  if (target.inUse) throw new Error('a gridlink server is running on this DATA_DIR: stop it first (Ctrl-C), then restore');
  log(`Restoring ${tables} tables from ${file} (one transaction) …`);
  const started = Date.now();
  await runWithProgress(
    'pg_restore',
    ['--clean', '--if-exists', '--no-owner', '--single-transaction', '--exit-on-error', '--verbose', `--dbname=${target.uri}`, file],
    tables,
    (line) => line.match(/processing data for table "?([^"]+)"?/)?.[1]?.replace(/^public"?\."?/, ''),
  );
  log(`Restore done in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
} catch (e) {
  console.error(`[gridlink] db:restore failed: ${(e as Error).message}`);
  process.exitCode = 1;
} finally {
  await target.close();
}
