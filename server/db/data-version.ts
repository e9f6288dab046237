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

  constructor(
    private readonly pool: Pool,
    private readonly countyCode: string,
    private readonly ttlMs = 1000,
  ) {}

  async get(seen?: number): Promise<number> {
    const fresh = Date.now() - this.readAt < this.ttlMs;
    if (this.value !== undefined && fresh && (seen === undefined || seen <= this.value)) return this.value;
    this.pending ??= queryDataVersion(this.pool, this.countyCode).then(
      (v) => {
        this.value = v;
        this.readAt = Date.now();
        this.pending = undefined;
        return v;
      },
      (e) => {
        this.pending = undefined;
        throw e;
      },
    );
    return this.pending;
  }
}
