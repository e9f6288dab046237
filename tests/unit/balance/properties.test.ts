// Property-based tests: random feasible inputs give plans where every hard rule holds; random infeasible inputs
// are reported (the culprit named) and never returned as valid.
import fc from 'fast-check';
import type { Polygon } from 'geojson';
import { describe, expect, test } from 'vitest';
import { balance, type BalanceUnit } from '../../../server/balance/index';
import { brokenRules, expectHonest, rectangle } from './helpers';

const CELL_M = 60;
const ROAD_M = 12;
/** A cell of the street grid at (col, row), in WGS84, near Yanchi. */
function cell(col: number, row: number, offsetM = 0): Polygon {
  const x0 = offsetM + col * (CELL_M + ROAD_M);
  const y0 = row * (CELL_M + ROAD_M);
  return rectangle(x0, y0, x0 + CELL_M, y0 + CELL_M);
}

interface Layout {
  cols: number;
  rows: number;
  weights: number[];
  /** Column where the second group starts (cols: one group). */
  split: number;
  /** Compounds given as 4 buildings each (index of cells), with the parent's weight spread over them. */
  heavy: number[];
}

function toUnits(layout: Layout): BalanceUnit[] {
  const units: BalanceUnit[] = [];
  for (let row = 0; row < layout.rows; row++) {
    for (let col = 0; col < layout.cols; col++) {
      const index = row * layout.cols + col;
      const group = col < layout.split ? 'west' : 'east';
      units.push({ id: `u${index}`, geometry: cell(col, row), weight: layout.weights[index], group });
    }
  }
  return units;
}

/** Street grids of 4–9 × 3–8 compounds of 0–100 households; every group weighs at least 750 (room for a grid count). */
const feasibleLayout = fc
  .record({
    cols: fc.integer({ min: 4, max: 9 }),
    rows: fc.integer({ min: 3, max: 8 }),
    seedWeights: fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 72, maxLength: 72 }),
    twoGroups: fc.boolean(),
  })
  .map(({ cols, rows, seedWeights, twoGroups }) => ({
    cols,
    rows,
    weights: seedWeights.slice(0, cols * rows),
    split: twoGroups ? Math.floor(cols / 2) : cols,
    heavy: [],
  }))
  .filter((layout) => {
    const groups = new Map<boolean, number>();
    layout.weights.forEach((weight, index) => {
      const west = index % layout.cols < layout.split;
      groups.set(west, (groups.get(west) ?? 0) + weight);
    });
    return [...groups.values()].every((weight) => weight >= 750);
  });

describe('balance properties', () => {
  test('feasible random inputs: a valid plan where every hard rule holds', async () => {
    await fc.assert(
      fc.asyncProperty(feasibleLayout, fc.integer({ min: 1, max: 1000 }), async (layout, seed) => {
        const units = toUnits(layout);
        const result = await balance(units, { seed });
        expect(result.violations).toEqual([]);
        expect(result.valid).toBe(true);
        expect(brokenRules(units, result.assignment, {})).toEqual([]);
      }),
      { numRuns: 40, seed: 4242 },
    );
  });

  test('feasible random inputs with a heavy compound split into buildings: parents split only as needed', async () => {
    // 9 buildings of about W/9 households: ceil(W/500) pieces must be possible at all.
    const heavy = fc
      .integer({ min: 510, max: 1400 })
      .filter((weight) => Math.ceil(9 / Math.ceil(weight / 500)) * Math.ceil(weight / 9) <= 500);
    await fc.assert(
      fc.asyncProperty(feasibleLayout, heavy, async (layout, heavyWeight) => {
        const units = toUnits({ ...layout, split: layout.cols });
        // Replace cell 0 by 3 × 3 buildings of one parent carrying heavyWeight households.
        const [first] = units.splice(0, 1);
        const box = (first.geometry as Polygon).coordinates[0];
        const [lon0, lat0] = box[0];
        const [lon1, lat1] = box[2];
        for (let i = 0; i < 9; i++) {
          const x = i % 3;
          const y = Math.floor(i / 3);
          const a = [lon0 + ((lon1 - lon0) * x) / 3, lat0 + ((lat1 - lat0) * y) / 3];
          const b = [lon0 + ((lon1 - lon0) * (x + 0.8)) / 3, lat0 + ((lat1 - lat0) * (y + 0.8)) / 3];
          units.push({
            id: `b${i}`,
            parent: 'big',
            group: first.group,
            weight: Math.floor(heavyWeight / 9) + (i < heavyWeight % 9 ? 1 : 0),
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [a[0], a[1]],
                  [b[0], a[1]],
                  [b[0], b[1]],
                  [a[0], b[1]],
                  [a[0], a[1]],
                ],
              ],
            },
          });
        }
        const result = await balance(units);
        expect(expectHonest(units, result, {})).toEqual([]);
        expect(result.valid).toBe(true);
        const gridsOfBig = new Set(
          units.filter((unit) => unit.parent === 'big').map((unit) => result.assignment[unit.id]),
        );
        expect(gridsOfBig.size).toBe(Math.ceil(heavyWeight / 500));
      }),
      { numRuns: 15, seed: 7 },
    );
  });

  test('infeasible random inputs: reported with the culprit, never returned as valid', async () => {
    const flaw = fc.constantFrom('light-group', 'heavy-unit', 'small-island');
    await fc.assert(
      fc.asyncProperty(feasibleLayout, flaw, fc.integer({ min: 1, max: 290 }), async (layout, kind, amount) => {
        const units = toUnits(layout);
        let culprit: string;
        if (kind === 'light-group') {
          // A separate community of 1–290 households in two compounds next to the others.
          culprit = 'tiny';
          units.push({ id: 'tiny-0', group: 'tiny', weight: Math.ceil(amount / 2), geometry: cell(layout.cols, 0) });
          units.push({ id: 'tiny-1', group: 'tiny', weight: Math.floor(amount / 2), geometry: cell(layout.cols, 1) });
        } else if (kind === 'heavy-unit') {
          culprit = 'u0';
          units[0].weight = 500 + amount;
        } else {
          // An island 600 m east of the grid, in the first group, with fewer households than one grid needs.
          culprit = 'island';
          units.push({ id: 'island', group: units[0].group, weight: amount, geometry: cell(layout.cols, 0, 600) });
        }
        const result = await balance(units);
        expect(result.valid).toBe(false);
        expect(expectHonest(units, result, {})).toEqual([]);
        const named = result.violations.some(
          (violation) =>
            violation.group === culprit || violation.unitIds?.includes(culprit) || violation.message.includes(culprit),
        );
        expect(named).toBe(true);
      }),
      { numRuns: 40, seed: 99 },
    );
  });

  test('arbitrary random inputs (coarse weights, random groups, parents, existing labels): valid only when every rule holds', async () => {
    const arbitrary = fc.record({
      cols: fc.integer({ min: 2, max: 7 }),
      rows: fc.integer({ min: 2, max: 6 }),
      cells: fc.array(
        fc.record({
          weight: fc.integer({ min: 0, max: 450 }),
          group: fc.constantFrom('a', 'b', 'c'),
          parent: fc.constantFrom(null, 'p', 'q'),
          label: fc.constantFrom(null, 'g1', 'g2', 'g3', 'g4'),
        }),
        { minLength: 42, maxLength: 42 },
      ),
    });
    await fc.assert(
      fc.asyncProperty(arbitrary, async ({ cols, rows, cells }) => {
        const units: BalanceUnit[] = [];
        for (let row = 0; row < rows; row++) {
          for (let col = 0; col < cols; col++) {
            const { weight, group, parent } = cells[row * cols + col];
            // A parent lies in one group: prefix it with the group.
            units.push({
              id: `u${units.length}`,
              geometry: cell(col, row),
              weight,
              group,
              parent: parent && `${group}-${parent}`,
            });
          }
        }
        const result = await balance(units);
        expect(expectHonest(units, result, {})).toEqual([]);
        // Rebalance of an arbitrary (mostly broken) existing assignment is just as honest.
        const assignment = Object.fromEntries(units.map((unit, index) => [unit.id, cells[index].label]));
        const rebalanced = await balance(units, { assignment });
        expect(expectHonest(units, rebalanced, {})).toEqual([]);
      }),
      { numRuns: 40, seed: 11 },
    );
  });

  test('coarse random inputs: valid exactly when a brute-force search finds a plan; otherwise the part is named', async () => {
    // 2–4 × 2–4 compounds of 100–450 households in one community: few valid cuts, often none. On this street grid
    // (12 m roads, 30 m gap) compounds are adjacent to their 8 neighbours (corners 17 m apart).
    const coarse = fc.record({
      cols: fc.integer({ min: 2, max: 4 }),
      rows: fc.integer({ min: 2, max: 4 }),
      weights: fc.array(fc.integer({ min: 100, max: 450 }), { minLength: 16, maxLength: 16 }),
    });
    await fc.assert(
      fc.asyncProperty(coarse, async ({ cols, rows, weights }) => {
        const n = cols * rows;
        const layout = { cols, rows, weights: weights.slice(0, n), split: cols, heavy: [] };
        const units = toUnits(layout);
        const result = await balance(units);
        expect(expectHonest(units, result, {})).toEqual([]);
        const exists = bruteForcePlanExists(cols, rows, layout.weights, 300, 500);
        expect(result.valid).toBe(exists);
        if (!exists)
          expect(
            result.violations.some((violation) => ['group-too-light', 'component-infeasible'].includes(violation.kind)),
          ).toBe(true);
      }),
      { numRuns: 60, seed: 2024 },
    );
  });

  test('a valid plan passed back as the assignment moves nobody', async () => {
    await fc.assert(
      fc.asyncProperty(feasibleLayout, async (layout) => {
        const units = toUnits(layout);
        const first = await balance(units);
        const again = await balance(units, { assignment: first.assignment });
        expect(again.valid).toBe(true);
        expect(again.householdsMoved).toBe(0);
        expect(again.assignment).toEqual(first.assignment);
      }),
      { numRuns: 15, seed: 3 },
    );
  });
});

/** Whether cells of a cols × rows grid (8-neighbour adjacency) can be cut into connected parts of min–max each:
 * every subset containing the lowest free cell is tried (bitmasks), independently of the engine's own search. */
function bruteForcePlanExists(cols: number, rows: number, weights: number[], min: number, max: number): boolean {
  const n = cols * rows;
  const neighbours = Array.from({ length: n }, (_, i) => {
    let mask = 0;
    for (let j = 0; j < n; j++) {
      if (
        j !== i &&
        Math.abs((i % cols) - (j % cols)) <= 1 &&
        Math.abs(Math.floor(i / cols) - Math.floor(j / cols)) <= 1
      )
        mask |= 1 << j;
    }
    return mask;
  });
  const connected = (mask: number): boolean => {
    const first = mask & -mask;
    let reached = first;
    let grown = true;
    while (grown) {
      grown = false;
      for (let i = 0; i < n; i++) {
        if (reached & (1 << i) && (neighbours[i] & mask & ~reached) !== 0) {
          reached |= neighbours[i] & mask;
          grown = true;
        }
      }
    }
    return reached === mask;
  };
  const weightOf = (mask: number): number => weights.reduce((sum, w, i) => (mask & (1 << i) ? sum + w : sum), 0);
  const failed = new Set<number>();
  const solve = (free: number): boolean => {
    if (free === 0) return true;
    if (failed.has(free)) return false;
    const lowest = free & -free;
    const others = free & ~lowest;
    // Every subset of the other free cells, joined with the lowest free cell.
    for (let sub = others; ; sub = (sub - 1) & others) {
      const part = sub | lowest;
      const w = weightOf(part);
      if (w >= min && w <= max && connected(part) && solve(free & ~part)) return true;
      if (sub === 0) break;
    }
    failed.add(free);
    return false;
  };
  return solve((1 << n) - 1);
}
