import { Router } from 'express';
import { HttpError, noQuery } from '../http-error.ts';
import type { Pool } from '../postgres/pool.ts';
import { LAYERS, findLayer, type LayerDef } from '../db/layers.ts';
import { queryDataVersion, queryTile } from '../db/tiles-repo.ts';
import { ON_PRIMARY, ReadPools } from '../postgres/read-pools.ts';
import { DataVersionCache } from '../db/data-version.ts';
import { queryExtent } from '../db/features-repo.ts';
import { originOf } from './request-url.ts';
import { TileCache } from '../cache/tile-cache.ts';
import type { StreamHub } from '../stream/stream-hub.ts';
import { DATA_CHANNEL } from '../db/notify-channels.ts';

export const TILE_MAXZOOM = 16;
const MAX_Z = 24;
const MVT = 'application/vnd.mapbox-vector-tile';

const DIGITS = /^\d{1,8}$/;

/** z/x/y of a tile address, or a 400 that says what is wrong. */
function parseTileAddress(params: Record<string, string>): { z: number; x: number; y: number } {
  const problems: string[] = [];
  for (const k of ['z', 'x', 'y'])
    if (!DIGITS.test(params[k])) problems.push(`${k} must be a non-negative integer, got "${params[k]}"`);
  if (problems.length === 0) {
    const [z, x, y] = [Number(params.z), Number(params.x), Number(params.y)];
    if (z > MAX_Z) problems.push(`z must be 0–${MAX_Z}, got ${z}`);
    else if (x >= 2 ** z || y >= 2 ** z) problems.push(`x and y must be below 2^z = ${2 ** z} at z ${z}`);
    else return { z, x, y };
  }
  throw new HttpError(400, `bad tile address: ${problems.join('; ')}`);
}

/** `?days=N` of a layer with a time window: 1–3660, or a 400; absent: every row. */
function windowDays(layer: LayerDef, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (!layer.windowColumn) throw new HttpError(400, `layer "${layer.id}" has no time window: drop ?days`);
  if (typeof value !== 'string' || !/^\d{1,4}$/.test(value) || Number(value) < 1 || Number(value) > 3660) {
    throw new HttpError(400, `days must be a whole number of days from 1 to 3660, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

function tileLayer(id: string): LayerDef {
  const layer = findLayer(id);
  if (!layer) throw new HttpError(404, `no tile layer "${id}"; layers: ${LAYERS.map((l) => l.id).join(', ')}`);
  return layer;
}

/**
 * Whether an If-None-Match list names `etag`: split on commas and trimmed by hand, linear on any header
 * (the regular-expression split it replaces took seconds on a long run of spaces).
 */
export function ifNoneMatchHas(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  let start = 0;
  while (start <= header.length) {
    let end = header.indexOf(',', start);
    if (end === -1) end = header.length;
    if (header.slice(start, end).trim() === etag) return true;
    start = end + 1;
  }
  return false;
}

/**
 * A URL naming the current data version never changes content: caches may keep it a day. With REQUIRE_LOGIN=1
 * only the browser may keep a tile (private): a shared cache would hand it to callers who never logged in.
 */
function tileCaching(requireLogin: boolean) {
  const scope = requireLogin ? 'private' : 'public';
  return {
    current: `${scope}, max-age=86400, immutable`,
    unversioned: `${scope}, max-age=60`,
    live: `${scope}, max-age=30`,
    tileJson: requireLogin ? 'private, no-cache' : 'no-cache',
    // The answer depends on the session cookie (a tile, or a 401).
    vary: requireLogin ? { Vary: 'Cookie' } : {},
  };
}

export interface TileRoutes {
  router: Router;
  cache: TileCache;
  /** The data version tiles are served at; a publish in this process sets it at once. */
  versions: DataVersionCache;
  /** Follows the data version announced on the process's notification listener (server/stream). */
  follow(hub: StreamHub): void;
}

/**
 * Tiles read from `reads` (a replica when one is healthy); the data version from the primary `pool`. A tile read on
 * a replica is cached only when that replica holds the data version it is cached under (read on the same
 * connection), so a lagging replica never fills the cache with an older map under a newer version.
 */
export function tileRoutes(
  pool: Pool,
  countyCode: string,
  cacheBytes = 0,
  requireLogin = false,
  reads = new ReadPools(pool, { urls: [], maxLagMs: 0, checkEveryMs: 0 }),
): TileRoutes {
  const caching = tileCaching(requireLogin);
  const router = Router();
  const versions = new DataVersionCache(pool, countyCode);
  const cache = new TileCache(cacheBytes);

  router.get('/tiles/:layer.json', noQuery, async (req, res) => {
    const layer = tileLayer(String(req.params.layer));
    const [version, bbox] = await Promise.all([versions.get(), queryExtent(reads.pool, layer, countyCode)]);
    const bounds = bbox ?? [-180, -85.05, 180, 85.05];
    res.set({ 'Cache-Control': caching.tileJson, ...caching.vary }).json({
      tilejson: '3.0.0',
      name: layer.id,
      description: layer.title.en,
      scheme: 'xyz',
      // The data version in the URL: a publish changes it, so no cache serves a stale tile.
      tiles: [`${originOf(req)}/tiles/${layer.id}/{z}/{x}/{y}.mvt?v=${version}`],
      minzoom: 0,
      maxzoom: TILE_MAXZOOM,
      bounds,
      center: [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, 14],
      vector_layers: [
        {
          id: layer.id,
          minzoom: layer.minzoom,
          maxzoom: TILE_MAXZOOM,
          fields: Object.fromEntries(
            Object.entries(layer.properties).map(([k, p]) => [
              k,
              p.type === 'string' ? 'String' : p.type === 'boolean' ? 'Boolean' : 'Number',
            ]),
          ),
        },
      ],
    });
  });

  router.get('/tiles/:layer/:z/:x/:y.mvt', async (req, res) => {
    const layer = tileLayer(req.params.layer);
    const { z: zoom, x, y } = parseTileAddress(req.params);
    for (const name of Object.keys(req.query)) {
      if (name !== 'v' && name !== 'days')
        throw new HttpError(400, `unknown query parameter "${name}"; allowed: v, days`);
    }
    const days = windowDays(layer, req.query.days);
    if (layer.live) {
      // Counts that change with every report: made fresh, kept by browsers and caches half a minute at most.
      const tile = await queryTile(reads.pool, layer, countyCode, zoom, x, y, days);
      res
        .writeHead(200, {
          'Content-Type': MVT,
          'Content-Length': tile.length,
          'Cache-Control': caching.live,
          ...caching.vary,
          'X-Content-Type-Options': 'nosniff',
        })
        .end(tile);
      return;
    }
    const seen = typeof req.query.v === 'string' && /^\d+$/.test(req.query.v) ? Number(req.query.v) : undefined;
    const version = await versions.get(seen);
    const etag = `"${layer.id}-${version}-${zoom}-${x}-${y}"`;
    const headers = {
      ETag: etag,
      'Cache-Control': seen === version ? caching.current : caching.unversioned,
      ...caching.vary,
      'X-Content-Type-Options': 'nosniff',
    };
    if (ifNoneMatchHas(req.headers['if-none-match'], etag)) {
      res.writeHead(304, headers).end();
      return;
    }
    const { tile, hit } = await cache.get(version, `${layer.id}/${zoom}/${x}/${y}`, () =>
      reads.read(async (db, onReplica) =>
        onReplica && (await queryDataVersion(db, countyCode)) < version
          ? ON_PRIMARY
          : queryTile(db, layer, countyCode, zoom, x, y),
      ),
    );
    // Written straight to the socket: res.send's content checks cost more than the smallest tiles.
    res
      .writeHead(200, {
        ...headers,
        'Content-Type': MVT,
        'Content-Length': tile.length,
        'X-Tile-Cache': hit ? 'hit' : 'miss',
      })
      .end(tile);
  });

  return {
    router,
    cache,
    versions,
    follow(hub) {
      hub.watch((channel, payload) => {
        if (channel === undefined) versions.notified(undefined);
        else if (channel === DATA_CHANNEL)
          versions.notified(typeof payload?.version === 'number' ? payload.version : undefined);
      });
    },
  };
}
