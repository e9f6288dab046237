import fs from 'node:fs';
import path from 'node:path';
import type { Pool } from './pool.ts';
import { inTransaction } from './pool.ts';

const MIGRATIONS_DIR = path.join(import.meta.dirname, 'migrations');
// Any constant: serialises migration runs of several servers sharing one database.
const LOCK_KEY = 640323_001;

/** Fails with a clear message when the database cannot offer PostGIS. */
export async function ensurePostgis(pool: Pool): Promise<string> {
  try {
    // Created by a superuser at set-up (the embedded cluster's, or the DBA's for DATABASE_URL); tried only when absent.
    const { rowCount } = await pool.query(`select 1 from pg_extension where extname = 'postgis'`);
    if (!rowCount) await pool.query('create extension if not exists postgis');
    const { rows } = await pool.query<{ v: string }>('select postgis_lib_version() as v');
    return rows[0].v;
  } catch (e) {
    throw new Error(
      `the database has no PostGIS (${(e as Error).message}). Install PostGIS 3 on that server ` +
        `(Debian: apt-get install postgresql-15-postgis-3) and have a superuser run \`create extension postgis\` in that database, ` +
        `or let gridlink run its own database by unsetting DATABASE_URL.`,
      { cause: e },
    );
  }
}

/** Whether the role we are connected as is a superuser (to warn: the app needs none). */
export async function isSuperuser(pool: Pool): Promise<boolean> {
  const { rows } = await pool.query<{ s: boolean }>('select rolsuper as s from pg_roles where rolname = current_user');
  return rows[0]?.s === true;
}

/** Applies every migrations/*.sql not yet applied, in name order, each in its own transaction. */
export async function migrate(pool: Pool, log: (line: string) => void = () => undefined): Promise<string[]> {
  const files = fs
    .readdirSync(MIGRATIONS_DIR)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  return inTransaction(pool, async (client) => {
    await client.query('select pg_advisory_xact_lock($1)', [LOCK_KEY]);
    await client.query(`create table if not exists schema_migrations (
      name text primary key, applied_at timestamptz not null default now())`);
    const { rows } = await client.query<{ name: string }>('select name from schema_migrations');
    const done = new Set(rows.map((r) => r.name));
    const applied: string[] = [];
    for (const file of files) {
      if (done.has(file)) continue;
      log(`Applying migration ${file}`);
      await client.query(fs.readFileSync(path.join(MIGRATIONS_DIR, file), 'utf8'));
      await client.query('insert into schema_migrations (name) values ($1)', [file]);
      applied.push(file);
    }
    return applied;
  });
}
