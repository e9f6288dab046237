import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { importPackage } from '../../server/county/import.ts';
import { testPool } from '../helpers/db.ts';
import { removeCounty } from '../helpers/real-county.ts';

/**
 * A county of more than 99 communities (a real county's count; the demo has 10): 120 compounds of 400
 * households, each naming its own community, imported through importPackage. Every community and grid gets an id
 * and a code of its own (numbers past 99 are not cut to two digits).
 */
const pool = testPool();
const CODE = '999118';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gridlink-county-many-'));

afterAll(async () => {
  await removeCounty(pool, CODE);
  await pool.end();
  fs.rmSync(work, { recursive: true, force: true });
});

it('imports 120 communities, each with its own id and code, every compound in its grid', async () => {
  const side = 0.0015;
  const features = Array.from({ length: 120 }, (_, i) => {
    const [x, y] = [107.3 + (i % 12) * side * 2, 37.7 + Math.floor(i / 12) * side * 2];
    const ring = [
      [x, y],
      [x + side, y],
      [x + side, y + side],
      [x, y + side],
      [x, y],
    ];
    return {
      type: 'Feature',
      properties: { 名称: `小区${i + 1}`, 户数: 400, 所属社区: `第${i + 1}社区` },
      geometry: { type: 'Polygon', coordinates: [ring] },
    };
  });
  fs.writeFileSync(path.join(work, 'compounds.geojson'), JSON.stringify({ type: 'FeatureCollection', features }));
  fs.writeFileSync(
    path.join(work, 'county.json'),
    JSON.stringify({ name: '百社县', code: CODE, bounds: { min: 300, max: 500 } }),
  );
  const { report, imported } = await importPackage(pool, work, { actor: 'test' });
  expect(report.blocking).toBe(false);
  expect(imported?.rows).toMatchObject({ communities: 120, grids: 120, compounds: 120 });
  const { rows } = await pool.query<{ communities: number; codes: number; grids: number; placed: number }>(
    `select (select count(distinct id)::int from communities where county_code = $1) communities,
            (select count(distinct code)::int from grids where county_code = $1) codes,
            (select count(distinct id)::int from grids where county_code = $1) grids,
            (select count(*)::int from compounds q join grids g on g.county_code = q.county_code and g.id = q.grid_id
             where q.county_code = $1 and g.community_id = q.community_id) placed`,
    [CODE],
  );
  expect(rows[0]).toEqual({ communities: 120, codes: 120, grids: 120, placed: 120 });
}, 180_000);
