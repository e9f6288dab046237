// Feasibility first: per group, per connected component, a whole number k of grids must satisfy
// ceil(W/max) ≤ k ≤ floor(W/min). Components that fail are reported by name before any search.
import type { Bounds } from './bisect';
import { components } from './graph';
import type { Pieces } from './pieces';
import type { Violation } from './types';
import type { PreparedUnits } from './units';

export interface Region {
  group: number;
  /** Piece indices, connected. */
  nodes: number[];
  weight: number;
  minGrids: number;
  maxGrids: number;
  /** Number of grids to aim for (best effort when infeasible). */
  grids: number;
  feasible: boolean;
}

export interface FeasibilityReport {
  regions: Region[];
  violations: Violation[];
  notices: string[];
  /** Pieces left without grid: components that hold no households at all. */
  unassigned: number[];
}

const EPSILON = 1e-9;

export function gridCountRange(weight: number, bounds: Bounds): [number, number] {
  const fewest = Math.max(1, Math.ceil(weight / bounds.max - EPSILON));
  const most = bounds.min > 0 ? Math.floor(weight / bounds.min + EPSILON) : Number.MAX_SAFE_INTEGER;
  return [fewest, most];
}

const formatWeight = (weight: number): string => (Number.isInteger(weight) ? String(weight) : weight.toFixed(2));

function describeUnits(units: PreparedUnits, pieces: Pieces, nodes: readonly number[], limit = 12): { text: string; ids: string[] } {
  const ids: string[] = [];
  for (const node of nodes) for (const unit of pieces.members[node]) ids.push(units.ids[unit]);
  const text = ids.length > limit ? `${ids.slice(0, limit).join(', ')} and ${ids.length - limit} more` : ids.join(', ');
  return { text, ids };
}

export function analyseFeasibility(units: PreparedUnits, pieces: Pieces, bounds: Bounds): FeasibilityReport {
  const { planar } = pieces;
  const violations: Violation[] = [];
  const notices: string[] = [];
  const regions: Region[] = [];
  const unassigned: number[] = [];
  const mid = (bounds.min + bounds.max) / 2;
  const byGroup = new Map<number, number[]>();
  for (let node = 0; node < planar.graph.size; node++) {
    const list = byGroup.get(planar.group[node]);
    if (list) list.push(node);
    else byGroup.set(planar.group[node], [node]);
  }
  for (const [group, nodes] of byGroup) {
    const groupName = units.groupNames[group];
    const groupLabel = groupName === null ? 'the data (no group)' : `group ${JSON.stringify(groupName)}`;
    let groupWeight = 0;
    for (const node of nodes) groupWeight += planar.weight[node];
    const groupTooLight = groupWeight > 0 && groupWeight < bounds.min - EPSILON;
    if (groupTooLight) {
      violations.push({
        kind: 'group-too-light',
        message: `${groupLabel} has ${formatWeight(groupWeight)} households, fewer than the minimum ${bounds.min} of one grid`,
        group: groupName,
        weight: groupWeight,
      });
    }
    const parts = components(planar.graph, nodes, (v, w) => planar.group[v] === planar.group[w]);
    for (const part of parts) {
      let weight = 0;
      for (const node of part) weight += planar.weight[node];
      if (weight <= 0) {
        unassigned.push(...part);
        notices.push(`${describeUnits(units, pieces, part).text} in ${groupLabel}: a connected part without households (nothing with households within the gap); left without grid`);
        continue;
      }
      let feasible = true;
      for (const node of part) {
        if (planar.weight[node] > bounds.max + EPSILON) {
          feasible = false;
          const { text, ids } = describeUnits(units, pieces, [node]);
          const unitParent = units.parent[pieces.members[node][0]];
          violations.push({
            kind: 'unit-too-heavy',
            message:
              ids.length === 1
                ? `unit ${text} in ${groupLabel} has ${formatWeight(planar.weight[node])} households, more than the maximum ${bounds.max}, and no smaller parts (give its buildings a parent to split it)`
                : `a piece of parent ${JSON.stringify(units.parentNames[unitParent])} (${text}) has ${formatWeight(planar.weight[node])} households, more than the maximum ${bounds.max}, and cannot be cut smaller`,
            group: groupName,
            unitIds: ids,
            weight: planar.weight[node],
          });
        }
      }
      const [minGrids, maxGrids] = gridCountRange(weight, bounds);
      if (minGrids > maxGrids) {
        feasible = false;
        if (!(groupTooLight && parts.length === 1)) {
          const { text, ids } = describeUnits(units, pieces, part);
          const why =
            weight < bounds.min
              ? `weighs ${formatWeight(weight)} households, fewer than the minimum ${bounds.min}, and touches no other unit of its group within the gap: it cannot stand alone as a grid`
              : `weighs ${formatWeight(weight)} households: it needs at least ${minGrids} grids of at most ${bounds.max} but can fill at most ${maxGrids} of at least ${bounds.min}`;
          violations.push({
            kind: 'component-infeasible',
            message: `the connected part of ${groupLabel} made of ${part.length === 1 ? 'unit' : 'units'} ${text} ${why}`,
            group: groupName,
            unitIds: ids,
            weight,
          });
        }
      }
      const grids = feasible ? Math.min(maxGrids, Math.max(minGrids, Math.round(weight / mid))) : Math.max(1, Math.round(weight / mid));
      regions.push({ group, nodes: part, weight, minGrids, maxGrids, grids, feasible });
    }
  }
  return { regions, violations, notices, unassigned };
}

/**
 * Regions that feasibility let through but whose plan still has a grid out of bounds: the units' sizes and
 * adjacency did not allow a valid cut (or the search did not find one). Named like the other region reports.
 */
export function unsolvedRegions(units: PreparedUnits, pieces: Pieces, report: FeasibilityReport, gridOf: Int32Array, gridWeight: readonly number[], bounds: Bounds): Violation[] {
  const violations: Violation[] = [];
  for (const region of report.regions) {
    if (!region.feasible) continue;
    const grids = new Set<number>();
    for (const node of region.nodes) if (gridOf[node] >= 0) grids.add(gridOf[node]);
    const outOfBounds = [...grids].filter((grid) => gridWeight[grid] < bounds.min - EPSILON || gridWeight[grid] > bounds.max + EPSILON);
    if (outOfBounds.length === 0) continue;
    const groupName = units.groupNames[region.group];
    const groupLabel = groupName === null ? 'the data (no group)' : `group ${JSON.stringify(groupName)}`;
    const { text, ids } = describeUnits(units, pieces, region.nodes);
    violations.push({
      kind: 'component-unsolved',
      message: `no valid plan found for the connected part of ${groupLabel} made of units ${text} (${formatWeight(region.weight)} households, room for ${region.minGrids}–${region.maxGrids} grids by weight): its units' sizes and adjacency allow no cut with every grid within ${bounds.min}–${bounds.max}, or the search missed it`,
      group: groupName,
      unitIds: ids,
      weight: region.weight,
    });
  }
  return violations;
}
