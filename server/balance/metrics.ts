// Plan evaluation at unit level — the ground truth for `valid`: weights, contiguity, groups, parents, and
// Polsby-Popper of each grid's union. The union's perimeter is the sum of unit perimeters minus twice the boundary
// shared (or facing across the gap) inside the grid, so a road between two compounds of one grid is not counted
// as outline. The same function scores METIS's plans in the benchmark.
import { gridsAllowedForCompound } from '../../shared/plan-rules';
import type { Bounds } from './bisect';
import { polsbyPopper } from './geometry';
import { components } from './graph';
import type { GridSummary, Violation } from './types';
import type { PreparedUnits } from './units';

export interface PlanEvaluation {
  grids: GridSummary[];
  violations: Violation[];
  cutEdges: number;
  splitParents: number;
  meanPolsbyPopper: number;
  minWeight: number;
  maxWeight: number;
}

const EPSILON = 1e-7;
const formatWeight = (weight: number): string => (Number.isInteger(weight) ? String(weight) : weight.toFixed(2));

function listIds(ids: string[], units: readonly number[], limit = 50): string[] {
  const shown = units.slice(0, limit).map((u) => ids[u]);
  return units.length > limit ? [...shown, `… ${units.length - limit} more`] : shown;
}

/** `gridOfUnit[u]` indexes `labels` (−1: no grid). */
export function evaluatePlan(
  units: PreparedUnits,
  gridOfUnit: Int32Array,
  labels: readonly string[],
  bounds: Bounds,
): PlanEvaluation {
  const { planar, ids } = units;
  const { graph } = planar;
  const gridCount = labels.length;
  const weight = new Float64Array(gridCount);
  const area = new Float64Array(gridCount);
  const perimeter = new Float64Array(gridCount);
  const members: number[][] = Array.from({ length: gridCount }, () => []);
  let cutEdges = 0;
  for (let u = 0; u < graph.size; u++) {
    const grid = gridOfUnit[u];
    for (let e = graph.start[u]; e < graph.start[u + 1]; e++) {
      const w = graph.neighbours[e];
      if (w > u && gridOfUnit[w] !== grid && grid >= 0 && gridOfUnit[w] >= 0) cutEdges++;
    }
    if (grid < 0) continue;
    members[grid].push(u);
    weight[grid] += planar.weight[u];
    area[grid] += planar.area[u];
    perimeter[grid] += planar.perimeter[u];
    for (let e = graph.start[u]; e < graph.start[u + 1]; e++)
      if (gridOfUnit[graph.neighbours[e]] === grid) perimeter[grid] -= graph.shared[e];
  }

  const violations: Violation[] = [];
  const grids: GridSummary[] = [];
  for (let grid = 0; grid < gridCount; grid++) {
    const list = members[grid];
    if (list.length === 0) continue;
    const label = labels[grid];
    const groups = [...new Set(list.map((u) => planar.group[u]))];
    const groupName = units.groupNames[groups[0]];
    const pieces = components(graph, list);
    const contiguous = pieces.length === 1;
    const withinBounds = weight[grid] >= bounds.min - EPSILON && weight[grid] <= bounds.max + EPSILON;
    const polsby = polsbyPopper(area[grid], Math.max(0, perimeter[grid]));
    grids.push({
      id: label,
      group: groupName,
      weight: weight[grid],
      unitCount: list.length,
      area: area[grid],
      perimeter: Math.max(0, perimeter[grid]),
      polsbyPopper: polsby,
      contiguous,
      withinBounds,
    });
    if (weight[grid] < bounds.min - EPSILON) {
      violations.push({
        kind: 'grid-under-min',
        message: `grid ${label} has ${formatWeight(weight[grid])} households, fewer than the minimum ${bounds.min}`,
        grid: label,
        group: groupName,
        weight: weight[grid],
        unitIds: listIds(ids, list),
      });
    }
    if (weight[grid] > bounds.max + EPSILON) {
      violations.push({
        kind: 'grid-over-max',
        message: `grid ${label} has ${formatWeight(weight[grid])} households, more than the maximum ${bounds.max}`,
        grid: label,
        group: groupName,
        weight: weight[grid],
        unitIds: listIds(ids, list),
      });
    }
    if (!contiguous) {
      violations.push({
        kind: 'grid-not-contiguous',
        message: `grid ${label} falls into ${pieces.length} separate parts: ${pieces.map((piece) => `[${listIds(ids, piece, 5).join(', ')}]`).join(' ')}`,
        grid: label,
        group: groupName,
        unitIds: listIds(ids, list),
      });
    }
    if (groups.length > 1) {
      violations.push({
        kind: 'grid-spans-groups',
        message: `grid ${label} spans groups ${groups.map((g) => JSON.stringify(units.groupNames[g])).join(', ')}`,
        grid: label,
        unitIds: listIds(ids, list),
      });
    }
  }

  // Parents: whole when no heavier than max; otherwise in ceil(W/max) grids, each piece contiguous.
  const byParent = new Map<number, number[]>();
  for (let u = 0; u < graph.size; u++) {
    const p = units.parent[u];
    if (p < 0) continue;
    const list = byParent.get(p);
    if (list) list.push(u);
    else byParent.set(p, [u]);
  }
  let splitParents = 0;
  for (const [p, list] of byParent) {
    const name = units.parentNames[p];
    let total = 0;
    const gridsOfParent = new Map<number, number[]>();
    for (const u of list) {
      total += planar.weight[u];
      const grid = gridOfUnit[u];
      if (grid < 0) continue;
      const inGrid = gridsOfParent.get(grid);
      if (inGrid) inGrid.push(u);
      else gridsOfParent.set(grid, [u]);
    }
    if (gridsOfParent.size > 1) splitParents++;
    const allowed = gridsAllowedForCompound(total, bounds.max);
    if (gridsOfParent.size > allowed) {
      violations.push({
        kind: 'parent-split',
        message:
          `parent ${JSON.stringify(name)} (${formatWeight(total)} households) lies in ${gridsOfParent.size} grids ` +
          `(${[...gridsOfParent.keys()].map((g) => labels[g]).join(', ')}); it may use ${allowed}`,
        parent: name,
        weight: total,
        unitIds: listIds(ids, list),
      });
    }
    if (gridsOfParent.size > 1) {
      for (const [grid, inGrid] of gridsOfParent) {
        const parts = components(graph, inGrid, (v, w) => units.parent[v] === units.parent[w]);
        if (parts.length > 1) {
          violations.push({
            kind: 'parent-piece-not-contiguous',
            message: `the part of parent ${JSON.stringify(name)} in grid ${labels[grid]} falls into ${parts.length} separate pieces`,
            parent: name,
            grid: labels[grid],
            unitIds: listIds(ids, inGrid),
          });
        }
      }
    }
  }

  // Units left out although their connected part of the group has households.
  const unassigned: number[] = [];
  for (let u = 0; u < graph.size; u++) if (gridOfUnit[u] < 0) unassigned.push(u);
  if (unassigned.length) {
    for (const part of components(graph, unassigned, (v, w) => planar.group[v] === planar.group[w])) {
      // A part touching an assigned unit of its group, or holding households, should have been in a grid.
      let households = 0;
      let touchesGrid = false;
      for (const u of part) {
        households += planar.weight[u];
        for (let e = graph.start[u]; e < graph.start[u + 1]; e++) {
          const w = graph.neighbours[e];
          if (gridOfUnit[w] >= 0 && planar.group[w] === planar.group[u]) touchesGrid = true;
        }
      }
      if (households > 0 || touchesGrid) {
        violations.push({
          kind: 'unit-unassigned',
          message: `units ${listIds(ids, part, 10).join(', ')} (${formatWeight(households)} households) are in no grid`,
          group: units.groupNames[planar.group[part[0]]],
          unitIds: listIds(ids, part),
          weight: households,
        });
      }
    }
  }

  const weights = grids.map((grid) => grid.weight);
  return {
    grids,
    violations,
    cutEdges,
    splitParents,
    meanPolsbyPopper: grids.length ? grids.reduce((sum, grid) => sum + grid.polsbyPopper, 0) / grids.length : 0,
    minWeight: weights.length ? Math.min(...weights) : 0,
    maxWeight: weights.length ? Math.max(...weights) : 0,
  };
}
