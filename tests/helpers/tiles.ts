import type pg from 'pg';
import { COUNTY } from './db.ts';

/**
 * XYZ tiles covering, at zoom z, the web-mercator extent of `geometry` (an SQL expression in EPSG:3857) over
 * the rows of `table` in the test county.
 */
export async function tilesCovering(
  pool: pg.Pool,
  table: string,
  geometry: string,
  z: number,
): Promise<[number, number][]> {
  const { rows } = await pool.query(
    `select st_xmin(e) as x0, st_ymin(e) as y0, st_xmax(e) as x1, st_ymax(e) as y1
     from (select st_extent(${geometry})::geometry as e from ${table} where county_code = $1) s`,
    [COUNTY],
  );
  const half = 20037508.342789244;
  const side = (2 * half) / 2 ** z;
  const tx = (m: number) => Math.floor((m + half) / side);
  const ty = (m: number) => Math.floor((half - m) / side);
  const out: [number, number][] = [];
  for (let x = tx(rows[0].x0); x <= tx(rows[0].x1); x++)
    for (let y = ty(rows[0].y1); y <= ty(rows[0].y0); y++) out.push([x, y]);
  return out;
}
