import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { importPackage } from '../../server/county/import.ts';
import { testPool } from '../helpers/db.ts';
import { removeCounty } from '../helpers/real-county.ts';

/**
 * A county that has only a spreadsheet of 小区 with a point each: 48 compounds of 100 households on a 150 m
 * lattice in one community, and one compound 5 km away. Neighbouring points must become neighbouring footprints,
 * so the balancing engine joins them into grids of 300–500 households; the far one stays alone.
 */
const pool = testPool();
const CODE = '999119';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gridlink-county-points-'));

afterAll(async () => {
  await removeCounty(pool, CODE);
  await pool.end();
  fs.rmSync(work, { recursive: true, force: true });
});

it('joins compounds given as points into grids within the bounds', async () => {
  const rows = Array.from({ length: 48 }, (_, i) => {
    const [lon, lat] = [107.4 + (i % 8) * 0.0017, 37.78 + Math.floor(i / 8) * 0.00135];
    return `点${i + 1}小区,100,${lon.toFixed(6)},${lat.toFixed(6)},城东社区`;
  });
  rows.push('远郊小区,400,107.46,37.78,城东社区');
  fs.writeFileSync(path.join(work, 'compounds.csv'), ['名称,户数,经度,纬度,所属社区', ...rows].join('\n'));
  fs.writeFileSync(
    path.join(work, 'county.json'),
    JSON.stringify({ name: '点位县', code: CODE, bounds: { min: 300, max: 500 } }),
  );
  const { report, imported } = await importPackage(pool, work, { actor: 'test' });
  expect(report.blocking).toBe(false);
  expect(imported?.violations).toEqual([]);
  const { rows: grids } = await pool.query<{ households: number; compounds: number; far: boolean }>(
    `select sum(q.households)::int households, count(*)::int compounds, bool_or(q.name = '远郊小区') far
     from compounds q where q.county_code = $1 group by q.grid_id`,
    [CODE],
  );
  const near = grids.filter((g) => !g.far);
  expect(near.length).toBeGreaterThanOrEqual(10);
  expect(near.length).toBeLessThanOrEqual(16);
  for (const g of near) expect(g.households).toBeGreaterThanOrEqual(300);
  for (const g of near) expect(g.households).toBeLessThanOrEqual(500);
  expect(grids.filter((g) => g.far)).toEqual([{ households: 400, compounds: 1, far: true }]);
  const { rows: shapes } = await pool.query<{ approximate: number; polygons: number }>(
    `select count(*) filter (where approximate)::int approximate,
            count(*) filter (where geometrytype(geom) in ('POLYGON', 'MULTIPOLYGON'))::int polygons
     from compounds where county_code = $1`,
    [CODE],
  );
  expect(shapes[0]).toEqual({ approximate: 49, polygons: 49 });
}, 180_000);
