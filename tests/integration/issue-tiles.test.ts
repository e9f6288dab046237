import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, describe, expect, it } from 'vitest';
import { findLayer, LAYERS } from '../../server/db/layers.ts';
import { binTileQuery, tileQuery } from '../../server/db/tiles-repo.ts';
import { COUNTY, get, testPool } from '../helpers/db.ts';
import { inRolledBackTransaction } from '../../server/postgres/pool.ts';
import { tileOf } from '../helpers/xyz.ts';
import { tilesCovering } from '../helpers/tiles.ts';

/** The issues tile layer: square bins with counts below zoom 15, points above; a z10 view stays small. */
const pool = testPool();
afterAll(() => pool.end());
const issues = findLayer('issues')!;

/** XYZ tiles covering the county's issues at zoom z. */
const countyTiles = (z: number) => tilesCovering(pool, 'issues', 'st_transform(location, 3857)', z);

async function fetchTile(layer: string, z: number, x: number, y: number) {
  const res = await get(`/tiles/${layer}/${z}/${x}/${y}.mvt`);
  expect(res.status).toBe(200);
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { res, bytes, tile: new VectorTile(new PbfReader(bytes)) };
}

describe('issues tile layer', () => {
  it.each([10, 12, 14])('at z%i the bins count every issue once, and say nothing but the count', async (z) => {
    const { rows } = await pool.query<{ n: number }>(
      `select count(*)::int as n from issues where county_code = $1 and state not in ('void', 'duplicate')`,
      [COUNTY],
    );
    expect(rows[0].n).toBeGreaterThan(100);
    let sum = 0;
    let bins = 0;
    for (const [x, y] of await countyTiles(z)) {
      const { res, tile } = await fetchTile('issues', z, x, y);
      // Counts change with every report: not cached under the data version.
      expect(res.headers.get('cache-control')).toBe('public, max-age=30');
      const layer = tile.layers.issues;
      if (!layer) continue;
      for (let i = 0; i < layer.length; i++) {
        const f = layer.feature(i);
        expect(Object.keys(f.properties)).toEqual(['count']);
        expect(f.type).toBe(3);
        sum += Number(f.properties.count);
        bins++;
      }
    }
    expect(bins).toBeGreaterThan(1);
    expect(sum).toBe(rows[0].n);
  });

  it('at z15 gives points with their category only', async () => {
    const { rows } = await pool.query(
      `select st_x(location) as lon, st_y(location) as lat from issues where county_code = $1 and state not in ('void', 'duplicate') order by id limit 1`,
      [COUNTY],
    );
    const [x, y] = tileOf(rows[0].lon, rows[0].lat, 15);
    const layer = (await fetchTile('issues', 15, x, y)).tile.layers.issues;
    expect(layer.length).toBeGreaterThan(0);
    const f = layer.feature(0);
    expect(f.type).toBe(1);
    expect(Object.keys(f.properties).sort()).toEqual(['category_id', 'count']);
  });

  it('a z10 view of the county, every layer, stays under 2 MB', async () => {
    let bytes = 0;
    for (const [x, y] of await countyTiles(10))
      for (const l of LAYERS) bytes += (await fetchTile(l.id, 10, x, y)).bytes.length;
    expect(bytes).toBeGreaterThan(1000);
    expect(bytes).toBeLessThan(2 * 1024 * 1024);
  });

  it.each([
    ['bins', binTileQuery(issues, COUNTY, 12, 3330, 1557)],
    ['points', tileQuery(issues, COUNTY, 15, 26647, 12523)],
  ])('%s read issues through the web-mercator GiST index', async (_kind, { sql, args }) => {
    await inRolledBackTransaction(pool, async (client) => {
      await client.query('set local enable_seqscan = off');
      const { rows } = await client.query(`explain (format json) ${sql}`, args);
      const text = JSON.stringify(rows[0]['QUERY PLAN']);
      expect(text).toContain('"Index Name":"issues_location_3857"');
      expect(text).not.toMatch(
        /"Node Type":"Seq Scan","Parent Relationship":"[^"]*","Parallel Aware":\w+,"Async Capable":\w+,"Relation Name":"issues"/,
      );
    });
  });
});
