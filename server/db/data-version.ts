import type { PoolClient } from 'pg';
import type { Pool } from '../postgres/pool.ts';
import { queryDataVersion } from './tiles-repo.ts';
import { isDatabaseUnavailable } from './unavailable.ts';

/**
 * The county's data version, read at most once per `ttlMs` instead of once per tile. A request that names
 * a newer version than the cached one (a client that saw a publish first) refreshes it at once, and so does
 * a `gridlink_data` notification (`notified`), which every server process listens to (server/stream).
 */
export class DataVersionCache {
  private value: number | undefined;
  private readAt = 0;
  private pending: Promise<number> | undefined;
  /** Bumped by every notification: a read that started before one must not overwrite what it said. */
  private generation = 0;

  constructor(
    private readonly pool: Pool,
    private readonly countyCode: string,
    private readonly ttlMs = 1000,
  ) {}

  async get(seen?: number): Promise<number> {
    const fresh = Date.now() - this.readAt < this.ttlMs;
    if (this.value !== undefined && fresh && (seen === undefined || seen <= this.value)) return this.value;
    const generation = this.generation;
    this.pending ??= queryDataVersion(this.pool, this.countyCode).then(
      (v) => {
        if (generation === this.generation) {
          this.value = v;
          this.readAt = Date.now();
        }
        this.pending = undefined;
        return this.value ?? v;
      },
      (e) => {
        this.pending = undefined;
        // PostgreSQL away: no data can change meanwhile, so the last version known is still the current one,
        // and tiles cached under it keep being served (those not cached get the 503).
        if (this.value !== undefined && isDatabaseUnavailable(e)) return this.value;
        throw e;
      },
    );
    return this.pending;
  }

  /** A data change was announced: take its version, or read it again when the message did not carry one. */
  notified(version: number | undefined): void {
    this.generation++;
    this.pending = undefined;
    if (version === undefined) {
      this.value = undefined;
      this.readAt = 0;
    } else {
      this.value = version;
      this.readAt = Date.now();
    }
  }
}

/**
 * Inside the transaction that changed the data: the next data version, announced on `gridlink_data` at
 * commit — every server process then drops its cached tiles, and the walls refetch.
 */
export async function bumpDataVersion(client: Pick<PoolClient, 'query'>, countyCode: string): Promise<number> {
  const { rows } = await client.query<{ version: string }>(
    `with v as (
       insert into data_versions (county_code) values ($1)
       on conflict (county_code) do update set version = data_versions.version + 1, updated_at = now()
       returning version)
     select version, pg_notify('gridlink_data', json_build_object('county', $1::text, 'version', version)::text) from v`,
    [countyCode],
  );
  return Number(rows[0].version);
}

/**
 * Inside a transaction that changed figures but no map data (micro-wishes, activities, deliberations, staff):
 * `gridlink_data` without a version at commit — the walls refetch their figures and drop cached aggregates;
 * tiles re-read the version, which has not moved.
 */
export async function announceFigures(client: Pick<PoolClient, 'query'>, countyCode: string): Promise<void> {
  await client.query(`select pg_notify('gridlink_data', json_build_object('county', $1::text)::text)`, [countyCode]);
}
