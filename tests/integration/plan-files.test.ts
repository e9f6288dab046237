import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MAX_IMPORT_BYTES } from '../../server/routes/plan-files.ts';
import type { Feature, FeatureCollection, MultiPolygon, Position } from 'geojson';
import { demoAccount, loginCookie } from '../helpers/auth.ts';
import { COUNTY, testPool } from '../helpers/db.ts';
import { exportPlan, filesDir, gdal, newPlan, ogrSelect, readLayer } from '../helpers/plan-files.ts';
import { wgs84ToGcj02 } from '../../server/plans/gcj02.ts';

// The planner's files (/plan): export read back by GDAL and compared with SQL; import of files made with
// ogr2ogr into a new draft; validity, CRS, bad files and roles.

const base = inject('baseUrl');
const pool = testPool();
const dir = filesDir('plan-files-test-');
let planner: string;
let reporter: string;
let planId: number;

const download = (format: string, file: string, layer = 'units'): Promise<string> =>
  exportPlan(planner, planId, `format=${format}&layer=${layer}`, path.join(dir, file));

function upload(
  route: 'preview' | 'apply',
  bytes: Buffer,
  fileName: string,
  fields: Record<string, string> = {},
  cookie = planner,
): Promise<Response> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), fileName);
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  return fetch(`${base}/api/plan-files/${route}`, { method: 'POST', body: form, headers: { cookie } });
}

/** Applies an import; returns the progress lines, the last naming the new draft. */
async function apply(
  bytes: Buffer,
  fileName: string,
  fields: Record<string, string> = {},
): Promise<{ stage: string; done: number; total: number; planId?: number }[]> {
  const res = await upload('apply', bytes, fileName, fields);
  const text = await res.text();
  expect(res.status, text).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/application\/x-ndjson/);
  return text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

async function assignmentOf(id: number): Promise<Record<string, string | null>> {
  const { rows } = await pool.query(
    'select unit_id, grid_label from plan_assignments where county_code = $1 and plan_id = $2',
    [COUNTY, id],
  );
  return Object.fromEntries(rows.map((r) => [r.unit_id, r.grid_label]));
}

async function counts(): Promise<number[]> {
  const { rows } = await pool.query(
    `select (select count(*)::int from plans) as p, (select count(*)::int from plan_assignments) as a, (select count(*)::int from audit_log) as l`,
  );
  return [rows[0].p, rows[0].a, rows[0].l];
}

beforeAll(async () => {
  planner = await loginCookie(demoAccount('planner'));
  reporter = await loginCookie(demoAccount('reporter'));
  planId = await newPlan(planner, 'files source');
});
afterAll(async () => {
  await pool.end();
});

describe('export', () => {
  let expectedUnits: Map<string, { grid_label: string | null; households: number; community: string }>;
  let expectedGrids: Map<string, { households: number; units: number }>;

  beforeAll(async () => {
    const { rows } = await pool.query(
      `select a.unit_id, a.grid_label, coalesce(c.households, b.households)::int as households,
              coalesce(c.community_id, bc.community_id) as community
       from plan_assignments a
       left join compounds c on c.county_code = a.county_code and c.id = a.unit_id
       left join buildings b on b.county_code = a.county_code and b.id = a.unit_id
       left join compounds bc on bc.county_code = b.county_code and bc.id = b.compound_id
       where a.county_code = $1 and a.plan_id = $2`,
      [COUNTY, planId],
    );
    expectedUnits = new Map(rows.map((r) => [r.unit_id, r]));
    const { rows: grids } = await pool.query(
      `select grid_label, sum(coalesce(c.households, b.households))::int as households, count(*)::int as units
       from plan_assignments a
       left join compounds c on c.county_code = a.county_code and c.id = a.unit_id
       left join buildings b on b.county_code = a.county_code and b.id = a.unit_id
       where a.county_code = $1 and a.plan_id = $2 and grid_label is not null group by grid_label`,
      [COUNTY, planId],
    );
    expectedGrids = new Map(grids.map((r) => [r.grid_label, r]));
    expect(expectedUnits.size).toBeGreaterThan(50);
  });

  function compareUnits(read: FeatureCollection<MultiPolygon, Record<string, unknown>>): void {
    expect(read.features).toHaveLength(expectedUnits.size);
    for (const f of read.features) {
      const want = expectedUnits.get(String(f.properties.unit_id))!;
      expect(want, String(f.properties.unit_id)).toBeDefined();
      expect(f.properties).toMatchObject({
        grid_label: want.grid_label,
        households: want.households,
        community: want.community,
      });
      // Shapefiles do not tell one-part MultiPolygons from Polygons.
      expect(['MultiPolygon', 'Polygon']).toContain(f.geometry.type);
    }
  }

  function compareGrids(read: FeatureCollection<MultiPolygon, Record<string, unknown>>): void {
    expect(read.features).toHaveLength(expectedGrids.size);
    for (const f of read.features)
      expect(f.properties).toMatchObject(expectedGrids.get(String(f.properties.grid_label))!);
  }

  it('GeoJSON: units, and the grids with ?layer=grids', async () => {
    compareUnits(readLayer(await download('geojson', 'units.geojson'), 'units'));
    const grids = await download('geojson', 'grids.geojson', 'grids');
    compareGrids(readLayer(grids, 'grids'));
  });

  it('GeoPackage: two layers, units and grids, in WGS84', async () => {
    const gpkg = await download('gpkg', 'plan.gpkg');
    const info = gdal('ogrinfo', '-ro', '-q', gpkg);
    expect(info).toMatch(/^1: units/m);
    expect(info).toMatch(/^2: grids/m);
    expect(gdal('ogrinfo', '-ro', '-so', gpkg, 'units')).toMatch(/WGS 84/);
    compareUnits(readLayer(gpkg, 'units'));
    compareGrids(readLayer(gpkg, 'grids'));
  });

  it('zipped Shapefile: units.shp and grids.shp with every attribute', async () => {
    const zip = await download('shp', 'plan.shp.zip');
    expect(gdal('unzip', '-l', zip)).toMatch(/units\.shp[\s\S]*units\.dbf[\s\S]*grids\.shp/);
    compareUnits(readLayer(`/vsizip/${zip}`, 'units'));
    compareGrids(readLayer(`/vsizip/${zip}`, 'grids'));
  });

  it('404 for no plan, 400 for an unknown format, 403 for a reporter', async () => {
    expect((await fetch(`${base}/api/plans/999999/export?format=gpkg`, { headers: { cookie: planner } })).status).toBe(
      404,
    );
    expect(
      (await fetch(`${base}/api/plans/${planId}/export?format=kml`, { headers: { cookie: planner } })).status,
    ).toBe(400);
    expect(
      (await fetch(`${base}/api/plans/${planId}/export?format=gpkg`, { headers: { cookie: reporter } })).status,
    ).toBe(403);
  });
});

describe('import', () => {
  let gpkg: string;
  let changed: string;

  beforeAll(async () => {
    gpkg = await download('gpkg', 'source.gpkg');
    const units = readLayer(gpkg, 'units');
    changed = String(units.features[3].properties.unit_id);
  });

  /** A copy of the exported units with `changed` moved to grid label IMPORTED1, written by ogr2ogr. */
  function modified(format: 'GPKG' | 'ESRI Shapefile', file: string): Buffer {
    const target = path.join(dir, file);
    rmSync(target, { force: true });
    const moved = `case when unit_id = '${changed}' then 'IMPORTED1' else grid_label end`;
    ogrSelect(
      format,
      target,
      gpkg,
      'units',
      `select unit_id, ${moved} as grid_label, households, community, geom from units`,
    );
    return readFileSync(target);
  }

  it('previews a GeoPackage: fields, guessed mapping, sample, no problems', async () => {
    const res = await upload('preview', modified('GPKG', 'preview.gpkg'), 'preview.gpkg');
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({
      format: 'GeoPackage',
      layer: 'units',
      mapping: { unitField: 'unit_id', labelField: 'grid_label', householdsField: 'households' },
    });
    expect(body.fields.map((f: { name: string }) => f.name)).toEqual(
      expect.arrayContaining(['unit_id', 'grid_label', 'households']),
    );
    expect(body.sample).toHaveLength(10);
    expect(body.problems).toMatchObject({
      unknown: [],
      invalid: [],
      misplaced: [],
      households: [],
      typeErrors: [],
      duplicates: [],
      unnamed: 0,
    });
  });

  it.each([
    ['zipped Shapefile', 'ESRI Shapefile', 'moved.shp.zip'],
    ['GeoPackage', 'GPKG', 'moved.gpkg'],
  ] as const)('applies a %s made with ogr2ogr into a new draft with that one change', async (_name, format, file) => {
    const before = await assignmentOf(planId);
    const lines = await apply(modified(format, file), file, { name: `import ${file}` });
    expect(lines[0]).toMatchObject({ stage: 'checked', done: 0 });
    expect(lines.some((l) => l.stage === 'writing')).toBe(true);
    const last = lines.at(-1)!;
    expect(last.stage).toBe('done');
    const after = await assignmentOf(last.planId!);
    expect(after[changed]).toBe('IMPORTED1');
    expect({ ...after, [changed]: before[changed] }).toEqual(before);
    const { rows } = await pool.query(`select after from audit_log where action = 'plan.import' and target = $1`, [
      `plan:${last.planId}`,
    ]);
    expect(rows).toHaveLength(1);
  });

  /** A GeoJSON of three units, the first with a self-intersecting (bow-tie) polygon over its own extent. */
  function bowtie(): Buffer {
    const units = readLayer(gpkg, 'units');
    const features = units.features.slice(0, 3) as Feature<MultiPolygon, Record<string, unknown>>[];
    const ring = features[0].geometry.coordinates[0][0];
    const xs = ring.map((p) => p[0]);
    const ys = ring.map((p) => p[1]);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    features[0] = {
      ...features[0],
      geometry: {
        type: 'MultiPolygon',
        coordinates: [
          [
            [
              [x0, y0],
              [x1, y1],
              [x1, y0],
              [x0, y1],
              [x0, y0],
            ],
          ],
        ],
      },
    };
    return Buffer.from(JSON.stringify({ type: 'FeatureCollection', features }));
  }

  it('refuses invalid geometry without consent, listing the features, and repairs it with consent', async () => {
    const before = await counts();
    const refused = await upload('apply', bowtie(), 'bowtie.geojson');
    const body = await refused.json();
    expect(refused.status).toBe(422);
    expect(body.error.code).toBe('InvalidGeometry');
    expect(body.error.details.invalid).toHaveLength(1);
    expect(body.error.details.invalid[0].reason).toMatch(/Self-intersection/i);
    expect(await counts()).toEqual(before);
    const lines = await apply(bowtie(), 'bowtie.geojson', { repair: 'true' });
    expect(lines.at(-1)!.stage).toBe('done');
  });

  it('reprojects a file in another CRS to WGS84 (EPSG:3857 here)', async () => {
    const target = path.join(dir, 'mercator.gpkg');
    rmSync(target, { force: true });
    gdal('ogr2ogr', '-f', 'GPKG', target, gpkg, 'units', '-t_srs', 'EPSG:3857');
    const body = await (await upload('preview', readFileSync(target), 'mercator.gpkg')).json();
    expect(body.crs).toMatch(/Pseudo-Mercator/);
    expect(body.problems.misplaced).toEqual([]);
    expect(body.problems.invalid).toEqual([]);
  });

  it('finds GCJ-02 coordinates away from their units, and converts them on request', async () => {
    const units = readLayer(gpkg, 'units');
    const shift = (c: unknown): unknown =>
      typeof (c as number[])[0] === 'number' ? wgs84ToGcj02(c as [number, number]) : (c as unknown[]).map(shift);
    const features = units.features.slice(0, 20).map((f) => ({
      ...f,
      geometry: { ...f.geometry, coordinates: shift(f.geometry.coordinates) as Position[][][] },
    }));
    const bytes = Buffer.from(JSON.stringify({ type: 'FeatureCollection', features }));
    const plain = await (await upload('preview', bytes, 'gcj.geojson')).json();
    expect(plain.problems.misplaced.length).toBeGreaterThan(10);
    const converted = await (await upload('preview', bytes, 'gcj.geojson', { gcj02: 'true' })).json();
    expect(converted.problems.misplaced).toEqual([]);
  });

  it.each([
    ['not a geodata file', Buffer.from('hello, this is text'), 'notes.txt', {}, 400],
    ['an empty file', Buffer.alloc(0), 'empty.geojson', {}, 400],
    ['no features', Buffer.from('{"type":"FeatureCollection","features":[]}'), 'none.geojson', {}, 400],
    ['a broken zip', Buffer.from('PK\x03\x04 broken', 'latin1'), 'broken.zip', {}, 400],
    [
      'unknown units',
      Buffer.from(
        JSON.stringify({
          type: 'FeatureCollection',
          features: [{ type: 'Feature', geometry: null, properties: { unit_id: 'NOPE1', grid_label: 'G001' } }],
        }),
      ),
      'unknown.geojson',
      {},
      422,
    ],
    [
      'households of the wrong type',
      Buffer.from(
        JSON.stringify({
          type: 'FeatureCollection',
          features: [
            { type: 'Feature', geometry: null, properties: { unit_id: 'X', grid_label: 'G001', households: 'many' } },
          ],
        }),
      ),
      'types.geojson',
      {},
      422,
    ],
    [
      'an unmapped field',
      Buffer.from(
        JSON.stringify({
          type: 'FeatureCollection',
          features: [{ type: 'Feature', geometry: null, properties: { foo: 'X' } }],
        }),
      ),
      'fields.geojson',
      {},
      422,
    ],
  ] as const)('refuses %s with a clear 4xx and writes nothing', async (_name, bytes, file, fields, status) => {
    const before = await counts();
    const res = await upload('apply', bytes, file, fields);
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(status);
    expect(body.error.message).toBeTruthy();
    expect(await counts()).toEqual(before);
  });

  it('refuses a file over 50 MB with 413, creating no draft', async () => {
    const before = (await pool.query('select count(*)::int as n from plans where county_code = $1', [COUNTY])).rows[0]
      .n;
    const res = await upload('apply', Buffer.alloc(MAX_IMPORT_BYTES + 1, 0x20), 'huge.geojson');
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/50 MB/);
    expect((await pool.query('select count(*)::int as n from plans where county_code = $1', [COUNTY])).rows[0].n).toBe(
      before,
    );
  });

  it('is for planners and admins only', async () => {
    const bytes = Buffer.from('{"type":"FeatureCollection","features":[]}');
    expect((await upload('preview', bytes, 'x.geojson', {}, reporter)).status).toBe(403);
    expect((await upload('apply', bytes, 'x.geojson', {}, reporter)).status).toBe(403);
    const admin = await loginCookie(demoAccount('admin'));
    expect((await upload('preview', bytes, 'x.geojson', {}, admin)).status).toBe(400);
  });
});
