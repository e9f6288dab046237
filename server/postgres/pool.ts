import pg from 'pg';

// numeric and bigint come back as JS numbers: our counts and sums stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

export type Pool = pg.Pool;
/** What a repository needs of a pool or of a transaction's client: it runs queries. */
export type Queryable = Pick<Pool, 'query'>;

export function createPool(config: pg.PoolConfig): pg.Pool {
  // A bounded wait for a connection: while PostgreSQL is away, requests get a 503 instead of hanging.
  const pool = new pg.Pool({ max: 8, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 5_000, ...config });
  // An idle client losing its connection (server restart) must not take the process down.
  pool.on('error', (err) => console.error('[gridlink] idle database connection lost:', err.message));
  return pool;
}

/**
 * The settings a pool was made with, for another pool or client on the same database: pg keeps the password
 * out of a spread (non-enumerable, so that logs never show it), so it is put back here.
 */
export function configOf(pool: pg.Pool): pg.PoolConfig {
  return { ...pool.options, password: pool.options.password };
}

/** Runs fn in one transaction: committed when it resolves, rolled back when it throws. */
export async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const result = await fn(client);
    await client.query('commit');
    return result;
  } catch (e) {
    await client.query('rollback').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

/** Runs `fn` in a transaction that is always rolled back: checks on staged rows that must never be written. */
export async function inRolledBackTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    return await fn(client);
  } finally {
    await client.query('rollback').catch(() => undefined);
    client.release();
  }
}
