import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CountyAnswer } from '../../shared/api/county.ts';
import { SearchHit } from '../../shared/api/inspect.ts';
import { badPackages, centroid, gcj02CsvPackage, projectedPackage, shrunk } from '../fixtures/county-packages/build.ts';
import { databaseUrl, testPool } from '../helpers/db.ts';
import { processRunner } from '../helpers/processes.ts';
import { removeCounty as removeCountyRows, useCountyServer } from '../helpers/real-county.ts';

/**
 * npm run county -- import on packages made from real-world polygons (tests/fixtures/county-packages): North
 * Carolina's counties as compounds in UTM (grids by the balancing engine), and a GBK CSV of GCJ-02 points with
 * their communities; each under its own county code, served by a second app for that code.
 */
const { run, killAll } = processRunner();
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gridlink-county-import-'));
const pool = testPool();
const NC = '999101';
const GCJ = '999102';
/** The bad packages' code (999001): never imported. */
const BAD = '999001';
const LAYERS = '999103';

/**
 * Ten of the shrunk counties as communities and as given grids, one street around them, and in CSV (WGS84) a
 * compound at each centroid, two buildings beside it and a station on it.
 */
function layersPackage(dir: string): string {
  const communities = shrunk();
  communities.features = communities.features.slice(0, 10);
  const outlines = (suffix: string) => ({
    type: 'FeatureCollection',
    features: communities.features.map((f) => ({ ...f, properties: { name: `${f.properties.NAME}${suffix}` } })),
  });
  const ring = [
    [107, 37.5],
    [108.5, 37.5],
    [108.5, 38.5],
    [107, 38.5],
    [107, 37.5],
  ];
  const points = communities.features.map((f) => ({ name: f.properties.NAME, at: centroid(f) }));
  const csv = (header: string, rows: string[]) => [header, ...rows].join('\n');
  fs.mkdirSync(dir, { recursive: true });
  const files: Record<string, unknown> = {
    'county.json': { name: '网格县', code: LAYERS, bounds: { min: 1, max: 30_000 } },
    'streets.geojson': {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { name: '示范街道' }, geometry: { type: 'Polygon', coordinates: [ring] } },
      ],
    },
    'communities.geojson': outlines(''),
    'grids.geojson': outlines('网格'),
    'compounds.csv': csv(
      '名称,户数,经度,纬度,所属社区',
      points.map((p) => `${p.name}小区,120,${p.at[0]},${p.at[1]},${p.name}`),
    ),
    'buildings.csv': csv(
      '名称,户数,经度,纬度',
      points.flatMap((p) => [1, 2].map((i) => `${p.name}${i}号楼,60,${p.at[0] + (i - 1.5) * 0.0002},${p.at[1]}`)),
    ),
    'stations.csv': csv(
      '站点名称,经度,纬度',
      points.map((p) => `${p.name}驿站,${p.at[0]},${p.at[1]}`),
    ),
  };
  for (const [name, content] of Object.entries(files))
    fs.writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  return dir;
}

const packages = {
  nc: projectedPackage(path.join(work, 'nc'), { min: 5_000, max: 30_000 }, { name: '北卡县', code: NC }),
  gcj: gcj02CsvPackage(path.join(work, 'gcj'), 'gcj02', { name: '宁夏北卡', code: GCJ }),
  layers: layersPackage(path.join(work, 'layers')),
};
const imported: Record<string, { code: number | null; output: string }> = {};

async function importDir(dir: string) {
  const child = run('scripts/county.ts', ['import', dir, '--lang', 'en'], { DATABASE_URL: databaseUrl() });
  return { code: await child.exited, output: child.output() };
}

/** Rows of the county in every table that has a county_code column. */
async function rowsOf(code: string): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ t: string }>(
    `select quote_ident(c.table_name) t from information_schema.columns c
     join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
     where c.table_schema = current_schema() and c.column_name = 'county_code' and t.table_type = 'BASE TABLE'
     order by 1`,
  );
  const out: Record<string, number> = {};
  for (const { t } of rows)
    out[t] = (await pool.query(`select count(*)::int n from ${t} where county_code = $1`, [code])).rows[0].n;
  return out;
}

const removeCounty = (code: string) => removeCountyRows(pool, code);

// Registered first: after-hooks run last to first, so the servers close before the rows and the pool go.
afterAll(async () => {
  killAll();
  for (const code of [NC, GCJ, LAYERS]) await removeCounty(code);
  await pool.end();
  fs.rmSync(work, { recursive: true, force: true });
});
beforeAll(async () => {
  imported.nc = await importDir(packages.nc);
  imported.gcj = await importDir(packages.gcj);
  imported.layers = await importDir(packages.layers);
}, 240_000);
const ncBase = useCountyServer(pool, NC);
const gcjBase = useCountyServer(pool, GCJ);

describe('npm run county -- import', { timeout: 240_000 }, () => {
  it('imports the three packages: exit 0, a line per step on the way, a summary', () => {
    for (const { code, output } of Object.values(imported)) {
      expect(code, output).toBe(0);
      expect(output).toMatch(/^ {2}grids: \d+ rows \(\d+ ms\)$/m);
      expect(output).toMatch(/Imported .* in [\d.]+ s: streets 1, communities \d+, grids \d+, compounds \d+,/);
    }
  });

  // Islands (the Outer Banks) make some compounds and communities multi-part: a grid's other parts are such
  // islands, each holding a piece of one of its compounds or being a whole part of its community, never a stray
  // fragment of the space between compounds.
  it("every grid's households lie within the county's bounds; each grid is contiguous and inside its community", async () => {
    for (const code of [NC, GCJ]) {
      const { rows } = await pool.query(
        `select g.id, t.households, k.min_households min, k.max_households max,
                st_area(st_difference(g.geom, c.geom)::geography) outside,
                (select count(*)::int from st_dump(g.geom) p
                 where not exists (select 1 from compounds q where q.county_code = g.county_code and q.grid_id = g.id
                                   and st_area(st_intersection(q.geom, p.geom)::geography) > 1)
                   and not exists (select 1 from st_dump(c.geom) cp
                                   where st_area(st_symdifference(cp.geom, p.geom)::geography) < 1)) stray
         from grids g
         join grid_totals t on t.county_code = g.county_code and t.grid_id = g.id
         join communities c on c.county_code = g.county_code and c.id = g.community_id
         join counties k on k.county_code = g.county_code
         where g.county_code = $1`,
        [code],
      );
      expect(rows.length, code).toBeGreaterThan(0);
      for (const g of rows) {
        expect(g.households, `${code} ${g.id}`).toBeGreaterThanOrEqual(g.min);
        expect(g.households, `${code} ${g.id}`).toBeLessThanOrEqual(g.max);
        expect(g.stray, `${code} ${g.id}`).toBe(0);
        expect(g.outside, `${code} ${g.id}`).toBeLessThan(1);
      }
    }
    const households = await pool.query(
      `select (select sum(households)::int from compounds where county_code = $1) compounds,
              (select sum(households)::int from grid_totals where county_code = $1) grids`,
      [NC],
    );
    expect(households.rows[0].grids).toBe(households.rows[0].compounds);
  });

  it('marks compounds given as points approximate, outlines not; every compound has its grid', async () => {
    const { rows } = await pool.query(
      `select county_code, count(*)::int n, count(*) filter (where approximate)::int approximate,
              count(*) filter (where grid_id is null)::int ungridded
       from compounds where county_code = any($1::text[]) group by 1 order by 1`,
      [[NC, GCJ]],
    );
    expect(rows).toEqual([
      { county_code: NC, n: 100, approximate: 0, ungridded: 0 },
      { county_code: GCJ, n: 100, approximate: 100, ungridded: 0 },
    ]);
  });

  it('takes the communities of the GCJ-02 package as given, each compound in its own', async () => {
    const { rows } = await pool.query(
      `select count(*)::int n, count(*) filter (where q.name = c.name || '小区')::int own
       from compounds q join communities c on c.county_code = q.county_code and c.id = q.community_id
       where q.county_code = $1`,
      [GCJ],
    );
    expect(rows[0]).toEqual({ n: 100, own: 100 });
  });

  it('takes streets, grids, buildings and stations as given, each in the area that holds it', async () => {
    const q = async (sql: string) => (await pool.query(sql, [LAYERS])).rows;
    expect(await q(`select name from streets where county_code = $1`)).toEqual([{ name: '示范街道' }]);
    expect(
      await q(`select count(*)::int n from communities c join streets s on s.county_code = $1 and s.id = c.street_id
               where c.county_code = $1 and s.name = '示范街道'`),
    ).toEqual([{ n: 10 }]);
    const compounds = await q(
      `select q.name, g.name grid, (select count(*)::int from buildings b where b.county_code = $1 and b.compound_id = q.id
                                    and b.grid_id = q.grid_id) buildings
       from compounds q join grids g on g.county_code = $1 and g.id = q.grid_id where q.county_code = $1 order by q.name`,
    );
    expect(compounds).toHaveLength(10);
    for (const c of compounds)
      expect(c).toEqual({ name: c.name, grid: `${c.name.replace(/小区$/, '')}网格`, buildings: 2 });
    expect(await q(`select count(*)::int n, count(grid_id)::int gridded from stations where county_code = $1`)).toEqual(
      [{ n: 10, gridded: 10 }],
    );
    const totals = await q(`select distinct households from grid_totals where county_code = $1`);
    expect(totals).toEqual([{ households: 120 }]);
  });

  it('serves the imported county over HTTP: its name, not synthetic, its compounds found', async () => {
    for (const [base, code, name] of [
      [ncBase, NC, '北卡县'],
      [gcjBase, GCJ, '宁夏北卡'],
    ] as const) {
      const county = CountyAnswer.parse(await (await fetch(`${base()}/api/county`)).json());
      expect(county).toMatchObject({ code, name, synthetic: false });
    }
    const res = await fetch(`${ncBase()}/api/search?q=Mecklenburg`);
    expect(res.status).toBe(200);
    const hits = SearchHit.array().parse((await res.json()).results);
    const hit = hits.find((h) => h.kind === 'compound' && h.name === 'Mecklenburg');
    expect(hit).toBeDefined();
    const card = await (await fetch(`${ncBase()}/api/areas/compound/${hit!.id}`)).json();
    expect(card).toMatchObject({ name: 'Mecklenburg', level: 'compound' });
    expect(card.figures.households).toBeGreaterThan(0);
    // The county level is named from the manifest, and the map opens on North Carolina, not on the demo town.
    const county = await (await fetch(`${ncBase()}/api/areas/county`)).json();
    expect(county).toMatchObject({ level: 'county', name: '北卡县' });
    const style = await (await fetch(`${ncBase()}/styles/gridlink.json`)).json();
    const [lon, lat] = style.center;
    expect(lon).toBeGreaterThan(-84.4);
    expect(lon).toBeLessThan(-75.4);
    expect(lat).toBeGreaterThan(33.8);
    expect(lat).toBeLessThan(36.6);
    expect(style.zoom).toBeLessThan(9);
  });

  it('records the import in the audit log', async () => {
    const { rows } = await pool.query(
      `select actor, after from audit_log where county_code = $1 and action = 'county.import'`,
      [NC],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].actor).not.toBe('');
    expect(rows[0].after.rows).toMatchObject({ compounds: 100 });
  });

  it('refuses a blocking package with exit 2 and writes no row of its code', async () => {
    const { code, output } = await importDir(badPackages(path.join(work, 'bad')).heavy);
    expect(code, output).toBe(2);
    expect(output).toContain('compound_too_heavy');
    expect(Object.values(await rowsOf(BAD)).every((n) => n === 0)).toBe(true);
  });

  it('replaces the county on a second import: the same rows, none twice', async () => {
    const before = await rowsOf(NC);
    const again = await importDir(packages.nc);
    expect(again.code, again.output).toBe(0);
    expect(again.output).toMatch(/It replaced \d+ rows/);
    const after = await rowsOf(NC);
    expect({ ...after, audit_log: 0, data_versions: 0 }).toEqual({ ...before, audit_log: 0, data_versions: 0 });
    expect(after.audit_log).toBe(before.audit_log + 1);
  });
});
