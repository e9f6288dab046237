// Rebalance: start from an existing assignment, keep every valid grid as it is, and fix only what is broken.
// 1. Grids are read per piece (majority of its units' labels) and per group; a grid that falls apart is split
//    into its connected parts (the heaviest keeps the label); units without grid start as grids of their own.
// 2. Broken grids (out of bounds) and their neighbours up to `level` hops are unlocked and repaired by moves and
//    merges (repairBounds), widening the neighbourhood until the repair succeeds.
// 3. If local repair fails, the unlocked area is cut afresh by bisection; new grids inherit the labels of the old
//    grids they overlap most, and vertices drift back home where no rule breaks.
import { Bisector, type Bounds } from './bisect';
import type { FeasibilityReport } from './feasibility';
import { gridCountRange } from './feasibility';
import { components } from './graph';
import type { Pieces } from './pieces';
import type { Random } from './random';
import { boundViolation, repairBounds } from './refine';
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
  for (let v = 0; v < size; v++) {
    if (leftOut.has(v)) continue;
    const votes = new Map<string, number>();
    for (const u of pieces.members[v]) {
      const label = input.labelOfUnit[u];
      if (label !== null) votes.set(label, (votes.get(label) ?? 0) + Math.max(units.planar.weight[u], 1e-9));
    }
    let label: string | null = null;
    let best = -1;
    for (const [candidate, vote] of votes) if (vote > best) { best = vote; label = candidate; }
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
  let state = new GridState(planar, gridOf.slice(), labels.length);
  const broken = (s: GridState): number[] => {
    const list: number[] = [];
    for (let grid = 0; grid < s.gridCount; grid++) if (boundViolation(s.weight[grid], s.count[grid], bounds) > 0) list.push(grid);
    return list;
  };
  const initiallyBroken = broken(state);
  if (initiallyBroken.length === 0) return { state, labels };

    const widen = (s: GridState, grids: Set<number>): Set<number> => {
    const into = new Set(grids);
    for (let v = 0; v < size; v++) {
      if (!grids.has(s.gridOf[v])) continue;
      for (let e = planar.graph.start[v]; e < planar.graph.start[v + 1]; e++) {
        const other = s.gridOf[planar.graph.neighbours[e]];
        if (other >= 0 && planar.group[planar.graph.neighbours[e]] === planar.group[v]) into.add(other);
      }
    }
    return into;
  };
  let unlocked = new Set(initiallyBroken);
  // 2. Local repair, widening the unlocked neighbourhood.
  for (let level = 0; level <= MAX_LEVEL; level++) {
    if (level > 0) {
      const wider = widen(state, unlocked);
      if (wider.size === unlocked.size && level > 1) break;
      unlocked = wider;
    }
    const attempt = new GridState(planar, state.gridOf.slice(), labels.length);
    const remaining = repairBounds(attempt, {
      bounds,
      random,
      active: (grid) => unlocked.has(grid),
      shouldStop: input.shouldStop,
      passes: input.passes,
      original,
    });
    if (remaining <= 1e-7) return { state: attempt, labels };
    if (input.shouldStop()) break;
  }

  // 3. Cut the unlocked area afresh, per connected part of each group.
  const bisector = new Bisector(planar, bounds, random, input.treesPerCut);
  const fresh = new GridState(planar, state.gridOf.slice(), labels.length);
  const area: number[] = [];
  for (let v = 0; v < size; v++) if (fresh.gridOf[v] >= 0 && unlocked.has(fresh.gridOf[v])) area.push(v);
  for (const part of components(planar.graph, area, (a, b) => planar.group[a] === planar.group[b])) {
    const weight = part.reduce((sum, v) => sum + planar.weight[v], 0);
    const [fewest, most] = gridCountRange(weight, bounds);
    const oldGrids = new Set(part.map((v) => fresh.gridOf[v]));
    const wanted = Math.max(1, Math.min(Math.max(oldGrids.size, fewest), Math.max(fewest, most)));
    const result = bisector.partition(part, wanted);
    // Each new part inherits the old grid it overlaps most (by households), each old grid at most once.
    const overlaps: { part: number; grid: number; shared: number }[] = [];
    result.parts.forEach((nodes, index) => {
      const byGrid = new Map<number, number>();
      for (const v of nodes) byGrid.set(original[v], (byGrid.get(original[v]) ?? 0) + planar.weight[v] + 1e-9);
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
    result.parts.forEach((nodes, index) => {
      let grid = gridOfPart.get(index);
      if (grid === undefined) {
        grid = fresh.addGrid(planar.group[nodes[0]]);
        labels.push(freshLabel());
      }
      for (const v of nodes) fresh.move(v, grid);
    });
  }
  state = fresh;
  repairBounds(state, {
    bounds,
    random,
    active: (grid) => unlocked.has(grid) || grid >= gridCount,
    shouldStop: input.shouldStop,
    passes: input.passes,
    original,
  });
  return { state, labels };
}
