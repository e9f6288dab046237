/**
 * Vector tiles kept in memory, keyed by data version: an LRU bounded by bytes (TILE_CACHE_MB). A new data
 * version (a publish, a reload: NOTIFY gridlink_data, or the version read from the database) makes every
 * entry of older versions unreachable, and they are dropped at once. Concurrent requests for one missing
 * tile share one query.
 */

/** What an entry costs beyond its bytes (key, Map slot, Buffer header): empty tiles count too. */
const ENTRY_OVERHEAD = 128;

export interface TileCacheStats {
  entries: number;
  bytes: number;
  maxBytes: number;
  hits: number;
  misses: number;
  version: number | undefined;
}

export class TileCache {
  private readonly entries = new Map<string, Buffer>();
  private readonly pending = new Map<string, Promise<Buffer>>();
  private bytes = 0;
  private hits = 0;
  private misses = 0;
  private version: number | undefined;

  constructor(readonly maxBytes: number) {}

  /** The tile at `key` of data version `version`, made by `make` when it is not cached. */
  async get(version: number, key: string, make: () => Promise<Buffer>): Promise<{ tile: Buffer; hit: boolean }> {
    if (this.maxBytes <= 0) return { tile: await make(), hit: false };
    if (version !== this.version) this.switchTo(version);
    const k = `${version}/${key}`;
    const found = this.entries.get(k);
    if (found) {
      // Map keeps insertion order: re-inserting makes this the most recently used.
      this.entries.delete(k);
      this.entries.set(k, found);
      this.hits++;
      return { tile: found, hit: true };
    }
    this.misses++;
    let job = this.pending.get(k);
    if (!job) {
      job = make().finally(() => this.pending.delete(k));
      this.pending.set(k, job);
      job.then((tile) => this.store(version, k, tile)).catch(() => undefined);
    }
    return { tile: await job, hit: false };
  }

  /** Drops everything (the data changed and its new version is not known yet). */
  clear(): void {
    this.entries.clear();
    this.bytes = 0;
    this.version = undefined;
  }

  stats(): TileCacheStats {
    return {
      entries: this.entries.size,
      bytes: this.bytes,
      maxBytes: this.maxBytes,
      hits: this.hits,
      misses: this.misses,
      version: this.version,
    };
  }

  private switchTo(version: number): void {
    this.clear();
    this.version = version;
  }

  private store(version: number, k: string, tile: Buffer): void {
    // A tile made under a version that has since been replaced is not kept.
    if (version !== this.version || this.entries.has(k)) return;
    const size = tile.length + ENTRY_OVERHEAD;
    if (size > this.maxBytes) return;
    this.entries.set(k, tile);
    this.bytes += size;
    for (const [oldest, t] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= t.length + ENTRY_OVERHEAD;
    }
  }
}
