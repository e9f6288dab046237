import type { QueryConfig } from 'pg';
import type { Queryable } from '../postgres/pool.ts';

/**
 * How far a streaming standby's data is behind its primary, in milliseconds: 0 when it has replayed all the
 * WAL it received (an idle primary sends nothing, so the last replayed commit may be old and yet current),
 * else the age of the last transaction it replayed. 0 on a server that is no standby. Bounded by `timeoutMs`.
 */
export async function queryReplayLagMs(db: Queryable, timeoutMs: number): Promise<number> {
  const { rows } = await db.query<{ lag: number | null }>({
    text: `select case when not pg_is_in_recovery() or pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() then 0
                       else extract(epoch from now() - pg_last_xact_replay_timestamp()) * 1000 end::float8 as lag`,
    query_timeout: timeoutMs,
  } as QueryConfig);
  // No transaction replayed yet while behind: as far behind as can be.
  return rows[0].lag ?? Number.POSITIVE_INFINITY;
}

/** The primary's current WAL position: what a replica must have replayed to show every commit made so far. */
export async function queryWalPosition(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn');
  return rows[0].lsn;
}

/** Whether this replica has replayed the primary's WAL up to `lsn` (true on a server that is no standby). */
export async function queryReplayedPast(db: Queryable, lsn: string): Promise<boolean> {
  const { rows } = await db.query<{ done: boolean }>(
    'select not pg_is_in_recovery() or pg_last_wal_replay_lsn() >= $1::pg_lsn as done',
    [lsn],
  );
  return rows[0].done;
}
