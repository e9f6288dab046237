import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN_TILE_ZOOM } from '../../shared/map/wall-bins.ts';
import { COUNTY, get, testPool } from '../helpers/db.ts';

/** The wall's heat: the `issues` tile layer's bins limited to a rolling window with ?days=N. */
const pool = testPool();
afterAll(() => pool.end());

/** Bin tiles at the wall's zoom covering every issue of the county. */
async function binTiles(): Promise<[number, number][]> {
  const { rows } = await pool.query(
    `select min(st_x(location)) as w, min(st_y(location)) as s, max(st_x(location)) as e, max(st_y(location)) as n from issues where county_code = $1`,
    [COUNTY],
  );
  const n = 2 ** BIN_TILE_ZOOM;
  const tx = (lon: number) => Math.floor(((lon + 180) / 360) * n);
  const ty = (lat: number) => {
    const r = (lat * Math.PI) / 180;
    return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n);
  };
  const out: [number, number][] = [];
  for (let x = tx(rows[0].w); x <= tx(rows[0].e); x++)
    for (let y = ty(rows[0].n); y <= ty(rows[0].s); y++) out.push([x, y]);
  return out;
}

/** Sum of the bins' counts over the tiles, with the given query. */
async function binSum(query: string): Promise<number> {
  let sum = 0;
  for (const [x, y] of await binTiles()) {
    const res = await get(`/tiles/issues/${BIN_TILE_ZOOM}/${x}/${y}.mvt${query}`);
    expect(res.status).toBe(200);
    const layer = new VectorTile(new PbfReader(new Uint8Array(await res.arrayBuffer()))).layers.issues;
    for (let i = 0; i < (layer?.length ?? 0); i++) sum += Number(layer!.feature(i).properties.count);
  }
  return sum;
}

const countSince = async (days: number | null) =>
  (
    await pool.query<{ n: number }>(
      `select count(*)::int as n from issues where county_code = $1 and state not in ('void', 'duplicate')
         and ($2::int is null or created_at >= now() - make_interval(days => $2::int))`,
      [COUNTY, days],
    )
  ).rows[0].n;

describe('issues tiles with ?days', () => {
  it('count the reports of the last N days only; without it, every report', async () => {
    const [week, month, all] = await Promise.all([countSince(7), countSince(30), countSince(null)]);
    expect(week).toBeGreaterThan(5);
    expect(month).toBeGreaterThan(week);
    expect(all).toBeGreaterThan(month);
    expect(await binSum('?days=7')).toBe(week);
    expect(await binSum('?days=30')).toBe(month);
    expect(await binSum('')).toBe(all);
  });

  it.each(['0', '-3', '7.5', 'abc', '99999'])('refuses days=%s with a 400', async (days) => {
    const [[x, y]] = await binTiles();
    const res = await get(`/tiles/issues/${BIN_TILE_ZOOM}/${x}/${y}.mvt?days=${days}`);
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/days/);
  });

  it('refuses ?days on a layer without a time window', async () => {
    const res = await get('/tiles/grids/14/13323/6261.mvt?days=7');
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/no time window/);
  });
});
