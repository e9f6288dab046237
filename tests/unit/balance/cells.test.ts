// Cells of split parents: a parent's outline partitioned among its buildings, measured instead of the footprints.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { describe, expect, test } from 'vitest';
import { parentCells, shapeOfPolygons, type PlanarPolygons } from '../../../server/balance/cells';
import { balance, prepareUnits, resolveOptions, type BalanceUnit } from '../../../server/balance/index';
import type { PlanarShape } from '../../../server/balance/geometry';
import { brokenRules, rectangle, repoRoot } from './helpers';

const planarRectangle = (x0: number, y0: number, x1: number, y1: number): PlanarShape =>
  shapeOfPolygons([
    [
      [
        [x0, y0],
        [x1, y0],
        [x1, y1],
        [x0, y1],
        [x0, y0],
      ],
    ],
  ]);

/** True when every vertex of `inner` lies inside (or within a micrometre of) the convex ring `outer`. */
function insideConvex(inner: PlanarShape, outer: PlanarShape): boolean {
  const ring = outer.rings[0];
  let signed = 0;
  for (let i = 0; i + 3 < ring.length; i += 2) signed += ring[i] * ring[i + 3] - ring[i + 2] * ring[i + 1];
  const sign = Math.sign(signed);
  for (let k = 0; k + 1 < inner.rings[0].length; k += 2) {
    const px = inner.rings[0][k];
    const py = inner.rings[0][k + 1];
    for (let i = 0; i + 3 < ring.length; i += 2) {
      const ex = ring[i + 2] - ring[i];
      const ey = ring[i + 3] - ring[i + 1];
      const side = ex * (py - ring[i + 1]) - ey * (px - ring[i]);
      if (side * sign < -1e-6 * Math.hypot(ex, ey)) return false;
    }
  }
  return true;
}

describe('parent cells', () => {
  test('cells tile the outline and each holds its footprint, even a slab beside a small tower', () => {
    // A 90 m slab and a 12 m tower 8 m from its end: the plain Voronoi bisector of their centroids cuts the slab.
    const outline: PlanarPolygons = [
      [
        [
          [0, 0],
          [200, 0],
          [200, 100],
          [0, 100],
          [0, 0],
        ],
      ],
    ];
    const footprints = [
      planarRectangle(20, 40, 110, 55),
      planarRectangle(118, 40, 130, 52),
      planarRectangle(150, 70, 180, 85),
    ];
    const { cells, containsFootprints } = parentCells(footprints, outline);
    expect(containsFootprints).toBe(true);
    expect(cells.reduce((sum, cell) => sum + cell.area, 0)).toBeCloseTo(200 * 100, 3);
    cells.forEach((cell, i) => expect(insideConvex(footprints[i], cell)).toBe(true));
  });

  test('staggered slabs no power diagram separates: Voronoi cells corrected so that each holds its footprint', () => {
    const outline: PlanarPolygons = [
      [
        [
          [-10, -10],
          [100, -10],
          [100, 42],
          [-10, 42],
          [-10, -10],
        ],
      ],
    ];
    const boxes = [
      [0, 0, 60, 12],
      [30, 20, 90, 32],
    ];
    const footprints = boxes.map(([x0, y0, x1, y1]) => planarRectangle(x0, y0, x1, y1));
    const polygons: PlanarPolygons[] = boxes.map(([x0, y0, x1, y1]) => [
      [
        [
          [x0, y0],
          [x1, y0],
          [x1, y1],
          [x0, y1],
          [x0, y0],
        ],
      ],
    ]);
    const { cells, powerDiagram, containsFootprints } = parentCells(footprints, outline, polygons);
    expect(powerDiagram).toBe(false);
    expect(containsFootprints).toBe(true);
    expect(cells.reduce((sum, cell) => sum + cell.area, 0)).toBeCloseTo(110 * 52, 3);
    // Each cell holds all of its footprint: cell ∩ footprint = footprint, i.e. the other cell holds none of it.
    for (const [i, [x0, y0, x1, y1]] of boxes.entries()) {
      const other = cells[1 - i];
      const probe = (x: number, y: number): boolean => {
        let inside = false;
        for (const ring of other.rings) {
          for (let k = 0; k + 3 < ring.length; k += 2) {
            const [ax, ay, bx, by] = [ring[k], ring[k + 1], ring[k + 2], ring[k + 3]];
            if (ay > y !== by > y && x < ax + ((y - ay) * (bx - ax)) / (by - ay)) inside = !inside;
          }
        }
        return inside;
      };
      for (let x = x0 + 0.5; x < x1; x += 1) for (let y = y0 + 0.5; y < y1; y += 1) expect(probe(x, y)).toBe(false);
    }
  });

  test('a bad outline in option parents is rejected by name', async () => {
    const units: BalanceUnit[] = [{ id: 'a', geometry: rectangle(0, 0, 10, 10), weight: 400, parent: 'p' }];
    await expect(
      balance(units, { parents: { p: { type: 'Point', coordinates: [0, 0] } as unknown as Polygon } }),
    ).rejects.toMatchObject({
      name: 'BalanceInputError',
      field: 'parents',
      message: expect.stringMatching(/parent "p".*Polygon or MultiPolygon/),
    });
  });

  test('a non-convex outline (an L) is tiled too', () => {
    const outline: PlanarPolygons = [
      [
        [
          [0, 0],
          [100, 0],
          [100, 40],
          [40, 40],
          [40, 100],
          [0, 100],
          [0, 0],
        ],
      ],
    ];
    const footprints = [
      planarRectangle(10, 10, 30, 30),
      planarRectangle(60, 10, 90, 30),
      planarRectangle(10, 60, 30, 90),
    ];
    const { cells } = parentCells(footprints, outline);
    expect(cells.reduce((sum, cell) => sum + cell.area, 0)).toBeCloseTo(100 * 40 + 40 * 60, 3);
  });
});

describe('Q048 beside Q003: a light compound 10 m from the wall of a heavy compound whose buildings stand 50 m inside', () => {
  // The heavy compound: 300 × 200 m, 8 buildings of 90 households 50 m inside the wall; the light one 10 m south.
  const units: BalanceUnit[] = [];
  for (let row = 0; row < 2; row++) {
    for (let col = 0; col < 4; col++) {
      const x = 50 + col * 55;
      const y = 50 + row * 85;
      units.push({
        id: `heavy-${row}-${col}`,
        geometry: rectangle(x, y, x + 30, y + 15),
        weight: 90,
        group: 'W',
        parent: 'heavy',
      });
    }
  }
  units.push({ id: 'light', geometry: rectangle(0, -70, 150, -10), weight: 62, group: 'W', parent: 'light' });
  const neighboursOfLight = (prepared: ReturnType<typeof prepareUnits>): string[] => {
    const v = prepared.indexOf.get('light')!;
    const { graph } = prepared.planar;
    const names: string[] = [];
    for (let e = graph.start[v]; e < graph.start[v + 1]; e++) names.push(prepared.ids[graph.neighbours[e]]);
    return names.sort();
  };

  test("with the heavy compound's outline, the light compound is adjacent to the cells along its wall", () => {
    const prepared = prepareUnits(units, resolveOptions({ parents: { heavy: rectangle(0, 0, 300, 200) } }));
    expect(prepared.parentOutline[prepared.parentNames.indexOf('heavy')]).toBe('given');
    expect(neighboursOfLight(prepared)).toEqual(['heavy-0-0', 'heavy-0-1', 'heavy-0-2']);
    // The cells tile the compound: 300 × 200 m.
    const heavyArea = units
      .filter((unit) => unit.parent === 'heavy')
      .reduce((sum, unit) => sum + prepared.shapes[prepared.indexOf.get(unit.id)!].area, 0);
    expect(heavyArea).toBeCloseTo(60_000, -1);
    // Cells of one compound touch: each building is adjacent to its neighbours in the rows.
    const { graph } = prepared.planar;
    const first = prepared.indexOf.get('heavy-0-0')!;
    const near = Array.from(
      graph.neighbours.slice(graph.start[first], graph.start[first + 1]),
      (w) => prepared.ids[w],
    ).sort();
    expect(near).toEqual(['heavy-0-1', 'heavy-1-0', 'heavy-1-1', 'light']);
  });

  test('without the outline the hull of the buildings + 5 m stands 45 m off: the light compound stays alone', () => {
    const prepared = prepareUnits(units, resolveOptions({}));
    expect(prepared.parentOutline[prepared.parentNames.indexOf('heavy')]).toBe('derived');
    expect(neighboursOfLight(prepared)).toEqual([]);
  });
});

// The demo data (npm run geodata): compounds of at most 500 households as units, heavier ones as their buildings
// with the compounds' outlines as parents. With the default gap of 30 m the whole county is valid.
const demo = path.join(repoRoot, 'geodata/yanchi');
describe.skipIf(!existsSync(path.join(demo, 'buildings.geojson')))('Yanchi demo data with compound outlines', () => {
  test('default options: every community gridded validly, Q048 adjacent to the cells of Q003', async () => {
    const read = (file: string): FeatureCollection =>
      JSON.parse(readFileSync(path.join(demo, file), 'utf8')) as FeatureCollection;
    const units: BalanceUnit[] = [];
    const parents: Record<string, Polygon | MultiPolygon> = {};
    const heavy = new Map<string, string>();
    for (const compound of read('compounds.geojson').features) {
      const id = String(compound.id);
      const community = String(compound.properties?.community_id);
      if (Number(compound.properties?.households) > 500) {
        heavy.set(id, community);
        parents[id] = compound.geometry as Polygon;
      } else
        units.push({
          id,
          geometry: compound.geometry as Polygon,
          weight: Number(compound.properties?.households),
          group: community,
          parent: id,
        });
    }
    for (const building of read('buildings.geojson').features) {
      const parent = String(building.properties?.compound_id);
      if (heavy.has(parent))
        units.push({
          id: String(building.id),
          geometry: building.geometry as Polygon,
          weight: Number(building.properties?.households),
          group: heavy.get(parent)!,
          parent,
        });
    }
    const prepared = prepareUnits(units, resolveOptions({ parents }));
    const q048 = prepared.indexOf.get('Q048')!;
    const { graph } = prepared.planar;
    const parentsNear = new Set(
      Array.from(graph.neighbours.slice(graph.start[q048], graph.start[q048 + 1]), (w) => units[w].parent),
    );
    expect(parentsNear.has('Q003')).toBe(true);

    const result = await balance(units, { parents });
    expect(result.violations).toEqual([]);
    expect(result.valid).toBe(true);
    expect(result.grids.length).toBeGreaterThanOrEqual(110);
    expect(result.grids.every((grid) => grid.withinBounds && grid.contiguous)).toBe(true);
    expect(brokenRules(units, result.assignment, { parents })).toEqual([]);
  });
});
