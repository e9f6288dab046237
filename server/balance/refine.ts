// Refinement under hard rules: move boundary vertices between neighbouring grids of one group.
// - compactness: a move is taken only when both grids stay within bounds and the donor stays connected, and it
//   raises the sum of Polsby-Popper scores (a light pull towards the middle of the bounds breaks ties);
// - repair: moves and merges that lower the total bound violation, then moves that bring vertices back to the grid
//   they started in (fewest households moved).
import type { Bisector, Bounds } from './bisect';
import { polsbyPopper } from './geometry';
import { shuffle, type Random } from './random';
import type { GridState } from './state';

const EPSILON = 1e-7;
/** Weight of centring a grid's households between min and max, relative to Polsby-Popper. */
const CENTRING = 0.05;

export interface RefineOptions {
  bounds: Bounds;
  random: Random;
  /** Grids that may change; all when absent. */
  active?: (grid: number) => boolean;
  /** Polled between vertices; true stops refinement with the plan as it stands. */
  shouldStop: () => boolean;
  passes: number;
}

function neighbourGrids(state: GridState, v: number, into: number[], active?: (grid: number) => boolean): void {
  const { graph, group } = state.planar;
  into.length = 0;
  const own = state.gridOf[v];
  for (let e = graph.start[v]; e < graph.start[v + 1]; e++) {
    const w = graph.neighbours[e];
    const grid = state.gridOf[w];
    if (grid >= 0 && grid !== own && group[w] === group[v] && !into.includes(grid) && (!active || active(grid)))
      into.push(grid);
  }
}

/** What refinement maximises per grid: Polsby-Popper, with a light pull towards the middle of the bounds. */
export function gridScore(bounds: Bounds): (weight: number, area: number, perimeter: number) => number {
  const mid = (bounds.min + bounds.max) / 2;
  const span = Math.max(bounds.max - bounds.min, 1);
  return (weight, area, perimeter) =>
    polsbyPopper(area, Math.max(0, perimeter)) - CENTRING * ((weight - mid) / span) ** 2;
}

/** Raises compactness without breaking any hard rule. Returns the number of moves made. */
export function refineCompactness(state: GridState, options: RefineOptions): number {
  const { bounds, active, shouldStop } = options;
  const score = gridScore(bounds);
  const { planar } = state;
  const vertices: number[] = [];
  for (let v = 0; v < planar.graph.size; v++) {
    const grid = state.gridOf[v];
    if (grid >= 0 && (!active || active(grid))) vertices.push(v);
  }
  const candidates: number[] = [];
  let moves = 0;
  for (let pass = 0; pass < options.passes; pass++) {
    shuffle(vertices, options.random);
    let moved = 0;
    for (let i = 0; i < vertices.length; i++) {
      if ((i & 255) === 0 && shouldStop()) return moves;
      const v = vertices[i];
      const from = state.gridOf[v];
      if (from < 0 || state.count[from] <= 1) continue;
      const weight = planar.weight[v];
      const weightLeft = state.weight[from] - weight;
      if (weightLeft < bounds.min - EPSILON) continue;
      neighbourGrids(state, v, candidates, active);
      if (candidates.length === 0) continue;
      const before = score(state.weight[from], state.area[from], state.perimeter[from]);
      const after = score(weightLeft, state.area[from] - planar.area[v], state.perimeterAfter(v, from));
      let bestGain = EPSILON;
      let bestGrid = -1;
      for (const to of candidates) {
        if (state.weight[to] + weight > bounds.max + EPSILON) continue;
        const gain =
          after -
          before +
          score(state.weight[to] + weight, state.area[to] + planar.area[v], state.perimeterAfter(v, to)) -
          score(state.weight[to], state.area[to], state.perimeter[to]);
        if (gain > bestGain) {
          bestGain = gain;
          bestGrid = to;
        }
      }
      if (bestGrid >= 0 && state.staysConnectedWithout(v)) {
        state.move(v, bestGrid);
        moved++;
      }
    }
    moves += moved;
    if (moved === 0 || shouldStop()) break;
  }
  return moves;
}

export function boundViolation(weight: number, count: number, bounds: Bounds): number {
  if (count === 0) return 0;
  return Math.max(0, bounds.min - weight) + Math.max(0, weight - bounds.max);
}

export interface RepairOptions extends RefineOptions {
  /** Grid each vertex started in (−1: none); moving a vertex away from it counts as households moved. */
  original: Int32Array;
  /** The only vertices to consider (default: all); every active grid's vertices must be among them. */
  vertices?: readonly number[];
}

/**
 * Lowers the total bound violation of the active grids by greedy moves and merges, never disconnecting a grid;
 * then moves vertices back home where that breaks nothing. Returns the remaining total violation.
 */
export function repairBounds(state: GridState, options: RepairOptions): number {
  const { bounds, active, shouldStop, original } = options;
  const { planar } = state;
  const violation = (grid: number, weightChange: number, countChange: number): number =>
    boundViolation(state.weight[grid] + weightChange, state.count[grid] + countChange, bounds);
  const vertices: number[] = [];
  const scope = options.vertices ?? Array.from({ length: planar.graph.size }, (_, v) => v);
  for (const v of scope) {
    const grid = state.gridOf[v];
    if (grid >= 0 && (!active || active(grid))) vertices.push(v);
  }
  const activeGrids = [...new Set(vertices.map((v) => state.gridOf[v]))];
  const candidates: number[] = [];
  for (let round = 0; round < 4 * options.passes; round++) {
    if (shouldStop()) break;
    let changed = false;
    // Merges: a grid under min joins a neighbour that has room for all of it.
    for (const grid of activeGrids) {
      if (state.count[grid] === 0 || state.weight[grid] >= bounds.min - EPSILON) continue;
      const members = vertices.filter((v) => state.gridOf[v] === grid);
      const neighbours = new Set<number>();
      for (const v of members) {
        neighbourGrids(state, v, candidates, active);
        for (const other of candidates) neighbours.add(other);
      }
      let best = -1;
      let bestCost = Infinity;
      for (const other of neighbours) {
        const merged = state.weight[grid] + state.weight[other];
        if (merged > bounds.max + EPSILON) continue;
        const cost =
          violation(other, state.weight[grid], members.length) - violation(other, 0, 0) - violation(grid, 0, 0);
        if (cost < bestCost - EPSILON) {
          bestCost = cost;
          best = other;
        }
      }
      if (best >= 0 && bestCost < -EPSILON) {
        for (const v of members) state.move(v, best);
        changed = true;
      }
    }
    shuffle(vertices, options.random);
    for (const v of vertices) {
      const from = state.gridOf[v];
      if (from < 0 || state.count[from] <= 1) continue;
      neighbourGrids(state, v, candidates, active);
      if (candidates.length === 0) continue;
      const weight = planar.weight[v];
      const fromChange = violation(from, -weight, -1) - violation(from, 0, 0);
      let bestGrid = -1;
      let bestChange = -EPSILON;
      let bestMoved = 0;
      for (const to of candidates) {
        const change = fromChange + violation(to, weight, 1) - violation(to, 0, 0);
        const moved = (original[v] === from ? weight : 0) - (original[v] === to ? weight : 0);
        const better = change < bestChange - EPSILON || (Math.abs(change - bestChange) <= EPSILON && moved < bestMoved);
        const homecoming = Math.abs(change) <= EPSILON && moved < 0;
        if ((change < -EPSILON || homecoming) && (bestGrid < 0 || better)) {
          bestGrid = to;
          bestChange = change;
          bestMoved = moved;
        }
      }
      if (bestGrid >= 0 && state.staysConnectedWithout(v)) {
        state.move(v, bestGrid);
        changed = true;
      }
    }
    if (!changed) break;
  }
  let total = 0;
  for (const grid of activeGrids) total += violation(grid, 0, 0);
  return total;
}

/** Union perimeter and area of a set of vertices (O(size · degree)); `mark` is scratch of the graph's size. */
function figures(
  state: GridState,
  nodes: readonly number[],
  mark: Int32Array,
  stamp: number,
): { area: number; perimeter: number } {
  const { planar } = state;
  const { graph } = planar;
  for (const v of nodes) mark[v] = stamp;
  let area = 0;
  let perimeter = 0;
  for (const v of nodes) {
    area += planar.area[v];
    perimeter += planar.perimeter[v];
    for (let e = graph.start[v]; e < graph.start[v + 1]; e++)
      if (mark[graph.neighbours[e]] === stamp) perimeter -= graph.shared[e];
  }
  return { area, perimeter: Math.max(0, perimeter) };
}

/** Pairs of neighbouring grids of one group, as a · gridCount + b with a < b, in order of discovery. */
export function neighbouringPairs(state: GridState, active?: (grid: number) => boolean): Set<number> {
  const { graph, group } = state.planar;
  const pairs = new Set<number>();
  const count = state.gridCount;
  for (let v = 0; v < graph.size; v++) {
    const a = state.gridOf[v];
    if (a < 0 || (active && !active(a))) continue;
    for (let e = graph.start[v]; e < graph.start[v + 1]; e++) {
      const b = state.gridOf[graph.neighbours[e]];
      if (b > a && group[graph.neighbours[e]] === group[v] && (!active || active(b))) pairs.add(a * count + b);
    }
  }
  return pairs;
}

/**
 * ReCom steps: merge two neighbouring grids and re-split them along the spanning-tree cut (both parts within
 * bounds) that gives the highest sum of Polsby-Popper, when it beats the current pair. Escapes the local optima of
 * single moves. Returns the number of pairs improved.
 */
export function recombine(state: GridState, bisector: Bisector, options: RefineOptions): number {
  const { planar } = state;
  const { graph } = planar;
  const { active, shouldStop } = options;
  const members: number[][] = Array.from({ length: state.gridCount }, () => []);
  for (let v = 0; v < graph.size; v++) if (state.gridOf[v] >= 0) members[state.gridOf[v]].push(v);
  const mark = new Int32Array(graph.size);
  let stamp = 0;
  let improved = 0;
  for (let pass = 0; pass < options.passes; pass++) {
    const count = state.gridCount;
    const list = shuffle([...neighbouringPairs(state, active)], options.random);
    let improvedThisPass = 0;
    for (const key of list) {
      if (shouldStop()) return improved;
      const a = Math.floor(key / count);
      const b = key - a * count;
      const nodes = [...members[a], ...members[b]];
      const current = state.polsbyPopper(a) + state.polsbyPopper(b);
      let best: [number[], number[]] | null = null;
      let bestScore = current + 1e-6;
      for (const [side, rest] of bisector.splitsInTwo(nodes)) {
        const one = figures(state, side, mark, ++stamp);
        const two = figures(state, rest, mark, ++stamp);
        const score = polsbyPopper(one.area, one.perimeter) + polsbyPopper(two.area, two.perimeter);
        if (score > bestScore) {
          bestScore = score;
          best = [side, rest];
        }
      }
      if (!best) continue;
      // Keep each grid's label on the side it overlaps most.
      const [side, rest] = best;
      let overlap = 0;
      for (const v of side) if (state.gridOf[v] === a) overlap++;
      const [toA, toB] = overlap * 2 >= side.length ? [side, rest] : [rest, side];
      for (const v of toA) state.move(v, a);
      for (const v of toB) state.move(v, b);
      members[a] = toA;
      members[b] = toB;
      improvedThisPass++;
    }
    improved += improvedThisPass;
    if (improvedThisPass === 0) break;
  }
  return improved;
}

/**
 * Repairs grids out of bounds by re-cutting small neighbourhoods: first the grid with one neighbour (a ReCom step
 * whose split must put both parts within bounds), then the grid with all its neighbours (interval-feasible
 * bisection into as many grids as the union's weight allows). Grids in bounds are only touched when they take
 * part in such a re-cut, and come out in bounds. Returns the number of grids repaired.
 */
export function repairByRecutting(state: GridState, bisector: Bisector, options: RefineOptions): number {
  const { planar } = state;
  const { graph } = planar;
  const { bounds, active, shouldStop } = options;
  const members: number[][] = Array.from({ length: state.gridCount }, () => []);
  for (let v = 0; v < graph.size; v++) if (state.gridOf[v] >= 0) members[state.gridOf[v]].push(v);
  const broken = (grid: number): boolean => boundViolation(state.weight[grid], state.count[grid], bounds) > 0;
  const neighboursOf = (grid: number): number[] => {
    const found = new Set<number>();
    for (const v of members[grid]) {
      for (let e = graph.start[v]; e < graph.start[v + 1]; e++) {
        const w = graph.neighbours[e];
        const other = state.gridOf[w];
        if (other >= 0 && other !== grid && planar.group[w] === planar.group[v] && (!active || active(other)))
          found.add(other);
      }
    }
    return [...found];
  };
  const apply = (grids: number[], parts: number[][]): void => {
    // Parts take the old grids' indices (extra parts get new grids; unused old grids end empty).
    parts.forEach((part, index) => {
      const grid = index < grids.length ? grids[index] : state.addGrid(planar.group[part[0]]);
      if (grid >= members.length) members.push([]);
      for (const v of part) state.move(v, grid);
      members[grid] = part;
    });
    for (let index = parts.length; index < grids.length; index++) members[grids[index]] = [];
  };
  let repaired = 0;
  for (let round = 0; round < 3; round++) {
    let progress = false;
    for (let grid = 0; grid < state.gridCount; grid++) {
      if (shouldStop()) return repaired;
      if (members[grid].length === 0 || (active && !active(grid)) || !broken(grid)) continue;
      const neighbours = neighboursOf(grid);
      let done = false;
      // A pair: both parts within bounds.
      for (const other of neighbours) {
        const nodes = [...members[grid], ...members[other]];
        const weight = state.weight[grid] + state.weight[other];
        if (weight < 2 * bounds.min - 1e-7 || weight > 2 * bounds.max + 1e-7) continue;
        const [split] = bisector.splitsInTwo(nodes);
        if (split) {
          apply([grid, other], split);
          done = true;
          break;
        }
      }
      // The grid with all its neighbours, in as many grids as fit.
      if (!done && neighbours.length) {
        const grids = [grid, ...neighbours];
        const nodes = grids.flatMap((g) => members[g]);
        const weight = grids.reduce((sum, g) => sum + state.weight[g], 0);
        const fewest = Math.ceil(weight / bounds.max - 1e-9);
        const most = bounds.min > 0 ? Math.floor(weight / bounds.min + 1e-9) : grids.length;
        for (const k of [grids.length, grids.length - 1, grids.length + 1, fewest, most]) {
          if (k < 1 || k < fewest || k > most) continue;
          const result = bisector.partition(nodes, k);
          if (result.exact) {
            apply(grids, result.parts);
            done = true;
            break;
          }
        }
      }
      if (done) {
        repaired++;
        progress = true;
      }
    }
    if (!progress) break;
  }
  return repaired;
}
