// Adjacency and shared boundary lengths: the definitions every hard rule and every compactness figure rest on.
import type { Polygon } from 'geojson';
import { describe, expect, test } from 'vitest';
import { buildAdjacency } from '../../../server/balance/adjacency';
import { rectangle } from './helpers';
import { createProjection, nearInterval, projectShape } from '../../../server/balance/geometry';

function graphOf(polygons: Polygon[], gap: number) {
  const projection = createProjection(polygons);
  const shapes = polygons.map((polygon) => projectShape(polygon, projection));
  return { shapes, graph: buildAdjacency(shapes, { gap }) };
}

function shared(graph: ReturnType<typeof graphOf>['graph'], a: number, b: number): number | undefined {
  for (let e = graph.start[a]; e < graph.start[a + 1]; e++) if (graph.neighbours[e] === b) return graph.shared[e];
  return undefined;
}

describe('adjacency', () => {
  test('touching rectangles share exactly their common side', () => {
    const { graph, shapes } = graphOf([rectangle(0, 0, 80, 60), rectangle(80, 0, 160, 60)], 0);
    expect(shared(graph, 0, 1)).toBeCloseTo(60, 1);
    expect(shapes[0].area).toBeCloseTo(4800, -1);
    expect(shapes[0].perimeter).toBeCloseTo(280, 0);
  });

  test('a 20 m road: adjacent with gap 30, not with gap 10; the facing side counts as shared', () => {
    const across = [rectangle(0, 0, 80, 60), rectangle(100, 0, 180, 60)];
    expect(shared(graphOf(across, 10).graph, 0, 1)).toBeUndefined();
    expect(shared(graphOf(across, 30).graph, 0, 1)).toBeCloseTo(60, 0);
  });

  test('diagonal neighbours across an intersection are adjacent but share nothing', () => {
    const { graph } = graphOf([rectangle(0, 0, 80, 60), rectangle(95, 75, 175, 135)], 30);
    expect(shared(graph, 0, 1)).toBe(0);
  });

  test('collinear walls either side of a road end do not count as shared', () => {
    // Side by side with a 15 m road: only the 60 m facing sides are shared, not the ends of the long sides.
    const { graph } = graphOf([rectangle(0, 0, 80, 60), rectangle(95, 0, 175, 60)], 30);
    expect(shared(graph, 0, 1)).toBeCloseTo(60, 0);
  });

  test('a park filling a courtyard shares the whole hole', () => {
    const ring = rectangle(0, 0, 100, 100).coordinates[0];
    const hole = rectangle(30, 30, 70, 70).coordinates[0].slice().reverse();
    const { graph, shapes } = graphOf([{ type: 'Polygon', coordinates: [ring, hole] }, rectangle(30, 30, 70, 70)], 0);
    expect(shapes[0].area).toBeCloseTo(10000 - 1600, -1);
    expect(shared(graph, 0, 1)).toBeCloseTo(160, 0);
  });
});

describe('nearInterval', () => {
  const out: [number, number] = [0, 0];
  test('a parallel segment 5 m away covers its overlap', () => {
    expect(nearInterval(0, 0, 10, 0, 5, 5, 20, 5, 6, out)).toBe(true);
    expect(out[0]).toBeCloseTo(0.5 - Math.sqrt(11) / 10, 6); // the disc around (5, 5) reaches back to x = 5 − √11
    expect(out[1]).toBe(1);
    expect(nearInterval(0, 0, 10, 0, 5, 5, 20, 5, 6, out, true)).toBe(true);
    expect(out).toEqual([0.5, 1]);
  });

  test('too far: nothing', () => {
    expect(nearInterval(0, 0, 10, 0, 0, 20, 10, 20, 5, out)).toBe(false);
  });
});
