import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { COUNTY, get, testPool } from '../helpers/db.ts';
import { tilesCovering } from '../helpers/tiles.ts';
import { openSse } from '../helpers/wall-sse.ts';
import { api, demoGrids, freePoint, freshSession } from '../helpers/issues-fixtures.ts';
import { CELL_ZOOM, cellCentreOf, metresBetween } from '../helpers/public-cells.ts';
import type { WallIssuePoints } from '../../server/db/wall-map-repo.ts';

/**
 * Every report position that anonymous callers and walls can read — the `issues` tiles at z10…z16, the wall's
 * issue points, the `issue` events of the stream and the wall figures' ticker, the OGC `events` collection — is
 * the centre of the ≈120 m heat cell the report lies in (the XYZ tile of z18), computed here independently of
 * the server.
 *
 * What "none within the cell size" means here: a cell centre is up to half a cell's diagonal (≈85 m) from a
 * report in that cell and may by chance lie on one, so the honest claims are (1) every public point is a cell
 * centre (within 1 m: tile coordinates are rounded), (2) the public points are exactly the cells of the
 * reports, as many per cell as reports, and (3) no public point is within 1 m of any exact report position,
 * except reports that themselves lie within 1 m of their cell's centre (counted, and expected to be rare: the
 * odds are π·1²/120² per report). Where a public point can be matched to its issue it must be its own cell.
 */
const pool = testPool();
const base = inject('baseUrl');
const NEAR_METRES = 1;
afterAll(() => pool.end());

type Point = [number, number];
let exact: { id: number; code: string; p: Point; createdAt: Date }[] = [];
/** Exact positions by cell key, and those that coincide with their cell's centre. */
const byCell = new Map<string, Point[]>();
let coincident = 0;

const cellKey = (p: readonly number[]) =>
  cellCentreOf(p[0], p[1])
    .map((v) => v.toFixed(7))
    .join(',');

beforeAll(async () => {
  const { rows } = await pool.query(
    `select id::int, code, st_x(location) as lon, st_y(location) as lat, created_at from issues
     where county_code = $1 and state not in ('void', 'duplicate') order by created_at, id`,
    [COUNTY],
  );
  exact = rows.map((r) => ({ id: r.id, code: r.code, p: [r.lon, r.lat] as Point, createdAt: r.created_at }));
  expect(exact.length).toBeGreaterThan(100);
  for (const e of exact) {
    const key = cellKey(e.p);
    byCell.set(key, [...(byCell.get(key) ?? []), e.p]);
    if (metresBetween(e.p, cellCentreOf(...e.p)) < NEAR_METRES) coincident++;
  }
  expect(coincident).toBeLessThan(5);
});

/** Claims (1) and (3) for a set of public points. */
function expectCellCentresOnly(points: readonly Point[], what: string): void {
  expect(points.length, what).toBeGreaterThan(0);
  for (const p of points) {
    expect(metresBetween(p, cellCentreOf(...p)), `${what}: ${p} is not a cell centre`).toBeLessThan(NEAR_METRES);
    // A report within 1 m of p is in p's cell (a centre is ~60 m from the cell's edges).
    for (const e of byCell.get(cellKey(p)) ?? []) {
      if (metresBetween(e, cellCentreOf(...e)) < NEAR_METRES) continue;
      expect(metresBetween(p, e), `${what}: ${p} is a report's exact position ${e}`).toBeGreaterThanOrEqual(
        NEAR_METRES,
      );
    }
  }
}

/** Claim (2): as many public points per cell as reports (for a complete set of points). */
function cellCounts(points: readonly (readonly number[])[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of points) out.set(cellKey(p), (out.get(cellKey(p)) ?? 0) + 1);
  return out;
}

async function tile(z: number, x: number, y: number): Promise<VectorTile> {
  const res = await get(`/tiles/issues/${z}/${x}/${y}.mvt`);
  expect(res.status).toBe(200);
  return new VectorTile(new PbfReader(new Uint8Array(await res.arrayBuffer())));
}

describe('the issues tiles', () => {
  it.each([15, 16])("at z%i carry cell centres only, one point per report, in the report's cell", async (z) => {
    const points: Point[] = [];
    for (const [x, y] of await tilesCovering(pool, 'issues', 'st_transform(location, 3857)', z)) {
      const layer = (await tile(z, x, y)).layers.issues;
      for (let i = 0; i < (layer?.length ?? 0); i++) {
        const f = layer.feature(i).toGeoJSON(x, y, z);
        expect(f.geometry.type).toBe('Point');
        // Tiles carry their buffer's points twice (in each tile): count the ones inside this tile only.
        const [lon, lat] = (f.geometry as { coordinates: number[] }).coordinates;
        const { x: tx, y: ty } = tileOf(lon, lat, z);
        if (tx === x && ty === y) points.push([lon, lat]);
      }
    }
    expectCellCentresOnly(points, `z${z} tiles`);
    expect(cellCounts(points)).toEqual(cellCounts(exact.map((e) => e.p)));
  });

  it.each([10, 11, 12, 13, 14])('at z%i count in bins no smaller than a cell', async (z) => {
    const minSide = 4096 / 2 ** (CELL_ZOOM - z);
    let sum = 0;
    for (const [x, y] of await tilesCovering(pool, 'issues', 'st_transform(location, 3857)', z)) {
      const layer = (await tile(z, x, y)).layers.issues;
      for (let i = 0; i < (layer?.length ?? 0); i++) {
        const f = layer.feature(i);
        expect(f.type).toBe(3);
        const ring = f.loadGeometry()[0];
        const xs = ring.map((p) => p.x);
        const ys = ring.map((p) => p.y);
        // Clipped at the tile's edge a bin could look smaller, but bins nest in tiles: none is clipped.
        expect(Math.max(...xs) - Math.min(...xs)).toBeGreaterThanOrEqual(minSide - 1);
        expect(Math.max(...ys) - Math.min(...ys)).toBeGreaterThanOrEqual(minSide - 1);
        sum += Number(f.properties.count);
      }
    }
    expect(sum).toBe(exact.length);
  });
});

function tileOf(lon: number, lat: number, z: number): { x: number; y: number } {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  return {
    x: Math.floor(((lon + 180) / 360) * n),
    y: Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n),
  };
}

describe('the wall', () => {
  it("issue points are the cells of the reports, each its own report's cell", async () => {
    const res = await get('/api/wall/issue-points');
    expect(res.status).toBe(200);
    const answer = (await res.json()) as WallIssuePoints;
    const points = answer.points.map(([lon, lat]) => [lon, lat] as Point);
    expectCellCentresOnly(points, 'issue points');
    const from = Date.parse(answer.from);
    const to = Date.parse(answer.generatedAt);
    const mine = exact.filter((e) => e.createdAt.getTime() >= from && e.createdAt.getTime() <= to);
    expect(points.length).toBe(mine.length);
    points.forEach((p, k) => expect(cellKey(p)).toBe(cellKey(mine[k].p)));
  });

  it("the ticker of the figures and the stream's issue event give the cell of a new report, not its point", async () => {
    const { workerGrid } = await demoGrids(pool);
    // A point well inside a cell, so that its centre is not the point itself by chance.
    let point = await freePoint(pool, workerGrid, 'street_litter', true);
    if (metresBetween([point.lon, point.lat], cellCentreOf(point.lon, point.lat)) < 10)
      point = { lon: point.lon, lat: point.lat + 0.0003 };
    const wall = await openSse(`${base}/api/stream`);
    try {
      await wall.next((m) => m.event === 'hello');
      const { cookie } = await freshSession(pool, 'reporter');
      const created = await api('POST', '/api/issues', cookie, {
        category: 'street_litter',
        description: '位置隐私',
        ...point,
        join: false,
      });
      expect(created.status).toBe(201);
      const event = await wall.next(
        (m) => m.event === 'issue' && JSON.parse(m.data).id === Number(created.body.id),
        5000,
      );
      const data = JSON.parse(event.data);
      const at: Point = [point.lon, point.lat];
      expect(metresBetween([data.lon, data.lat], cellCentreOf(...at))).toBeLessThan(NEAR_METRES);
      expect(metresBetween([data.lon, data.lat], at)).toBeGreaterThan(10);
      const figures = await (await get('/api/wall/figures')).json();
      const item = figures.recentEvents.find((e: { id: number }) => e.id === Number(created.body.id));
      expect(item).toBeDefined();
      expect(metresBetween([item.lon, item.lat], cellCentreOf(...at))).toBeLessThan(NEAR_METRES);
      expectCellCentresOnly(
        figures.recentEvents
          .filter((e: { lon: number | null }) => e.lon !== null)
          .map((e: { lon: number; lat: number }) => [e.lon, e.lat]),
        'ticker',
      );
    } finally {
      wall.close();
    }
  });
});

describe('the OGC events collection', () => {
  it('gives anonymous callers each report at its own cell centre', async () => {
    const features: { id: string; geometry: { coordinates: Point } }[] = [];
    let url: string | undefined = `${base}/ogc/collections/events/items?limit=1000`;
    while (url) {
      const body: any = await (await fetch(url)).json();
      features.push(...body.features);
      url = body.links.find((l: { rel: string }) => l.rel === 'next')?.href;
    }
    const byCode = new Map(exact.map((e) => [e.code, e.p]));
    const mine = features.filter((f) => byCode.has(f.id));
    expect(mine.length).toBe(exact.length);
    expectCellCentresOnly(
      mine.map((f) => f.geometry.coordinates),
      'OGC events',
    );
    for (const f of mine) expect(cellKey(f.geometry.coordinates)).toBe(cellKey(byCode.get(f.id)!));
  });
});
