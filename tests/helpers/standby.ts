import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pgCommand } from '../../server/postgres/cluster.ts';

/** A streaming standby (hot, read-only) of the test cluster, in a temp dir, on its own socket. */
export interface Standby {
  /** The standby's socket directory and port: the primary's connection with these two changed reaches it. */
  host: string;
  port: number;
  /** Its superuser's connection (pg_wal_replay_pause and friends). */
  admin: pg.ClientConfig;
  /** Stops it (fast); stop() and remove() may be called more than once. */
  stop(): Promise<void>;
  /** Stops it and deletes its folder. */
  remove(): Promise<void>;
}

const STANDBY_PORT = 5433;

async function chownToPostgres(dir: string): Promise<void> {
  if (process.getuid?.() === 0) {
    const { execFileSync } = await import('node:child_process');
    execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  }
}

/** One row of one query on a fresh connection. */
export async function queryOne<T>(config: pg.ClientConfig, sql: string, args: unknown[] = []): Promise<T> {
  const client = new pg.Client(config);
  await client.connect();
  try {
    return (await client.query(sql, args)).rows[0] as T;
  } finally {
    await client.end();
  }
}

/**
 * pg_basebackup -R of the primary reachable with `primaryAdmin` (its superuser, on a unix socket), started on a
 * socket of its own; resolves once its WAL receiver is streaming.
 */
export async function startStandby(primaryAdmin: pg.ClientConfig): Promise<Standby> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridlink-standby-'));
  fs.chmodSync(dir, 0o755);
  const pgData = path.join(dir, 'pg');
  const run = path.join(dir, 'run');
  fs.mkdirSync(run, { mode: 0o700 });
  await chownToPostgres(dir);
  let started = false;
  const stop = async () => {
    if (!started) return;
    started = false;
    await pgCommand('pg_ctl', ['-D', pgData, '-m', 'fast', '-w', 'stop']).catch(() => undefined);
  };
  const remove = async () => {
    await stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const source = `host=${primaryAdmin.host} port=${primaryAdmin.port} user=${primaryAdmin.user} password=${String(primaryAdmin.password)}`;
    await pgCommand('pg_basebackup', ['-d', source, '-D', pgData, '-R', '-X', 'stream', '-c', 'fast']);
    const options = `-c listen_addresses='' -k '${run}' -c port=${STANDBY_PORT} -c hot_standby=on`;
    started = true;
    await pgCommand('pg_ctl', [
      '-D',
      pgData,
      '-o',
      options,
      '-l',
      path.join(run, 'postgres.log'),
      '-w',
      '-t',
      '60',
      'start',
    ]);
    const admin = { ...primaryAdmin, host: run, port: STANDBY_PORT };
    await waitFor(
      async () =>
        (await queryOne<{ status?: string }>(admin, 'select status from pg_stat_wal_receiver'))?.status === 'streaming',
      'the standby streaming from the primary',
    );
    return { host: run, port: STANDBY_PORT, admin, stop, remove };
  } catch (e) {
    const log = path.join(run, 'postgres.log');
    await remove();
    throw new Error(
      `standby did not start: ${(e as Error).message}${fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : ''}`,
      {
        cause: e,
      },
    );
  }
}

/** Resolves once the standby has replayed everything the primary had written when this was called. */
export async function caughtUp(primaryAdmin: pg.ClientConfig, standby: Standby): Promise<void> {
  const { lsn } = await queryOne<{ lsn: string }>(primaryAdmin, 'select pg_current_wal_lsn()::text as lsn');
  await waitFor(
    async () =>
      (await queryOne<{ done: boolean }>(standby.admin, 'select pg_last_wal_replay_lsn() >= $1::pg_lsn as done', [lsn]))
        .done,
    `the standby replaying up to ${lsn}`,
  );
}

/** Polls `condition` until it holds (errors count as not yet), for at most a minute. */
export async function waitFor(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      if (await condition()) return;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}
