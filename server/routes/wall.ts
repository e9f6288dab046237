// The command-centre wall (/wall): its figures as JSON and the live stream (SSE). Aggregates only, never a
// person: callers with the `aggregates:read` permission (wall display token, leader, admin, …), and anonymous
// callers only where the deployment lets anyone read the public map layers (no REQUIRE_LOGIN).
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Config } from '../config.ts';
import { configOf, createPool, type Pool } from '../postgres/pool.ts';
import type { Auth } from '../auth/gate.ts';
import { can } from '../../shared/roles.ts';
import { HttpError, noQuery, validate } from '../http-error.ts';
import { hasIssueTables, queryTickerItem, queryWallFigures, warmConnection } from '../db/wall-repo.ts';
import { limitedPool } from '../postgres/limited-pool.ts';
import { ReadPools } from '../postgres/read-pools.ts';
import { queryGridMetrics, queryIssuePoints } from '../db/wall-map-repo.ts';
import { StreamHub } from '../stream/stream-hub.ts';
import { DATA_CHANNEL, ISSUES_CHANNEL } from '../db/notify-channels.ts';
import { StreamLimits } from '../stream/stream-limits.ts';
import { clientAddressKey } from '../client-address.ts';
import { WallAggregateCache } from '../db/wall-cache.ts';
import { z } from 'zod';

const log = (line: string) => console.log(`[gridlink] ${line}`);
const gzip = promisify(zlib.gzip);
/** A new EventSource after a lost connection names the last event it saw (the browser's own retry sends a header). */
const streamQuery = z.strictObject({ lastEventId: z.string().max(64).optional() });

export function wallRoutes(
  pool: Pool,
  config: Config,
  auth: Auth,
  reads = new ReadPools(pool, { urls: [], maxLagMs: 0, checkEveryMs: 0 }),
): { router: Router; hub: StreamHub; cache: WallAggregateCache } {
  const router = Router();

  const aggregatesReader: RequestHandler = async (req, _res, next) => {
    const principal = await auth.principalOf(req);
    if (principal.kind === 'anonymous') {
      if (config.auth.requireLogin)
        throw new HttpError(401, 'log in first (POST /api/auth/login) or use a wall display token');
      return next();
    }
    if (!can(principal, 'aggregates:read')) throw new HttpError(403, 'your role may not read the wall figures');
    next();
  };

  // The ticker's one-row lookups get a connection of their own: a screenful of tiles or a figures refresh
  // queued on the shared pool must not hold a new report back from the ticker. It stays open (no idle timeout),
  // with PostGIS loaded, so the first report after a quiet hour does not wait for a new backend.
  const tickerDb = createPool({ ...configOf(pool), max: 1, idleTimeoutMillis: 0 });
  warmConnection(tickerDb).catch(() => undefined);
  const hub = new StreamHub({
    connection: { ...configOf(pool), max: undefined } as import('pg').ClientConfig,
    countyCode: config.countyCode,
    log,
    async enrich(channel, payload) {
      if (channel === ISSUES_CHANNEL) {
        const id = Number(payload.id);
        const state = typeof payload.state === 'string' ? payload.state : undefined;
        if (!Number.isSafeInteger(id) || !state) return undefined;
        const item = await queryTickerItem(
          tickerDb,
          config.countyCode,
          id,
          state,
          new Date(),
          payload.lateSignature === true,
        );
        return { event: 'issue', data: payload.photo === true ? { ...item, photo: true } : item };
      }
      if (channel === DATA_CHANNEL)
        return { event: 'data', data: { version: typeof payload.version === 'number' ? payload.version : null } };
      return undefined;
    },
    onClose: () => tickerDb.end(),
  });

  // Every screen asks for the same aggregates after each event: computed once per stream position.
  const cache = new WallAggregateCache(() => hub.listening);
  hub.watch(cache.watcher);
  const cached = async (res: Response, name: string, compute: () => Promise<unknown>) => {
    const { value, hit } = await cache.get(name, config.countyCode, compute);
    res.set({ 'Cache-Control': 'no-store', 'X-Wall-Cache': hit ? 'hit' : 'miss' }).json(value);
  };
  /** A large answer: serialised and gzipped once per stream position, sent gzipped to clients that accept it. */
  const cachedGzip = async (req: Request, res: Response, name: string, compute: () => Promise<unknown>) => {
    const {
      value: { json, gzipped },
      hit,
    } = await cache.get(name, config.countyCode, async () => {
      const json = Buffer.from(JSON.stringify(await compute()));
      return { json, gzipped: await gzip(json) };
    });
    const useGzip = req.acceptsEncodings('gzip', 'identity') === 'gzip';
    res.set({
      'Cache-Control': 'no-store',
      'X-Wall-Cache': hit ? 'hit' : 'miss',
      'Content-Type': 'application/json; charset=utf-8',
      Vary: 'Accept-Encoding',
    });
    if (useGzip) res.set('Content-Encoding', 'gzip');
    res.send(useGzip ? gzipped : json);
  };
  const issueTables = async () => {
    if (!(await hasIssueTables(pool))) throw new HttpError(404, 'this database has no issue tables');
  };

  router.get('/api/wall/figures', aggregatesReader, noQuery, async (_req, res) => {
    // One computation per stream position, on two of the pool's connections at most.
    // Cached until the next change: read on a replica only when it holds every commit made so far.
    await cached(res, 'figures', async () =>
      queryWallFigures(limitedPool(await reads.caughtUp(), 2), config.countyCode),
    );
  });

  // The playback's points (the live heat is the `issues` tile layer): positions, major category and time of
  // reports — no person. Megabytes at prefecture scale: sent gzipped.
  router.get('/api/wall/issue-points', aggregatesReader, noQuery, async (req, res) => {
    await issueTables();
    await cachedGzip(req, res, 'issue-points', async () => queryIssuePoints(await reads.caughtUp(), config.countyCode));
  });

  // The choropleth: per grid its households, reports of the period, overdue issues and party members.
  router.get('/api/wall/grid-metrics', aggregatesReader, noQuery, async (_req, res) => {
    await issueTables();
    await cached(res, 'grid-metrics', async () => queryGridMetrics(await reads.caughtUp(), config.countyCode));
  });

  const streams = new StreamLimits(config.stream);
  router.get('/api/stream', aggregatesReader, async (req, res) => {
    validate(streamQuery, req.query, 'query');
    const principal = await auth.principalOf(req);
    const session =
      principal.kind === 'user'
        ? `user:${principal.sessionHash}`
        : principal.kind === 'wall'
          ? `wall:${principal.displayTokenId}`
          : undefined;
    const admitted = streams.admit(clientAddressKey(req.ip ?? req.socket.remoteAddress ?? ''), session, () => {
      // Its place goes to a newer stream of the same session: say so (the page then waits before trying again).
      if (res.headersSent)
        res.end('event: replaced\ndata: {"reason":"a newer stream of this session took its place"}\n\n');
      else req.socket.destroy();
    });
    if (!admitted.ok) {
      res.set('Retry-After', String(admitted.retryAfterSeconds));
      throw new HttpError(429, admitted.message, 'TooManyStreams');
    }
    res.once('close', admitted.release);
    // A caller that hung up while its principal was looked up closed before the listener was there.
    if (req.socket.destroyed) return admitted.release();
    await hub.subscribe(req, res);
  });

  return { router, hub, cache };
}
