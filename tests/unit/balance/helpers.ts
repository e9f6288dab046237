// Shared helpers of the balance tests: units from GeoJSON, rectangles measured in metres, and an independent
// check of every hard rule.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import {
  prepareUnits,
  resolveOptions,
  type BalanceOptions,
  type BalanceResult,
  type BalanceUnit,
} from '../../../server/balance/index';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const METRES_PER_DEGREE = 111_195;
const LAT0 = 37.78;

/** An axis-aligned rectangle x0..x1 × y0..y1 metres from (107.4° E, 37.78° N). */
export function rectangle(x0: number, y0: number, x1: number, y1: number): Polygon {
  const lon = (x: number): number => 107.4 + x / (METRES_PER_DEGREE * Math.cos((LAT0 * Math.PI) / 180));
  const lat = (y: number): number => LAT0 + y / METRES_PER_DEGREE;
  return {
    type: 'Polygon',
    coordinates: [
      [
        [lon(x0), lat(y0)],
        [lon(x1), lat(y0)],
        [lon(x1), lat(y1)],
        [lon(x0), lat(y1)],
        [lon(x0), lat(y0)],
      ],
    ],
  };
}

export interface PropertyNames {
  weight: string;
  group?: string;
  parent?: string;
}

export function unitsFromCollection(collection: FeatureCollection, names: PropertyNames): BalanceUnit[] {
  return collection.features.map((feature, index) => {
    const property = (name?: string): string | null => {
      const value = name ? feature.properties?.[name] : undefined;
      return value === undefined || value === null ? null : String(value);
    };
    return {
      id: feature.id !== undefined ? String(feature.id) : String(index),
      geometry: feature.geometry as Polygon | MultiPolygon,
      weight: Number(feature.properties?.[names.weight]),
      group: property(names.group),
      parent: property(names.parent),
    };
  });
}

/** Whether `list` (unit indices) is one piece in the adjacency `graph` (edges of unit v: start[v] to start[v + 1]). */
function connected(graph: { start: ArrayLike<number>; neighbours: ArrayLike<number> }, list: number[]): boolean {
  const inList = new Set(list);
  const seen = new Set([list[0]]);
  const queue = [list[0]];
  while (queue.length) {
    const v = queue.pop()!;
    for (let e = graph.start[v]; e < graph.start[v + 1]; e++) {
      const w = graph.neighbours[e];
      if (inList.has(w) && !seen.has(w)) {
        seen.add(w);
        queue.push(w);
      }
    }
  }
  return seen.size === list.length;
}

/**
 * Checks the hard rules on a plan with its own traversals (only the adjacency definition is shared with the
 * engine). Returns one message per broken rule; empty when the plan is valid.
 */
export function brokenRules(
  units: BalanceUnit[],
  assignment: Record<string, string | null>,
  options: Partial<BalanceOptions> = {},
): string[] {
  const resolved = resolveOptions(options);
  const { planar } = prepareUnits(units, resolved);
  const { graph } = planar;
  const problems: string[] = [];
  const members = new Map<string, number[]>();
  units.forEach((unit, u) => {
    const grid = assignment[unit.id];
    if (grid === undefined) problems.push(`unit ${unit.id} missing from the assignment`);
    if (grid === null || grid === undefined) return;
    if (!members.has(grid)) members.set(grid, []);
    members.get(grid)!.push(u);
  });
  for (const [grid, list] of members) {
    const weight = list.reduce((sum, u) => sum + units[u].weight, 0);
    if (weight < resolved.min - 1e-6 || weight > resolved.max + 1e-6) problems.push(`grid ${grid} weighs ${weight}`);
    const groups = new Set(list.map((u) => units[u].group ?? null));
    if (groups.size > 1) problems.push(`grid ${grid} spans groups ${[...groups].join(', ')}`);
    if (!connected(graph, list)) problems.push(`grid ${grid} is not contiguous`);
  }
  // Unassigned units must hold no households and touch no unit of their group that has a grid.
  units.forEach((unit, u) => {
    if (assignment[unit.id] !== null) return;
    if (unit.weight > 0) problems.push(`unit ${unit.id} with ${unit.weight} households has no grid`);
    for (let e = graph.start[u]; e < graph.start[u + 1]; e++) {
      const w = graph.neighbours[e];
      if (assignment[units[w].id] !== null && (units[w].group ?? null) === (unit.group ?? null))
        problems.push(`unit ${unit.id} has no grid but touches grid ${assignment[units[w].id]}`);
    }
  });
  // Parents: whole up to max; otherwise in exactly ceil(W/max) grids, each piece contiguous among the parent's units.
  const parents = new Map<string, number[]>();
  units.forEach((unit, u) => {
    if (!unit.parent) return;
    if (!parents.has(unit.parent)) parents.set(unit.parent, []);
    parents.get(unit.parent)!.push(u);
  });
  for (const [parent, list] of parents) {
    const weight = list.reduce((sum, u) => sum + units[u].weight, 0);
    const grids = new Map<string, number[]>();
    for (const u of list) {
      const grid = assignment[units[u].id];
      if (grid === null || grid === undefined) continue;
      if (!grids.has(grid)) grids.set(grid, []);
      grids.get(grid)!.push(u);
    }
    const allowed = weight <= resolved.max ? 1 : Math.ceil(weight / resolved.max);
    if (grids.size > allowed)
      problems.push(`parent ${parent} (${weight}) lies in ${grids.size} grids, allowed ${allowed}`);
    for (const [grid, piece] of grids) {
      if (!connected(graph, piece)) problems.push(`piece of parent ${parent} in grid ${grid} is not contiguous`);
    }
  }
  return problems;
}

/** A valid result must pass the independent check; an invalid one must list at least one violation. */
export function expectHonest(units: BalanceUnit[], result: BalanceResult, options: Partial<BalanceOptions>): string[] {
  const problems = brokenRules(units, result.assignment, options);
  if (result.valid && problems.length) return problems.map((problem) => `returned as valid but ${problem}`);
  if (!result.valid && result.violations.length === 0) return ['returned as invalid without any violation'];
  if (result.valid !== (result.violations.length === 0)) return ['valid disagrees with violations'];
  return [];
}
