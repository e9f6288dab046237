/**
 * The wall's aggregates (figures, issue points, grid metrics) computed once per (area, data version,
 * issue-stream position) and shared by every wall screen: a hundred screens refetching after an event cost
 * one SQL run. The position moves with every notification the process's listener sees (an issue changed, a
 * publish bumped the data version) and when the listener reconnects (notifications may have been lost).
 * Answers also age out after MAX_AGE_MS, because the rolling windows move with the clock. While the listener
 * is not connected, no change would be seen: nothing is answered from the cache then.
 */
import type { NotifyWatcher } from '../stream/stream-hub.ts';

export const WALL_CACHE_MAX_AGE_MS = 60_000;

interface Entry {
  position: number;
  at: number;
  value: Promise<unknown>;
}

export class WallAggregateCache {
  /** Moves with every notification: an entry computed at an older position is stale. */
  private position = 0;
  private readonly entries = new Map<string, Entry>();
  /** How many times each aggregate was computed (health and tests read it). */
  readonly computed = new Map<string, number>();

  constructor(
    /** Whether the notifications arrive (the listener is connected). */
    private readonly listening: () => boolean,
    private readonly maxAgeMs = WALL_CACHE_MAX_AGE_MS,
  ) {}

  /** For StreamHub.watch: any notification, or a reconnection, moves the position. */
  readonly watcher: NotifyWatcher = () => {
    this.position++;
  };

  /**
   * The aggregate `name` of `area`: the cached answer of the current position, or `compute()` run once for
   * all the callers that ask meanwhile. A failed computation is not kept.
   */
  async get<T>(name: string, area: string, compute: () => Promise<T>): Promise<{ value: T; hit: boolean }> {
    const key = `${name}:${area}`;
    if (!this.listening()) {
      this.entries.delete(key);
      this.count(name);
      return { value: await compute(), hit: false };
    }
    const entry = this.entries.get(key);
    if (entry && entry.position === this.position && Date.now() - entry.at < this.maxAgeMs)
      return { value: (await entry.value) as T, hit: true };
    const fresh: Entry = { position: this.position, at: Date.now(), value: compute() };
    this.entries.set(key, fresh);
    this.count(name);
    try {
      return { value: (await fresh.value) as T, hit: false };
    } catch (error) {
      if (this.entries.get(key) === fresh) this.entries.delete(key);
      throw error;
    }
  }

  private count(name: string): void {
    this.computed.set(name, (this.computed.get(name) ?? 0) + 1);
  }
}
