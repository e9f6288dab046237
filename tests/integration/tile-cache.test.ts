import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { inTransaction } from '../../server/postgres/pool.ts';
import { bumpDataVersion } from '../../server/db/data-version.ts';
import { COUNTY, get, testPool } from '../helpers/db.ts';
import { tileOf } from '../helpers/xyz.ts';

/** Tiles cached in memory by data version: hits, ETag and Cache-Control, and a data change seen at once. */
const pool = testPool();
afterAll(() => pool.end());

async function compoundTile(): Promise<{ id: string; name: string; path: string }> {
  const { rows } = await pool.query(
    `select id, name, st_x(c) lon, st_y(c) lat from (select id, name, st_pointonsurface(geom) c from compounds where county_code = $1 order by id limit 1) s`,
    [COUNTY],
  );
  const z = 15;
  const [x, y] = tileOf(rows[0].lon, rows[0].lat, z);
  return { id: rows[0].id, name: rows[0].name, path: `/tiles/compounds/${z}/${x}/${y}.mvt` };
}

function namesIn(buf: ArrayBuffer): string[] {
  const layer = new VectorTile(new PbfReader(new Uint8Array(buf))).layers.compounds;
  return Array.from({ length: layer?.length ?? 0 }, (_, i) => String(layer.feature(i).properties.name));
}

const rename = (id: string, name: string) =>
  inTransaction(pool, async (client) => {
    await client.query('update compounds set name = $3 where county_code = $1 and id = $2', [COUNTY, id, name]);
    return bumpDataVersion(client, COUNTY);
  });

describe('tile cache', () => {
  it('answers a repeated tile from memory with the same bytes and ETag, and 304 to If-None-Match', async () => {
    const { path } = await compoundTile();
    const first = await get(path);
    const body = Buffer.from(await first.arrayBuffer());
    const second = await get(path);
    expect(second.headers.get('x-tile-cache')).toBe('hit');
    expect(Buffer.from(await second.arrayBuffer()).equals(body)).toBe(true);
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(second.headers.get('cache-control')).toBe('public, max-age=60');
    const revalidated = await get(path, { headers: { 'if-none-match': first.headers.get('etag')! } });
    expect(revalidated.status).toBe(304);
  });

  it('lets caches keep a URL naming the current data version for a day', async () => {
    const { path } = await compoundTile();
    const { rows } = await pool.query('select version from data_versions where county_code = $1', [COUNTY]);
    const res = await get(`${path}?v=${rows[0].version}`);
    expect(res.headers.get('cache-control')).toBe('public, max-age=86400, immutable');
    expect(res.headers.get('etag')).toContain(`-${rows[0].version}-`);
  });

  it('serves the changed data right after a data-version bump (NOTIFY gridlink_data), not the cached tile', async () => {
    const { id, name, path } = await compoundTile();
    const before = await get(path);
    expect(namesIn(await before.arrayBuffer())).toContain(name);
    const version = await rename(id, `${name}（缓存测试）`);
    try {
      // The notification reaches the server within milliseconds: the new version is served well before the 1 s
      // re-read of the version would bring it, and its first answer is a fresh one.
      const after = await vi.waitFor(
        async () => {
          const res = await get(path);
          expect(res.headers.get('etag')).toContain(`-${version}-`);
          return res;
        },
        { timeout: 800, interval: 20 },
      );
      expect(after.headers.get('x-tile-cache')).toBe('miss');
      expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
      expect(namesIn(await after.arrayBuffer())).toContain(`${name}（缓存测试）`);
      expect((await get(path, { headers: { 'if-none-match': before.headers.get('etag')! } })).status).toBe(200);
    } finally {
      await rename(id, name);
    }
  });
});
