// Geometry of the committed demo data: valid rings (RFC 7946 winding, 7 decimals), no overlaps,
// compounds clear of roads, buildings inside compounds, grids contiguous, unions consistent.
import * as turf from '@turf/turf';
import Flatbush from 'flatbush';
import { describe, expect, it } from 'vitest';
import { load, type F } from './geodata-load';

const d = load();
const LAT0 = 37.784;
const MX = 111_320 * Math.cos((LAT0 * Math.PI) / 180);
const MY = 110_574;
type P = [number, number];
const toM = ([x, y]: number[]): P => [x * MX, y * MY];

const polys = (f: F): number[][][][] =>
  f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;

function signedArea(r: number[][]): number {
  let s = 0;
  for (let i = 0; i + 1 < r.length; i++) s += r[i][0] * r[i + 1][1] - r[i + 1][0] * r[i][1];
  return s / 2;
}
function segsCross(a: number[], b: number[], c: number[], e: number[]): boolean {
  const o = (p: number[], q: number[], r: number[]) =>
    Math.sign((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]));
  const onSeg = (p: number[], q: number[], r: number[]) =>
    Math.min(p[0], r[0]) <= q[0] &&
    q[0] <= Math.max(p[0], r[0]) &&
    Math.min(p[1], r[1]) <= q[1] &&
    q[1] <= Math.max(p[1], r[1]);
  const [o1, o2, o3, o4] = [o(a, b, c), o(a, b, e), o(c, e, a), o(c, e, b)];
  if (o1 !== o2 && o3 !== o4) return true;
  return (
    (o1 === 0 && onSeg(a, c, b)) ||
    (o2 === 0 && onSeg(a, e, b)) ||
    (o3 === 0 && onSeg(c, a, e)) ||
    (o4 === 0 && onSeg(c, b, e))
  );
}
/** A ring is simple when no two non-adjacent edges touch. */
function ringSimple(r: number[][]): boolean {
  const n = r.length - 1;
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      if (j === i + 1 || (i === 0 && j === n - 1)) continue;
      if (segsCross(r[i], r[i + 1], r[j], r[j + 1])) return false;
    }
  return true;
}

function polyArea(f: F): number {
  return turf.area(f as any);
}
/** Area of overlap in m² of two polygon features (0 when they only touch). */
function overlap(a: F, b: F): number {
  const i = turf.intersect(turf.featureCollection([a as any, b as any]));
  return i ? turf.area(i) : 0;
}
function bbox(f: F): [number, number, number, number] {
  const b = turf.bbox(f as any);
  return [b[0], b[1], b[2], b[3]];
}
function pairs(fs: F[], pad = 0): [number, number][] {
  const idx = new Flatbush(fs.length);
  const bbs = fs.map(bbox);
  for (const b of bbs) idx.add(b[0] - pad, b[1] - pad, b[2] + pad, b[3] + pad);
  idx.finish();
  const out: [number, number][] = [];
  bbs.forEach((b, i) => {
    for (const j of idx.search(b[0] - pad, b[1] - pad, b[2] + pad, b[3] + pad)) if (j > i) out.push([i, j]);
  });
  return out;
}
/** Planar distance in metres between two disjoint polygons (min vertex-to-edge). */
function distM(a: F, b: F): number {
  const ra = polys(a)
    .flatMap((p) => p)
    .map((r) => r.map(toM));
  const rb = polys(b)
    .flatMap((p) => p)
    .map((r) => r.map(toM));
  const ptSeg = (p: P, s: P, e: P) => {
    const [dx, dy] = [e[0] - s[0], e[1] - s[1]];
    const t = Math.max(0, Math.min(1, ((p[0] - s[0]) * dx + (p[1] - s[1]) * dy) / (dx * dx + dy * dy || 1)));
    return Math.hypot(p[0] - s[0] - t * dx, p[1] - s[1] - t * dy);
  };
  let best = Infinity;
  for (const [x, y] of [
    [ra, rb],
    [rb, ra],
  ])
    for (const r of x)
      for (const p of r)
        for (const q of y) for (let i = 0; i + 1 < q.length; i++) best = Math.min(best, ptSeg(p, q[i], q[i + 1]));
  return best;
}

const areal = ['streets', 'communities', 'grids', 'compounds', 'buildings'] as const;

describe('geometry validity', () => {
  it('polygons: closed, simple, CCW exterior and CW holes, 7 decimals, turf-valid', () => {
    const all = [...areal.flatMap((k) => d[k]), ...d.basemap.filter((f) => f.geometry.type === 'Polygon')];
    for (const f of all) {
      expect(['Polygon', 'MultiPolygon'], f.id).toContain(f.geometry.type);
      for (const p of polys(f)) {
        p.forEach((ring, k) => {
          expect(ring.length, f.id).toBeGreaterThanOrEqual(4);
          expect(ring[0], f.id).toEqual(ring[ring.length - 1]);
          for (const [x, y] of ring) {
            expect(Math.round(x * 1e7) / 1e7).toBe(x);
            expect(Math.round(y * 1e7) / 1e7).toBe(y);
          }
          expect(ringSimple(ring), `${f.id} ring ${k} self-intersects`).toBe(true);
          if (k === 0) expect(signedArea(ring), `${f.id} exterior not CCW`).toBeGreaterThan(0);
          else expect(signedArea(ring), `${f.id} hole not CW`).toBeLessThan(0);
        });
      }
      expect(turf.booleanValid(f as any), f.id).toBe(true);
    }
  });
  it('everything lies in the 4 x 4 km town near 107.405 E, 37.784 N', () => {
    const [x0, y0, x1, y1] = turf.bbox(turf.featureCollection(d.basemap as any));
    expect((x1 - x0) * MX).toBeGreaterThan(3_900);
    expect((x1 - x0) * MX).toBeLessThan(4_100);
    expect((y1 - y0) * MY).toBeGreaterThan(3_900);
    expect((y1 - y0) * MY).toBeLessThan(4_100);
    expect(Math.abs((x0 + x1) / 2 - 107.405)).toBeLessThan(0.01);
    expect(Math.abs((y0 + y1) / 2 - 37.784)).toBeLessThan(0.01);
  });
  it('grids and compounds are single polygons', () => {
    for (const f of [...d.grids, ...d.compounds, ...d.buildings]) expect(f.geometry.type, f.id).toBe('Polygon');
  });
});

describe('no overlaps', () => {
  for (const k of ['compounds', 'grids', 'buildings', 'communities', 'streets'] as const) {
    it(`${k} do not overlap each other`, () => {
      const fs = d[k];
      for (const [i, j] of pairs(fs)) expect(overlap(fs[i], fs[j]), `${fs[i].id} x ${fs[j].id}`).toBeLessThan(0.01);
    });
  }
  it('compounds keep clear of the road surface', () => {
    const roads = d.basemap.filter((f) => f.properties.kind === 'road');
    const buffers = roads.map(
      (r) => turf.buffer(r as any, r.properties.width_m / 2, { units: 'meters' })! as unknown as F,
    );
    expect(buffers.length).toBeGreaterThan(10);
    const idx = new Flatbush(buffers.length);
    for (const b of buffers) idx.add(...bbox(b));
    idx.finish();
    let checked = 0;
    for (const q of d.compounds) {
      const [x0, y0, x1, y1] = bbox(q);
      const pad = 10 / MY; // also look at roads a few metres away
      for (const j of idx.search(x0 - pad, y0 - pad, x1 + pad, y1 + pad)) {
        checked++;
        expect(turf.booleanIntersects(q as any, buffers[j] as any), `${q.id} on ${roads[j].properties.name}`).toBe(
          false,
        );
      }
    }
    expect(checked).toBeGreaterThan(0); // compounds do sit next to roads
  });
});

describe('containment', () => {
  const grid = new Map(d.grids.map((f) => [f.id, f]));
  const compound = new Map(d.compounds.map((f) => [f.id, f]));
  const community = new Map(d.communities.map((f) => [f.id, f]));
  it('buildings inside their compound and their grid', () => {
    for (const b of d.buildings) {
      expect(turf.booleanWithin(b as any, compound.get(b.properties.compound_id) as any), b.id).toBe(true);
      expect(turf.booleanWithin(b as any, grid.get(b.properties.grid_id) as any), b.id).toBe(true);
    }
  });
  it('whole compounds inside their grid', () => {
    for (const q of d.compounds.filter((f) => f.properties.grid_id))
      expect(turf.booleanWithin(q as any, grid.get(q.properties.grid_id) as any), q.id).toBe(true);
  });
  it('stations stand inside their grid; micro living rooms inside a compound, posts beside a primary road', () => {
    const primary = d.basemap.filter((f) => f.properties.kind === 'road' && f.properties.class === 'primary');
    for (const s of d.stations) {
      expect(turf.booleanPointInPolygon(s as any, grid.get(s.properties.grid_id) as any), s.id).toBe(true);
      if (s.properties.kind === 'micro_living_room')
        expect(
          d.compounds.some((q) => q.properties.grid_id !== undefined && turf.booleanPointInPolygon(s as any, q as any)),
          s.id,
        ).toBe(true);
      if (s.properties.kind === 'street_post') {
        const dm = Math.min(...primary.map((r) => turf.pointToLineDistance(s as any, r as any, { units: 'meters' })));
        expect(dm, s.id).toBeLessThan(25);
        expect(dm, s.id).toBeGreaterThan(r0(primary)); // on the side, not on the carriageway
      }
      expect(
        d.buildings.some((b) => turf.booleanPointInPolygon(s as any, b as any)),
        `${s.id} inside a building`,
      ).toBe(false);
    }
  });
  it('a community is the union of its grids, a street the union of its communities', () => {
    for (const [parents, key, children] of [
      [d.communities, 'community_id', d.grids],
      [d.streets, 'street_id', d.communities],
    ] as const) {
      for (const p of parents) {
        const kids = children.filter((c) => c.properties[key] === p.id);
        expect(kids.length).toBeGreaterThan(0);
        const sumArea = kids.reduce((s, c) => s + polyArea(c), 0);
        expect(Math.abs(polyArea(p) - sumArea) / sumArea, p.id).toBeLessThan(1e-6);
        for (const c of kids) expect(turf.booleanWithin(c as any, p as any), `${c.id} in ${p.id}`).toBe(true);
      }
    }
    expect(d.grids.every((g) => community.has(g.properties.community_id))).toBe(true);
  });
});

function r0(primary: F[]): number {
  return Math.max(...primary.map((r) => r.properties.width_m / 2));
}

describe('contiguity and shapes', () => {
  it("each grid's compounds (or its part of a split compound) form one set connected within 30 m", () => {
    for (const g of d.grids) {
      const whole = d.compounds.filter((q) => q.properties.grid_id === g.id);
      // the grid's part of a split compound: the compound clipped to the grid
      const splitIds = new Set(
        d.buildings.filter((b) => b.properties.grid_id === g.id).map((b) => b.properties.compound_id),
      );
      const splitParts = d.compounds
        .filter((q) => q.properties.grid_id === null && splitIds.has(q.id))
        .map((q) => turf.intersect(turf.featureCollection([q as any, g as any])) as unknown as F);
      for (const part of splitParts) expect(part && part.geometry.type, g.id).toBe('Polygon');
      const units = [...whole, ...splitParts];
      expect(units.length, g.id).toBeGreaterThan(0);
      const seen = new Set([0]);
      const stack = [0];
      while (stack.length) {
        const i = stack.pop()!;
        units.forEach((u, j) => {
          if (!seen.has(j) && distM(units[i], u) <= 30) {
            seen.add(j);
            stack.push(j);
          }
        });
      }
      expect(seen.size, g.id).toBe(units.length);
    }
  });
  it('building footprints look like their form', () => {
    for (const b of d.buildings) {
      const [x0, y0, x1, y1] = bbox(b);
      const w = (x1 - x0) * MX;
      const h = (y1 - y0) * MY;
      const aspect = Math.max(w, h) / Math.min(w, h);
      if (b.properties.form === 'slab') expect(aspect, b.id).toBeGreaterThanOrEqual(2);
      if (b.properties.form === 'tower') expect(aspect, b.id).toBeLessThan(1.6);
      if (b.properties.form === 'low') expect(w * h, b.id).toBeLessThan(250);
    }
  });
});
