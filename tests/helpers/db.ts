import { inject } from 'vitest';
import pg from 'pg';
import { createPool } from '../../server/postgres/pool.ts';

/** A pool on the test database started by tests/setup/server.ts. */
export function testPool(): pg.Pool {
  return createPool({ ...inject('db'), max: 2 });
}

/** A pool as the private cluster's superuser (or DATABASE_URL's role): only to create roles or databases. */
export function adminPool(): pg.Pool {
  return createPool({ ...inject('dbAdmin'), max: 1 });
}

/** A libpq URI for a connection of the test database, password included (for a child's DATABASE_URL only). */
export function databaseUrl(c: pg.PoolConfig = inject('db')): string {
  if (c.connectionString) return c.connectionString;
  const auth = `${encodeURIComponent(String(c.user))}${c.password ? `:${encodeURIComponent(String(c.password))}` : ''}`;
  return `postgresql://${auth}@/${encodeURIComponent(String(c.database))}?host=${encodeURIComponent(String(c.host))}&port=${c.port}`;
}

/** Rows in each table of the test database, by table name: what a refused write must leave as it was. */
export async function tableRowCounts(pool: pg.Pool): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ t: string }>(
    `select quote_ident(tablename) t from pg_tables where schemaname = current_schema() order by 1`,
  );
  const counts: Record<string, number> = {};
  for (const { t } of rows) counts[t] = (await pool.query(`select count(*)::int n from ${t}`)).rows[0].n;
  return counts;
}

/** GET a path of the running test server. */
export function get(pathAndQuery: string, init?: RequestInit): Promise<Response> {
  return fetch(`${inject('baseUrl')}${pathAndQuery}`, init);
}

export const COUNTY = '640323';
