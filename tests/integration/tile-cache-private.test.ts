import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { demoAccount, loginCookie } from '../helpers/auth.ts';
import { testPool } from '../helpers/db.ts';

/**
 * Tiles of a REQUIRE_LOGIN=1 server are for logged-in callers only: no shared cache (a proxy or CDN in front)
 * may keep one and hand it to the next caller, so they are `private` and vary by cookie. An open server's
 * tiles stay `public`.
 */
const pool = testPool();
let server: Server;
let closedUrl: string;
let cookie: string;

beforeAll(async () => {
  const base = loadConfig();
  const app = await createApp({ ...base, port: 0, auth: { ...base.auth, requireLogin: true } }, pool);
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  closedUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  cookie = await loginCookie(demoAccount('reporter'), closedUrl);
});
afterAll(async () => {
  server.close();
  await pool.end();
});

/** The caching headers of each kind of tile answer: unversioned, at the current version, 304, live, TileJSON. */
async function cachingOf(
  url: string,
  headers: Record<string, string>,
): Promise<Record<string, [number, string | null, string | null]>> {
  const seen: Record<string, [number, string | null, string | null]> = {};
  const note = (what: string, res: Response) =>
    (seen[what] = [res.status, res.headers.get('cache-control'), res.headers.get('vary')]);
  const tileJson = await fetch(`${url}/tiles/grids.json`, { headers });
  note('tilejson', tileJson);
  const template: string = (await tileJson.json()).tiles[0];
  const version = new URL(template).searchParams.get('v');
  const unversioned = await fetch(`${url}/tiles/grids/12/3300/1559.mvt`, { headers });
  note('unversioned', unversioned);
  note('current', await fetch(`${url}/tiles/grids/12/3300/1559.mvt?v=${version}`, { headers }));
  note(
    '304',
    await fetch(`${url}/tiles/grids/12/3300/1559.mvt?v=${version}`, {
      headers: { ...headers, 'if-none-match': unversioned.headers.get('etag')! },
    }),
  );
  note('live', await fetch(`${url}/tiles/issues/12/3300/1559.mvt`, { headers }));
  return seen;
}

describe('tile caching', () => {
  it('REQUIRE_LOGIN=1: every tile answer is private and varies by cookie; anonymous callers get 401', async () => {
    expect((await fetch(`${closedUrl}/tiles/grids/12/3300/1559.mvt`)).status).toBe(401);
    expect(await cachingOf(closedUrl, { cookie })).toEqual({
      tilejson: [200, 'private, no-cache', 'Cookie'],
      unversioned: [200, 'private, max-age=60', 'Cookie'],
      current: [200, 'private, max-age=86400, immutable', 'Cookie'],
      304: [304, 'private, max-age=86400, immutable', 'Cookie'],
      live: [200, 'private, max-age=30', 'Cookie'],
    });
  });

  it('an open server keeps its tiles public, for caches in front', async () => {
    const seen = await cachingOf(inject('baseUrl'), {});
    expect(Object.fromEntries(Object.entries(seen).map(([k, [status, cc]]) => [k, [status, cc]]))).toEqual({
      tilejson: [200, 'no-cache'],
      unversioned: [200, 'public, max-age=60'],
      current: [200, 'public, max-age=86400, immutable'],
      304: [304, 'public, max-age=86400, immutable'],
      live: [200, 'public, max-age=30'],
    });
    for (const [, , vary] of Object.values(seen)) expect(vary ?? '').not.toContain('Cookie');
  });
});
