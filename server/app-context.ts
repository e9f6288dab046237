// What an assembled app holds beyond its routes, typed, for whoever runs it (server/start.ts, tests, benchmarks).
import type { Express } from 'express';
import type { TileCache } from './cache/tile-cache.ts';
import type { StreamHub } from './stream/stream-hub.ts';
import type { ReadPools } from './postgres/read-pools.ts';

export interface AppContext {
  /** The tiles kept in memory per data version (benchmarks empty it). */
  readonly tileCache: TileCache;
  /** The wall's live streams and this process's database listener. */
  readonly streamHub: StreamHub;
  /** Where reads run: the replicas of DATABASE_REPLICA_URLS and the primary, with what each served. */
  readonly reads: ReadPools;
  /** Ends the wall streams, the database listener and the replicas' pools (the pool and the HTTP server are the caller's). */
  close(): Promise<void>;
}

/** The HTTP application with its context. */
export type GridlinkApp = Express & { readonly context: AppContext };
