// The exhaustive search behind "no region left unsolved when a valid plan exists": it finds the one valid cut that
// random spanning trees miss, proves impossibility (naming units that fit in no grid), and gives up within budget.
import { describe, expect, test } from 'vitest';
import { Bisector } from '../../../server/balance/bisect';
import { exactPartition } from '../../../server/balance/exact';
import { graphFromEdges, isLabelConnected, type PlanarGraph } from '../../../server/balance/graph';
import { createRandom } from '../../../server/balance/random';

const BOUNDS = { min: 300, max: 500 };

/** A planar graph from weights and neighbour lists (areas and perimeters of unit squares). */
function planarGraph(weights: number[], neighbours: number[][]): PlanarGraph {
  const edges = neighbours.flatMap((list, a) => list.filter((b) => b > a).map((b) => ({ a, b, shared: 1 })));
  const size = weights.length;
  return {
    graph: graphFromEdges(size, edges),
    weight: Float64Array.from(weights),
    area: new Float64Array(size).fill(1),
    perimeter: new Float64Array(size).fill(4),
    centroidX: Float64Array.from(weights, (_, i) => i % 5),
    centroidY: Float64Array.from(weights, (_, i) => Math.floor(i / 5)),
    group: new Int32Array(size),
  };
}

function expectValidPlan(planar: PlanarGraph, parts: number[][]): void {
  const label = new Int32Array(planar.graph.size).fill(-1);
  parts.forEach((part, index) =>
    part.forEach((v) => {
      label[v] = index;
    }),
  );
  expect([...label].every((grid) => grid >= 0)).toBe(true);
  expect(parts.flat().length).toBe(planar.graph.size);
  parts.forEach((part, index) => {
    const weight = part.reduce((sum, v) => sum + planar.weight[v], 0);
    expect(weight).toBeGreaterThanOrEqual(BOUNDS.min);
    expect(weight).toBeLessThanOrEqual(BOUNDS.max);
    expect(isLabelConnected(planar.graph, label, index, part)).toBe(true);
  });
}

// Community T056-C01 of the ×100 demo data (25 units, 4,721 households; the compound of 713 households already cut
// into its two pieces 364 and 349): room for 10–15 grids by weight, and exactly one valid plan, which the bisection
// did not find. Piece 16 (299 households) hangs on piece 15 (144) alone.
const T056_C01: [number, number[]][] = [
  [428, [13, 12]],
  [201, [2, 11, 13]],
  [207, [1, 3, 10, 11]],
  [124, [2, 4, 5, 10]],
  [119, [3, 6, 5]],
  [108, [3, 4, 6, 10]],
  [402, [4, 5, 7, 8, 17, 9]],
  [128, [6, 8]],
  [208, [6, 7, 17, 9]],
  [374, [6, 8, 17, 18]],
  [437, [2, 3, 5]],
  [375, [1, 2, 13, 15, 14]],
  [154, [0, 13, 14]],
  [143, [0, 1, 11, 12, 14]],
  [157, [11, 12, 13, 15]],
  [144, [11, 14, 16]],
  [299, [15]],
  [364, [6, 8, 9, 18]],
  [349, [9, 17]],
];

describe('exhaustive search of a region', () => {
  test('finds the only valid plan of a coarse community (×100 demo data, T056-C01)', () => {
    const planar = planarGraph(
      T056_C01.map(([w]) => w),
      T056_C01.map(([, list]) => list),
    );
    const nodes = T056_C01.map((_, i) => i);
    const outcome = exactPartition(planar, nodes, BOUNDS);
    expect(outcome.status).toBe('found');
    if (outcome.status !== 'found') return;
    expectValidPlan(planar, outcome.parts);
    const canonical = outcome.parts
      .map((part) =>
        part
          .slice()
          .sort((a, b) => a - b)
          .join(','),
      )
      .sort();
    expect(canonical).toEqual(['0', '1,2', '10', '11', '12,13,14', '15,16', '17', '18', '3,4,5', '6', '7,8', '9']);
    // The random-tree bisection alone misses it for most seeds (which is why the engine falls back to this search).
    let bisectionFound = 0;
    for (let seed = 1; seed <= 10; seed++) {
      for (let k = 10; k <= 15; k++)
        if (new Bisector(planar, BOUNDS, createRandom(seed), 12).partition(nodes, k).exact) {
          bisectionFound++;
          break;
        }
    }
    expect(bisectionFound).toBeLessThan(10);
  });

  test('proves a chain 299–250–250–299 impossible and names the ends, which fit in no grid', () => {
    const planar = planarGraph([299, 250, 250, 299], [[1], [0, 2], [1, 3], [2]]);
    const outcome = exactPartition(planar, [0, 1, 2, 3], BOUNDS);
    expect(outcome).toEqual({
      status: 'none',
      isolated: [
        { node: 0, heaviestUnder: 299, lightestOver: 549 },
        { node: 3, heaviestUnder: 299, lightestOver: 549 },
      ],
    });
  });

  test('proves 200–200–200 impossible although every unit fits in some grid', () => {
    const planar = planarGraph([200, 200, 200], [[1], [0, 2], [1]]);
    expect(exactPartition(planar, [0, 1, 2], BOUNDS)).toEqual({ status: 'none', isolated: [] });
  });

  test('households-free units join a neighbouring grid', () => {
    const planar = planarGraph([0, 350, 0, 400, 0], [[1], [0, 2], [1, 3], [2, 4], [3]]);
    const outcome = exactPartition(planar, [0, 1, 2, 3, 4], BOUNDS);
    expect(outcome.status).toBe('found');
    if (outcome.status === 'found') expectValidPlan(planar, outcome.parts);
  });

  test('gives up, never claims a proof, when its budget runs out or it is stopped', () => {
    // 10 × 10 units of 40 households: a valid plan exists, but not within 50 steps.
    const weights = new Array(100).fill(40);
    const neighbours = weights.map((_, i) =>
      [i - 10, i + 10, i % 10 ? i - 1 : -1, i % 10 < 9 ? i + 1 : -1].filter((j) => j >= 0 && j < 100),
    );
    const planar = planarGraph(weights, neighbours);
    const nodes = weights.map((_, i) => i);
    expect(exactPartition(planar, nodes, BOUNDS, { maxSteps: 50 })).toEqual({ status: 'gave-up' });
    expect(exactPartition(planar, nodes, BOUNDS, { shouldStop: () => true })).toEqual({ status: 'gave-up' });
    // A capped candidate list makes a failure unproven.
    const tight = planarGraph([...weights.slice(0, 99), 599], neighbours);
    expect(
      exactPartition(tight, nodes, { min: 300, max: 500 }, { maxCandidates: 5, maxSteps: 20_000 }).status,
    ).not.toBe('none');
  });
});
