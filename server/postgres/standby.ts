import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { ownedDir, pgCommand } from './cluster.ts';

/** Most local standbys `npm start -- --replicas N` runs: each is a full copy of the database on this machine. */
export const MAX_LOCAL_REPLICAS = 4;

/** A streaming standby (hot, read-only) of the private cluster, on a unix socket of its own. */
export interface Standby {
  /** Its socket directory and port: the primary's connection with these two changed reaches it. */
  host: string;
  port: number;
  /** Its superuser's connection (the primary's superuser, streamed over). */
  admin: pg.ClientConfig;
  /** Stops it (fast); may be called more than once. */
  stop(): Promise<void>;
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

/** A libpq keyword value, quoted: socket paths may hold spaces. */
const conninfoValue = (v: unknown) => `'${String(v).replace(/[\\']/g, (c) => `\\${c}`)}'`;

/**
 * The standby of `dir` (dir/pg, socket in dir/run): made once with pg_basebackup -R from the primary reachable
 * with `primaryAdmin` (its superuser, on a unix socket), then started; resolves once it streams.
 */
export async function startStandby(
  primaryAdmin: pg.ClientConfig,
  dir: string,
  port: number,
  log: (line: string) => void = () => undefined,
): Promise<Standby> {
  const pgData = path.join(dir, 'pg');
  const run = path.join(dir, 'run');
  await ownedDir(dir, 0o755);
  await ownedDir(run, 0o700);
  if (!fs.existsSync(path.join(pgData, 'PG_VERSION'))) {
    log(`Making a read replica in ${pgData} (pg_basebackup: a copy of the whole database) …`);
    fs.rmSync(pgData, { recursive: true, force: true });
    const source = ['host', 'port', 'user', 'password']
      .map((k) => `${k}=${conninfoValue(primaryAdmin[k as keyof pg.ClientConfig])}`)
      .join(' ');
    await pgCommand('pg_basebackup', ['-d', source, '-D', pgData, '-R', '-X', 'stream', '-c', 'fast']);
  }
  // Left running by a server that did not stop cleanly: it is ours, restart it.
  await pgCommand('pg_ctl', ['-D', pgData, 'status']).then(
    () => pgCommand('pg_ctl', ['-D', pgData, '-m', 'fast', '-w', 'stop']),
    () => undefined,
  );
  let started = false;
  const stop = async () => {
    if (!started) return;
    started = false;
    await pgCommand('pg_ctl', ['-D', pgData, '-m', 'fast', '-w', 'stop']).catch(() => undefined);
  };
  const logFile = path.join(run, 'postgres.log');
  try {
    log(`Starting the read replica of ${pgData} …`);
    const options = `-c listen_addresses='' -k '${run}' -c port=${port} -c hot_standby=on`;
    started = true;
    await pgCommand('pg_ctl', ['-D', pgData, '-o', options, '-l', logFile, '-w', '-t', '60', 'start']);
    const admin = { ...primaryAdmin, host: run, port };
    await waitFor(
      async () =>
        (await queryOne<{ status?: string }>(admin, 'select status from pg_stat_wal_receiver'))?.status === 'streaming',
      'the read replica streaming from the primary',
    );
    return { host: run, port, admin, stop };
  } catch (e) {
    await stop();
    const tail = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-4_000) : '';
    throw new Error(
      `the read replica in ${pgData} did not start (${(e as Error).message}); ` +
        `if it belongs to an earlier database, delete ${dir} to make it afresh.\n${tail}`,
      { cause: e },
    );
  }
}

/** The app role's URI of a standby: the primary's connection on the standby's socket. */
export function standbyUrl(app: pg.ClientConfig, standby: Pick<Standby, 'host' | 'port'>): string {
  const e = (v: unknown) => encodeURIComponent(String(v));
  return `postgresql://${e(app.user)}:${e(app.password)}@/${e(app.database)}?host=${e(standby.host)}&port=${standby.port}`;
}

/**
 * `npm start -- --replicas N`: N standbys of the private cluster of `dataDir`, in DATA_DIR/pg-replica-K, each on
 * port 5432+K of its own socket directory. Any that fails stops those already started.
 */
export async function startLocalReplicas(
  dataDir: string,
  count: number,
  primaryAdmin: pg.ClientConfig,
  log: (line: string) => void,
): Promise<Standby[]> {
  const started: Standby[] = [];
  try {
    for (let k = 1; k <= count; k++)
      started.push(await startStandby(primaryAdmin, path.join(dataDir, `pg-replica-${k}`), 5432 + k, log));
    return started;
  } catch (e) {
    await Promise.all(started.map((s) => s.stop()));
    throw e;
  }
}
