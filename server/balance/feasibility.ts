// Feasibility first: per group, per connected component, a whole number k of grids must satisfy
// ceil(W/max) ≤ k ≤ floor(W/min). Components that fail are reported by name before any search.
import type { Bounds } from './bisect';
import type { ExactOutcome, IsolatedPiece } from './exact';
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
  /** Outcome of the exhaustive search, run once when the bisection could not cut the region. */
  search?: ExactOutcome;
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

function describeUnits(
  units: PreparedUnits,
  pieces: Pieces,
  nodes: readonly number[],
  limit = 12,
): { text: string; ids: string[] } {
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
        notices.push(
          `${describeUnits(units, pieces, part).text} in ${groupLabel}: a connected part without households ` +
            '(nothing with households within the gap); left without grid',
        );
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
                ? `unit ${text} in ${groupLabel} has ${formatWeight(planar.weight[node])} households, ` +
                  `more than the maximum ${bounds.max}, and no smaller parts (give its buildings a parent to split it)`
                : `a piece of parent ${JSON.stringify(units.parentNames[unitParent])} (${text}) has ` +
                  `${formatWeight(planar.weight[node])} households, more than the maximum ${bounds.max}, ` +
                  'and cannot be cut smaller',
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
              ? `weighs ${formatWeight(weight)} households, fewer than the minimum ${bounds.min}, ` +
                'and touches no other unit of its group within the gap: it cannot stand alone as a grid'
              : `weighs ${formatWeight(weight)} households: it needs at least ${minGrids} grids of at most ` +
                `${bounds.max} but can fill at most ${maxGrids} of at least ${bounds.min}`;
          violations.push({
            kind: 'component-infeasible',
            message: `the connected part of ${groupLabel} made of ${part.length === 1 ? 'unit' : 'units'} ${text} ${why}`,
            group: groupName,
            unitIds: ids,
            weight,
          });
        }
      }
      const grids = feasible
        ? Math.min(maxGrids, Math.max(minGrids, Math.round(weight / mid)))
        : Math.max(1, Math.round(weight / mid));
      regions.push({ group, nodes: part, weight, minGrids, maxGrids, grids, feasible });
    }
  }
  return { regions, violations, notices, unassigned };
}

/** Why an exhaustive search found no plan: the units that fit in no grid at all, else the search itself. */
function provenReason(
  units: PreparedUnits,
  pieces: Pieces,
  region: Region,
  isolated: readonly IsolatedPiece[],
  bounds: Bounds,
): string {
  // Heavy parents were cut into pieces before the search; the proof holds for that cut.
  const piecesOfParent = new Map<number, number>();
  for (const node of region.nodes) {
    const parent = units.parent[pieces.members[node][0]];
    if (parent >= 0) piecesOfParent.set(parent, (piecesOfParent.get(parent) ?? 0) + 1);
  }
  const cut = [...piecesOfParent].filter(([, count]) => count > 1).map(([parent]) => units.parentNames[parent]);
  const cutNote = cut.length
    ? ` (with ${cut.map((name) => JSON.stringify(name)).join(', ')} cut into the pieces shown, as heavy parents are cut first)`
    : '';
  if (isolated.length) {
    const reasons = isolated.map(({ node, heaviestUnder, lightestOver }) => {
      const { text } = describeUnits(units, pieces, [node]);
      const over = Number.isFinite(lightestOver)
        ? `, and the lightest over ${bounds.max} weighs ${formatWeight(lightestOver)}`
        : '';
      return (
        `${text} (${formatWeight(pieces.planar.weight[node])} households): every connected set of units containing ` +
        `it weighs under ${bounds.min} or over ${bounds.max} — the heaviest under ${bounds.min} weighs ` +
        `${formatWeight(heaviestUnder)}${over}`
      );
    });
    return `no grid can hold ${isolated.length === 1 ? 'unit' : 'units'} ${reasons.join('; ')}${cutNote}`;
  }
  return (
    `every unit fits in some grid, but an exhaustive search of every way to cut its ${region.nodes.length} pieces ` +
    `(units; compounds kept whole) found no plan that fits them all at once${cutNote}`
  );
}

/**
 * Regions that feasibility let through but whose plan still has a grid out of bounds: the units' sizes and
 * adjacency did not allow a valid cut (or the search did not find one). Named like the other region reports.
 */
export function unsolvedRegions(
  units: PreparedUnits,
  pieces: Pieces,
  report: FeasibilityReport,
  gridOf: Int32Array,
  gridWeight: readonly number[],
  bounds: Bounds,
): Violation[] {
  const violations: Violation[] = [];
  for (const region of report.regions) {
    if (!region.feasible) continue;
    const grids = new Set<number>();
    for (const node of region.nodes) if (gridOf[node] >= 0) grids.add(gridOf[node]);
    const outOfBounds = [...grids].filter(
      (grid) => gridWeight[grid] < bounds.min - EPSILON || gridWeight[grid] > bounds.max + EPSILON,
    );
    if (outOfBounds.length === 0) continue;
    const groupName = units.groupNames[region.group];
    const groupLabel = groupName === null ? 'the data (no group)' : `group ${JSON.stringify(groupName)}`;
    const { text, ids } = describeUnits(units, pieces, region.nodes);
    const what =
      `the connected part of ${groupLabel} made of units ${text} ` +
      `(${formatWeight(region.weight)} households, room for ${region.minGrids}–${region.maxGrids} grids by weight)`;
    const search = region.search;
    if (search?.status === 'none') {
      violations.push({
        kind: 'component-infeasible',
        message: `${what} cannot be cut into grids of ${bounds.min}–${bounds.max}: ${provenReason(units, pieces, region, search.isolated, bounds)}`,
        group: groupName,
        unitIds: ids,
        weight: region.weight,
      });
      continue;
    }
    const tried = search?.status === 'gave-up' ? 'an exhaustive search within its step budget' : 'the repairs';
    violations.push({
      kind: 'component-unsolved',
      message:
        `no valid plan found for ${what}: neither the spanning-tree cuts nor ${tried} ` +
        `found a cut with every grid within ${bounds.min}–${bounds.max}; none is proven impossible`,
      group: groupName,
      unitIds: ids,
      weight: region.weight,
    });
  }
  return violations;
}
