// Rebalance: start from an existing assignment, keep every valid grid as it is, and fix only what is broken.
// 1. Grids are read per piece (majority of its units' labels) and per group; a grid that falls apart is split
//    into its connected parts (the heaviest keeps the label); units without grid start as grids of their own.
// 2. Per connected part of a group (feasibility region) holding broken grids (out of bounds): the broken grids and
//    their neighbours up to 1, 2, 3 hops are unlocked and repaired by moves and merges (repairBounds); grids in
//    bounds elsewhere stay locked.
// 3. If local repair fails, the region is cut afresh by bisection; new grids inherit the labels of the old grids
//    they overlap most, and vertices drift back home where no rule breaks. Regions that no plan can fix (reported
//    by feasibility) keep their best local repair.
import { Bisector, type Bounds } from './bisect';
import { exactPartition } from './exact';
import type { FeasibilityReport } from './feasibility';
import { components } from './graph';
import type { Pieces } from './pieces';
import type { Random } from './random';
import { boundViolation, repairBounds, repairByRecutting } from './refine';
import { GridState } from './state';
import type { PreparedUnits } from './units';

export interface RebalanceInput {
  units: PreparedUnits;
  pieces: Pieces;
  feasibility: FeasibilityReport;
  bounds: Bounds;
  /** Existing label of each unit (null: none). */
  labelOfUnit: (string | null)[];
  random: Random;
  treesPerCut: number;
  passes: number;
  shouldStop: () => boolean;
}

export interface RebalanceOutput {
  state: GridState;
  labels: string[];
}

const MAX_LEVEL = 3;

export function rebalance(input: RebalanceInput): RebalanceOutput {
  const { units, pieces, bounds, random } = input;
  const { planar } = pieces;
  const size = planar.graph.size;

  // 1. Existing grids at piece level.
  const labels: string[] = [];
  const gridByKey = new Map<string, number>();
  const gridOf = new Int32Array(size).fill(-1);
  const leftOut = new Set(input.feasibility.unassigned);
  const labelTaken = new Set<string>();
  const usedLabels = new Set(input.labelOfUnit.filter((label): label is string => label !== null));
  let nextLabel = 1;
  const freshLabel = (): string => {
    while (usedLabels.has(String(nextLabel))) nextLabel++;
    const label = String(nextLabel++);
    usedLabels.add(label);
    return label;
  };
  // Each piece takes the label most of its households had; the pieces of one heavy parent take distinct labels
  // (greedy by overlap), so that a parent cut anew still keeps as many households in their old grids as it can.
  const votesOf = (v: number): Map<string, number> => {
    const votes = new Map<string, number>();
    for (const u of pieces.members[v]) {
      const label = input.labelOfUnit[u];
      if (label !== null) votes.set(label, (votes.get(label) ?? 0) + Math.max(units.planar.weight[u], 1e-9));
    }
    return votes;
  };
  const pieceLabel: (string | null)[] = Array.from({ length: size }, (_, v) => {
    let label: string | null = null;
    let best = -1;
    for (const [candidate, vote] of votesOf(v))
      if (vote > best) {
        best = vote;
        label = candidate;
      }
    return label;
  });
  const piecesOfParent = new Map<number, number[]>();
  for (let v = 0; v < size; v++) {
    const parent = units.parent[pieces.members[v][0]];
    if (parent < 0) continue;
    const list = piecesOfParent.get(parent);
    if (list) list.push(v);
    else piecesOfParent.set(parent, [v]);
  }
  for (const list of piecesOfParent.values()) {
    if (list.length < 2) continue;
    const overlaps: { piece: number; label: string; vote: number }[] = [];
    for (const v of list) for (const [label, vote] of votesOf(v)) overlaps.push({ piece: v, label, vote });
    overlaps.sort((a, b) => b.vote - a.vote);
    const assigned = new Set<number>();
    const taken = new Set<string>();
    for (const { piece, label } of overlaps) {
      if (assigned.has(piece) || taken.has(label)) continue;
      pieceLabel[piece] = label;
      assigned.add(piece);
      taken.add(label);
    }
    for (const v of list) if (!assigned.has(v)) pieceLabel[v] = null; // a grid of its own, repaired below
  }
  for (let v = 0; v < size; v++) {
    if (leftOut.has(v)) continue;
    const label = pieceLabel[v];
    if (label === null) {
      gridOf[v] = labels.length;
      labels.push(freshLabel());
      continue;
    }
    const key = `${planar.group[v]}\u0000${label}`;
    if (!gridByKey.has(key)) {
      gridByKey.set(key, labels.length);
      // The same label in a second group becomes a new grid.
      labels.push(labelTaken.has(label) ? freshLabel() : label);
      labelTaken.add(label);
    }
    gridOf[v] = gridByKey.get(key)!;
  }
  const gridCount = labels.length;
  const membersOf: number[][] = Array.from({ length: gridCount }, () => []);
  for (let v = 0; v < size; v++) if (gridOf[v] >= 0) membersOf[gridOf[v]].push(v);
  for (let grid = 0; grid < gridCount; grid++) {
    const members = membersOf[grid];
    const parts = components(planar.graph, members, (a, b) => gridOf[a] === gridOf[b]);
    if (parts.length <= 1) continue;
    const partWeight = (part: number[]): number => part.reduce((sum, v) => sum + planar.weight[v], 0);
    parts.sort((a, b) => partWeight(b) - partWeight(a));
    for (const part of parts.slice(1)) {
      const split = labels.length;
      labels.push(freshLabel());
      for (const v of part) gridOf[v] = split;
    }
  }
  const original = gridOf.slice();
  const state = new GridState(planar, gridOf.slice(), labels.length);
  const broken = (s: GridState): number[] => {
    const list: number[] = [];
    for (let grid = 0; grid < s.gridCount; grid++)
      if (boundViolation(s.weight[grid], s.count[grid], bounds) > 0) list.push(grid);
    return list;
  };
  const initiallyBroken = broken(state);
  if (initiallyBroken.length === 0) return { state, labels };

  // 2–3. Per feasibility region (a connected part of one group) holding broken grids: local repair widening the
  // unlocked neighbourhood; if that fails, cut the whole region afresh. Regions are independent, so a region that
  // cannot be fixed (reported by feasibility) never holds back the others.
  const regionOf = new Int32Array(size).fill(-1);
  input.feasibility.regions.forEach((region, index) => {
    for (const v of region.nodes) regionOf[v] = index;
  });
  const brokenByRegion = new Map<number, Set<number>>();
  const brokenSet = new Set(initiallyBroken);
  for (let v = 0; v < size; v++) {
    const grid = state.gridOf[v];
    if (grid < 0 || !brokenSet.has(grid) || regionOf[v] < 0) continue;
    const set = brokenByRegion.get(regionOf[v]);
    if (set) set.add(grid);
    else brokenByRegion.set(regionOf[v], new Set([grid]));
  }
  const bisector = new Bisector(planar, bounds, random, input.treesPerCut);
  for (const [regionIndex, brokenGrids] of brokenByRegion) {
    if (input.shouldStop()) break;
    const region = input.feasibility.regions[regionIndex];
    const nodes = region.nodes;
    const saved = nodes.map((v) => state.gridOf[v]);
    const revert = (): void => nodes.forEach((v, i) => state.move(v, saved[i]));
    const regionViolation = (): number => {
      const grids = new Set(nodes.map((v) => state.gridOf[v]));
      let total = 0;
      for (const grid of grids) if (grid >= 0) total += boundViolation(state.weight[grid], state.count[grid], bounds);
      return total;
    };
    const before = regionViolation();
    const widen = (grids: Set<number>): Set<number> => {
      const into = new Set(grids);
      for (const v of nodes) {
        if (!grids.has(state.gridOf[v])) continue;
        for (let e = planar.graph.start[v]; e < planar.graph.start[v + 1]; e++) {
          const w = planar.graph.neighbours[e];
          if (state.gridOf[w] >= 0 && regionOf[w] === regionIndex) into.add(state.gridOf[w]);
        }
      }
      return into;
    };
    const repair = (unlocked: Set<number>): number =>
      repairBounds(state, {
        bounds,
        random,
        active: (grid) => unlocked.has(grid),
        shouldStop: input.shouldStop,
        passes: input.passes,
        original,
        vertices: nodes,
      });

    let unlocked = new Set(brokenGrids);
    let fixed = false;
    let bestLevel = -1;
    let bestRemaining = before;
    for (let level = 0; level <= MAX_LEVEL && !fixed; level++) {
      if (level > 0) {
        const wider = widen(unlocked);
        if (wider.size === unlocked.size) break;
        unlocked = wider;
      }
      const remaining = repair(unlocked);
      if (remaining <= 1e-7) fixed = true;
      else {
        if (remaining < bestRemaining - 1e-7) {
          bestRemaining = remaining;
          bestLevel = level;
        }
        revert();
      }
    }
    if (fixed) continue;
    if (region.feasible && !input.shouldStop()) {
      // Re-cut each broken grid with one or all of its neighbours before re-cutting the whole region.
      const regionGrids = new Set(nodes.map((v) => state.gridOf[v]).filter((grid) => grid >= 0));
      const firstNew = state.gridCount;
      repairByRecutting(state, bisector, {
        bounds,
        random,
        active: (grid) => regionGrids.has(grid) || grid >= firstNew,
        shouldStop: input.shouldStop,
        passes: 1,
      });
      while (labels.length < state.gridCount) labels.push(freshLabel());
      for (let grid = firstNew; grid < state.gridCount; grid++) regionGrids.add(grid);
      if (regionViolation() <= 1e-7) {
        repair(regionGrids); // homecoming moves only: nothing is broken any more
        continue;
      }
      revert();
    }
    if (!region.feasible || input.shouldStop()) {
      // No plan can fix this region: keep the local repair that left the least violation, if any helped.
      if (bestLevel >= 0) {
        let grids = new Set(brokenGrids);
        for (let level = 1; level <= bestLevel; level++) grids = widen(grids);
        repair(grids);
        if (regionViolation() > before + 1e-7) revert();
      }
      continue;
    }

    // Last resort: cut the whole region afresh; new grids inherit the old labels they overlap most.
    const oldGrids = new Set(saved.filter((grid) => grid >= 0));
    const wanted = Math.min(region.maxGrids, Math.max(region.minGrids, oldGrids.size));
    let result = bisector.partition(nodes, wanted);
    if (!result.exact) result = bisector.partition(nodes, region.grids);
    if (!result.exact) {
      region.search ??= exactPartition(planar, nodes, bounds, { shouldStop: input.shouldStop });
      if (region.search.status === 'found') result = { parts: region.search.parts, exact: true };
    }
    const overlaps: { part: number; grid: number; shared: number }[] = [];
    result.parts.forEach((part, index) => {
      const byGrid = new Map<number, number>();
      for (const v of part) byGrid.set(original[v], (byGrid.get(original[v]) ?? 0) + planar.weight[v] + 1e-9);
      for (const [grid, shared] of byGrid) if (grid >= 0) overlaps.push({ part: index, grid, shared });
    });
    overlaps.sort((a, b) => b.shared - a.shared);
    const gridOfPart = new Map<number, number>();
    const taken = new Set<number>();
    for (const { part: index, grid } of overlaps) {
      if (gridOfPart.has(index) || taken.has(grid)) continue;
      gridOfPart.set(index, grid);
      taken.add(grid);
    }
    const regionGrids = new Set<number>();
    result.parts.forEach((part, index) => {
      let grid = gridOfPart.get(index);
      if (grid === undefined) {
        grid = state.addGrid(planar.group[part[0]]);
        labels.push(freshLabel());
      }
      regionGrids.add(grid);
      for (const v of part) state.move(v, grid);
    });
    // Units drift back to their old grids where no rule breaks (fewer households moved).
    repair(regionGrids);
  }
  return { state, labels };
}
