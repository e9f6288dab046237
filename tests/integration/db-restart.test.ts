import { afterAll, describe, expect, inject, it, vi } from 'vitest';
import { startPostgres, stopPostgres } from '../../server/postgres/cluster.ts';
import { get } from '../helpers/db.ts';
import { openSse } from '../helpers/wall-sse.ts';

/**
 * PostgreSQL stopped and started again (pg_ctl, the test server's own embedded cluster) under a steady
 * stream of requests: every answer is 200 or a 503 with Retry-After and a message, never a 500 or a dropped
 * connection (a tile already cached keeps being served); health says down, then ok again by itself; a wall
 * stream client is told to resync.
 */
const dataDir = inject('dataDir');
let stopped = false;

afterAll(async () => {
  // Whatever happened above, the other test files need their database.
  if (stopped) await startPostgres(dataDir);
});

const TILE = '/tiles/grids/14/13323/6261.mvt';
const PATHS = [
  '/api/health',
  '/api/wall/figures',
  '/api/areas/county',
  '/ogc/collections/grids/items?limit=5',
  TILE,
  '/api/search?q=zx',
];

describe('PostgreSQL restarted under load', () => {
  it('answers 503 with Retry-After while it is down and recovers by itself', { timeout: 90_000 }, async () => {
    const stream = await openSse(`${inject('baseUrl')}/api/stream`);
    await stream.next((m) => m.event === 'hello');

    const answers: { path: string; status: number; retryAfter: string | null; message?: string; at: number }[] = [];
    let loading = true;
    const worker = async (offset: number) => {
      for (let i = offset; loading; i++) {
        const path = PATHS[i % PATHS.length];
        try {
          const res = await get(path);
          const body = res.headers.get('content-type')?.includes('json') ? await res.json() : await res.arrayBuffer();
          answers.push({
            path,
            status: res.status,
            retryAfter: res.headers.get('retry-after'),
            message: body?.error?.message ?? body?.reason,
            at: Date.now(),
          });
        } catch (e) {
          answers.push({ path, status: -1, retryAfter: null, message: String(e), at: Date.now() });
        }
      }
    };
    const workers = [0, 1, 2, 3].map(worker);
    /** Waits until every path has been answered after `since` (200 only, with `served`). */
    const answeredSince = (since: number, served = false) =>
      vi.waitFor(
        () => {
          const seen = answers.filter((a) => a.at > since && (!served || a.status === 200)).map((a) => a.path);
          expect(PATHS.filter((p) => !seen.includes(p))).toEqual([]);
        },
        { timeout: 20_000, interval: 100 },
      );
    // The load is flowing and the tile is cached before the database goes.
    await answeredSince(0, true);

    await stopPostgres(dataDir);
    stopped = true;
    const downAt = Date.now();
    // The cached data version (1 s) has expired and every path has been tried without a database.
    await answeredSince(downAt + 1500);
    const health = await get('/api/health');
    expect(health.status).toBe(503);
    expect(health.headers.get('retry-after')).toBe('5');
    expect(await health.json()).toMatchObject({ status: 'error', db: 'down', stream: 'reconnecting' });

    await startPostgres(dataDir);
    stopped = false;
    const upAt = Date.now();
    await vi.waitFor(async () => expect((await get('/api/health')).status).toBe(200), {
      timeout: 20_000,
      interval: 200,
    });
    // The stream's database listener reconnects (backoff ≤ 4 s) and tells the walls to refetch.
    const resync = await stream.next((m) => m.event === 'resync', 15_000);
    expect(JSON.parse(resync.data)).toEqual({ reason: 'listener-reconnected' });
    expect(await (await get('/api/health')).json()).toMatchObject({ status: 'ok', db: 'ok', stream: 'listening' });
    // Every path is answered again a while after the restart before the load stops.
    await answeredSince(Math.max(Date.now(), upAt + 3000));
    loading = false;
    await Promise.all(workers);
    stream.close();

    const statuses = new Map<number, number>();
    for (const a of answers) statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
    console.log(`answers during the restart: ${JSON.stringify(Object.fromEntries(statuses))}`);
    expect([...statuses.keys()].filter((s) => s !== 200 && s !== 503)).toEqual([]);
    const refused = answers.filter((a) => a.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    for (const a of refused) {
      expect(a.retryAfter, a.path).toBe('5');
      expect(a.message, a.path).toMatch(/database/);
    }
    // Every path needing the database was refused while it was down, and served again after; the tile,
    // cached under the last data version known (nothing can change while the database is away), kept coming.
    const during = answers.filter((a) => a.at > downAt + 1500 && a.at < upAt);
    for (const p of PATHS.filter((p) => p !== TILE))
      expect(
        during.filter((a) => a.path === p).map((a) => a.status),
        p,
      ).toContain(503);
    const tiles = during.filter((a) => a.path === TILE);
    expect(tiles.length).toBeGreaterThan(0);
    expect(tiles.every((a) => a.status === 200)).toBe(true);
    const after = answers.filter((a) => a.at > upAt + 3000);
    for (const p of PATHS)
      expect(
        after.filter((a) => a.path === p).map((a) => a.status),
        p,
      ).toContain(200);
    expect(after.filter((a) => a.status !== 200)).toEqual([]);
  });
});
