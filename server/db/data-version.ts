import type { Pool } from './pool.ts';
import { queryDataVersion } from './tiles-repo.ts';

/**
 * The county's data version, read at most once per `ttlMs` instead of once per tile. A request that names
 * a newer version than the cached one (a client that saw a publish first) refreshes it at once.
 */
export class DataVersionCache {
  private value: number | undefined;
  private readAt = 0;
  private pending: Promise<number> | undefined;
  private generation = 0;

  constructor(
    private readonly pool: Pool,
    private readonly countyCode: string,
    private readonly ttlMs = 1000,
  ) {
    caches.add(this);
  }

  /** A read already on its way may predate the change: it is not kept. */
  forget(): void {
    this.readAt = 0;
    this.pending = undefined;
    this.generation++;
  }

  async get(seen?: number): Promise<number> {
    const fresh = Date.now() - this.readAt < this.ttlMs;
    if (this.value !== undefined && fresh && (seen === undefined || seen <= this.value)) return this.value;
    const generation = this.generation;
    this.pending ??= queryDataVersion(this.pool, this.countyCode).then(
      (v) => {
        if (generation === this.generation) {
          this.value = v;
          this.readAt = Date.now();
          this.pending = undefined;
        }
        return v;
      },
      (e) => {
        if (generation === this.generation) this.pending = undefined;
        throw e;
      },
    );
    return this.pending;
  }
}

const caches = new Set<DataVersionCache>();

/**
 * Makes every cache of this process read the version again at its next use: called after a publish commits here,
 * and when a `gridlink_data` notification arrives from another process, so that no tile keeps an old version.
 */
export function forgetDataVersions(): void {
  for (const cache of caches) cache.forget();
}

/** Bumps the county's data version and notifies listeners (walls, other processes) at commit; the new version. */
export async function bumpDataVersion(client: Pick<Pool, 'query'>, countyCode: string): Promise<number> {
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
