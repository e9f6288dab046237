import type pg from 'pg';
import { createPool, type Pool, type Queryable } from './pool.ts';
import { isDatabaseUnavailable } from '../db/unavailable.ts';
import { queryReplayedPast, queryReplayLagMs, queryWalPosition } from '../db/replica-repo.ts';
import { redactDatabaseUrl } from './replica-urls.ts';

export interface ReplicaSettings {
  /** DATABASE_REPLICA_URLS. */
  urls: string[];
  /** REPLICA_MAX_LAG_MS: a replica further behind is skipped. */
  maxLagMs: number;
  /** How often every replica's health is checked again. */
  checkEveryMs: number;
}

/** What a read on a replica returns to have it run on the primary instead. */
export const ON_PRIMARY: unique symbol = Symbol('run on the primary');

const ignore = () => undefined;

interface Replica {
  pool: Pool;
  /** Its URI without credentials, for logs. */
  label: string;
  healthy: boolean;
  /** Replay lag at the last check; undefined when it did not answer. */
  lagMs?: number;
}

/** A replica as /api/health shows it: its place in the list, no address. */
export interface ReplicaHealth {
  index: number;
  healthy: boolean;
  /** Whole milliseconds, at most a day; null when unknown (not answering, or no transaction replayed yet). */
  lagMs: number | null;
}

const DAY_MS = 86_400_000;

/** Reads served, by where they ran: what a test or an operator checks. */
export interface ReadStats {
  replica: number;
  primary: number;
  /** Reads that failed on a replica and were run again on the primary. */
  fallback: number;
}

/**
 * Where read-only queries run: a healthy replica in turn (round robin), else the primary. A replica is healthy
 * when it answers and its replay lag is under the bound; one that fails a query is skipped until the periodic
 * check finds it well again, and the query is run once more on the primary, so the user sees no error.
 * Writes, LISTEN/NOTIFY and the data version stay on the primary (their callers use the primary pool).
 */
export class ReadPools {
  readonly stats: ReadStats = { replica: 0, primary: 0, fallback: 0 };
  /** The first health check of every replica: until it ends, reads go to the primary. */
  readonly ready: Promise<void>;
  /** A pool-shaped view whose every query is routed like read(): for repositories that only run queries. */
  readonly pool: Pool;
  private readonly replicas: Replica[];
  private next = 0;
  private checking: Promise<void> | undefined;
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(
    readonly primary: Pool,
    private readonly settings: ReplicaSettings,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    this.replicas = settings.urls.map((url) => ({
      pool: createPool({ connectionString: url, application_name: 'gridlink read', connectionTimeoutMillis: 2_000 }),
      label: redactDatabaseUrl(url),
      healthy: false,
    }));
    const query = (...args: unknown[]) =>
      this.read((db) => (db.query as (...a: unknown[]) => Promise<unknown>)(...args));
    this.pool = { query } as unknown as Pool;
    this.ready = this.check();
    if (this.replicas.length) {
      this.timer = setInterval(() => void this.check(), settings.checkEveryMs);
      this.timer.unref();
    }
  }

  /**
   * `fn` on one connection of a healthy replica (`onReplica` true), else on the primary; a replica's failure is
   * retried once on the primary. `fn` may return ON_PRIMARY on a replica to have it run on the primary instead
   * (a replica behind the data version the caller needs).
   */
  async read<T>(fn: (db: Queryable, onReplica: boolean) => Promise<T | typeof ON_PRIMARY>): Promise<T> {
    const replica = this.pick();
    if (replica) {
      let client: pg.PoolClient | undefined;
      try {
        client = await replica.pool.connect();
        // A replica that goes away mid-query also emits the error on the client we hold: its query fails with it.
        client.on('error', ignore);
        const result = await fn(client, true);
        client.off('error', ignore);
        client.release();
        if (result !== ON_PRIMARY) {
          this.stats.replica++;
          return result;
        }
      } catch (e) {
        // A connection that failed is destroyed, and keeps the listener for whatever it still emits.
        if (isDatabaseUnavailable(e)) client?.release(e as Error);
        else client?.off('error', ignore).release();
        if (isDatabaseUnavailable(e)) this.markDown(replica, (e as Error).message);
        this.stats.fallback++;
      }
    }
    this.stats.primary++;
    const result = await fn(this.primary, false);
    if (result === ON_PRIMARY) throw new Error('a read asked for the primary while on it');
    return result;
  }

  /**
   * A pool-shaped view for one computation that must see every commit made so far (an aggregate cached until the
   * next change): its queries run on a replica only if it has replayed the primary's WAL up to now.
   */
  async caughtUp(): Promise<Pool> {
    if (!this.replicas.some((r) => r.healthy)) return this.primary;
    const lsn = await queryWalPosition(this.primary);
    const query = (...args: unknown[]) =>
      this.read(async (db, onReplica) =>
        onReplica && !(await queryReplayedPast(db, lsn))
          ? ON_PRIMARY
          : (db.query as (...a: unknown[]) => Promise<unknown>)(...args),
      );
    return { query } as unknown as Pool;
  }

  /** Checks every replica's health and lag now (also run every checkEveryMs). */
  check(): Promise<void> {
    this.checking ??= Promise.all(this.replicas.map((r) => this.checkOne(r))).then(
      () => void (this.checking = undefined),
    );
    return this.checking;
  }

  /** The replicas' state, for health pages and tests. */
  state(): { label: string; healthy: boolean }[] {
    return this.replicas.map(({ label, healthy }) => ({ label, healthy }));
  }

  /** The replicas' state without address or credential, as of the last check: for /api/health. */
  health(): ReplicaHealth[] {
    return this.replicas.map(({ healthy, lagMs }, index) => ({
      index,
      healthy,
      lagMs: lagMs === undefined || !Number.isFinite(lagMs) ? null : Math.min(DAY_MS, Math.max(0, Math.round(lagMs))),
    }));
  }

  /** Stops the checks and closes the replicas' pools (the primary pool is the caller's). */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.replicas.map((r) => r.pool.end().catch(() => undefined)));
  }

  private pick(): Replica | undefined {
    for (let i = 0; i < this.replicas.length; i++) {
      const r = this.replicas[(this.next + i) % this.replicas.length];
      if (r.healthy) {
        this.next = (this.next + i + 1) % this.replicas.length;
        return r;
      }
    }
    return undefined;
  }

  private async checkOne(r: Replica): Promise<void> {
    let lag: number;
    try {
      lag = await queryReplayLagMs(r.pool, Math.max(1_000, this.settings.checkEveryMs));
    } catch (e) {
      r.lagMs = undefined;
      this.markDown(r, (e as Error).message);
      return;
    }
    r.lagMs = lag;
    const healthy = lag <= this.settings.maxLagMs;
    if (healthy !== r.healthy)
      this.log(
        healthy
          ? `Read replica ${r.label} serves reads.`
          : `Read replica ${r.label} is ${Math.round(lag)} ms behind: skipped until it catches up.`,
      );
    r.healthy = healthy;
  }

  private markDown(r: Replica, why: string): void {
    if (r.healthy) this.log(`Read replica ${r.label} failed (${why}): skipped, reads go to the primary.`);
    r.healthy = false;
  }
}
