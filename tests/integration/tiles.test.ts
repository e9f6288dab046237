import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, describe, expect, it } from 'vitest';
import { COUNTY, get, testPool } from '../helpers/db.ts';
import { tileOf } from '../helpers/xyz.ts';

const pool = testPool();
afterAll(() => pool.end());

async function tile(layer: string, z: number, x: number, y: number) {
  const res = await get(`/tiles/${layer}/${z}/${x}/${y}.mvt`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('application/vnd.mapbox-vector-tile');
  return new VectorTile(new PbfReader(new Uint8Array(await res.arrayBuffer())));
}

async function centre(): Promise<[number, number]> {
  const { rows } = await pool.query(
    'select st_x(c) as x, st_y(c) as y from (select st_centroid(st_collect(geom)) as c from compounds where county_code = $1) s',
    [COUNTY],
  );
  return [rows[0].x, rows[0].y];
}

describe('vector tiles', () => {
  it('describes each layer with TileJSON pointing at our own server', async () => {
    for (const layer of [
      'basemap',
      'communities',
      'grids',
      'compounds',
      'buildings',
      'stations',
      'grid_labels',
      'community_labels',
      'compound_labels',
    ]) {
      const res = await get(`/tiles/${layer}.json`);
      expect(res.status).toBe(200);
      const tj = await res.json();
      expect(tj.tilejson).toBe('3.0.0');
      expect(tj.tiles[0]).toMatch(
        new RegExp(`^http://127\\.0\\.0\\.1:\\d+/tiles/${layer}/\\{z\\}/\\{x\\}/\\{y\\}\\.mvt`),
      );
      expect(tj.vector_layers[0].id).toBe(layer);
    }
  });

  it('holds every compound of the town in the tiles covering it at z13, with their properties', async () => {
    const { rows } = await pool.query(
      `select st_xmin(e) x0, st_ymin(e) y0, st_xmax(e) x1, st_ymax(e) y1
       from (select st_extent(geom) e from compounds where county_code = $1) s`,
      [COUNTY],
    );
    const { x0, y0, x1, y1 } = rows[0];
    const [tx0, ty0] = tileOf(x0, y1, 13);
    const [tx1, ty1] = tileOf(x1, y0, 13);
    const ids = new Set<string>();
    const types = new Set<string>();
    for (let x = tx0; x <= tx1; x++) {
      for (let y = ty0; y <= ty1; y++) {
        const layer = (await tile('compounds', 13, x, y)).layers.compounds;
        for (let i = 0; layer && i < layer.length; i++) {
          const f = layer.feature(i);
          ids.add(String(f.properties.id));
          types.add(String(f.properties.type));
          expect(Number(f.properties.households)).toBeGreaterThan(0);
        }
      }
    }
    expect(ids.size).toBe(185);
    expect([...types].sort()).toEqual(['commercial_residential', 'old', 'transitional', 'work_unit']);
  });

  it('has exactly one label point per grid, inside it', async () => {
    const { rows } = await pool.query(
      `select count(*)::int as n, count(*) filter (where st_contains(geom_3857, label_3857))::int as inside
       from grids where county_code = $1`,
      [COUNTY],
    );
    expect(rows[0].inside).toBe(rows[0].n);
    // Grid labels start at z12 (wide views would carry thousands at scale): the tiles covering the town.
    const { rows: box } = await pool.query(
      'select st_xmin(e) as x0, st_ymin(e) as y0, st_xmax(e) as x1, st_ymax(e) as y1 from (select st_extent(geom) as e from grids where county_code = $1) s',
      [COUNTY],
    );
    const [tx0, ty0] = tileOf(box[0].x0, box[0].y1, 12);
    const [tx1, ty1] = tileOf(box[0].x1, box[0].y0, 12);
    const ids: string[] = [];
    for (let x = tx0; x <= tx1; x++) {
      for (let y = ty0; y <= ty1; y++) {
        const layer = (await tile('grid_labels', 12, x, y)).layers.grid_labels;
        // A label point in a tile's buffer is also in its neighbour: count each tile's own points only.
        for (let i = 0; i < (layer?.length ?? 0); i++) {
          const [[p]] = layer.feature(i).loadGeometry();
          if (p.x >= 0 && p.x < layer.extent && p.y >= 0 && p.y < layer.extent)
            ids.push(String(layer.feature(i).properties.id));
        }
      }
    }
    expect(ids.length).toBe(116);
    expect(new Set(ids).size).toBe(116);
    expect((await tile('grid_labels', 11, ...tileOf(box[0].x0, box[0].y0, 11))).layers.grid_labels).toBeUndefined();
  });

  it('draws base map roads with Chinese names and grids with codes at z15', async () => {
    const [lon, lat] = await centre();
    const [x, y] = tileOf(lon, lat, 15);
    const base = (await tile('basemap', 15, x, y)).layers.basemap;
    expect(base.length).toBeGreaterThan(0);
    const names = Array.from({ length: base.length }, (_, i) => base.feature(i).properties.name).filter(Boolean);
    expect(names.some((n) => /[\u4e00-\u9fff]/.test(String(n)))).toBe(true);
    const grids = (await tile('grids', 15, x, y)).layers.grids;
    expect(grids.length).toBeGreaterThan(0);
    expect(String(grids.feature(0).properties.code)).not.toBe('');
  });

  it('leaves buildings out below z14 and puts them in at z16', async () => {
    const [lon, lat] = await centre();
    const [x12, y12] = tileOf(lon, lat, 12);
    const low = await get(`/tiles/buildings/12/${x12}/${y12}.mvt`);
    expect((await low.arrayBuffer()).byteLength).toBe(0);
    const [x, y] = tileOf(lon, lat, 16);
    const { rows } = await pool.query(
      `select count(*)::int n from buildings where county_code = $1 and geom_3857 && st_tileenvelope(16, $2, $3, margin => 64.0 / 4096)`,
      [COUNTY, x, y],
    );
    const layer = (await tile('buildings', 16, x, y)).layers.buildings;
    expect(rows[0].n).toBeGreaterThan(0);
    expect(layer.length).toBe(rows[0].n);
  });

  it('answers a repeated request with 304 by ETag', async () => {
    const [x, y] = tileOf(...(await centre()), 12);
    const first = await get(`/tiles/grids/12/${x}/${y}.mvt`);
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await get(`/tiles/grids/12/${x}/${y}.mvt`, { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
  });

  it.each([
    ['/tiles/grids/25/0/0.mvt', 400],
    ['/tiles/grids/3/8/0.mvt', 400],
    ['/tiles/grids/3/0/8.mvt', 400],
    ['/tiles/grids/a/0/0.mvt', 400],
    ['/tiles/grids/1/-1/0.mvt', 400],
    ['/tiles/grids/1/0.5/0.mvt', 400],
    ['/tiles/nothing/1/0/0.mvt', 404],
    ['/tiles/nothing.json', 404],
  ])('rejects %s with %i and a reason', async (path, status) => {
    const res = await get(path);
    expect(res.status).toBe(status);
    expect((await res.json()).error.message.length).toBeGreaterThan(5);
  });
});
