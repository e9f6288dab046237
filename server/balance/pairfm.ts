// Fiduccia–Mattheyses-style refinement of two neighbouring grids: boundary vertices move one at a time, best gain
// first (negative gains allowed), each vertex at most once; the sequence is rolled back to its best prefix. Unlike
// single greedy moves it can pass through a worse plan to reach a better one.
import type { Bounds } from './bisect';
import { gridScore, neighbouringPairs, type RefineOptions } from './refine';
import type { GridState } from './state';

const EPSILON = 1e-7;

function fmPair(
  state: GridState,
  a: number,
  b: number,
  members: number[],
  bounds: Bounds,
  score: ReturnType<typeof gridScore>,
): boolean {
  const { graph, weight, area } = state.planar;
  const locked = new Set<number>();
  const moves: [number, number][] = [];
  const scoreOf = (grid: number): number => score(state.weight[grid], state.area[grid], state.perimeter[grid]);
  let cumulative = 0;
  let best = 0;
  let bestLength = 0;
  for (let step = 0; step < members.length; step++) {
    let chosen = -1;
    let chosenGain = -Infinity;
    for (const v of members) {
      if (locked.has(v)) continue;
      const from = state.gridOf[v];
      const to = from === a ? b : a;
      if (state.count[from] <= 1) continue;
      if (state.weight[from] - weight[v] < bounds.min - EPSILON || state.weight[to] + weight[v] > bounds.max + EPSILON)
        continue;
      let touches = false;
      for (let e = graph.start[v]; e < graph.start[v + 1] && !touches; e++)
        touches = state.gridOf[graph.neighbours[e]] === to;
      if (!touches) continue;
      const gain =
        score(state.weight[from] - weight[v], state.area[from] - area[v], state.perimeterAfter(v, from)) -
        scoreOf(from) +
        score(state.weight[to] + weight[v], state.area[to] + area[v], state.perimeterAfter(v, to)) -
        scoreOf(to);
      if (gain > chosenGain && state.staysConnectedWithout(v)) {
        chosenGain = gain;
        chosen = v;
      }
    }
    if (chosen < 0) break;
    const from = state.gridOf[chosen];
    state.move(chosen, from === a ? b : a);
    locked.add(chosen);
    moves.push([chosen, from]);
    cumulative += chosenGain;
    if (cumulative > best + EPSILON) {
      best = cumulative;
      bestLength = moves.length;
    }
  }
  for (let i = moves.length - 1; i >= bestLength; i--) state.move(moves[i][0], moves[i][1]);
  return bestLength > 0;
}

/** One FM pass over every pair of neighbouring grids (same group). Returns the number of pairs improved. */
export function refinePairsFM(state: GridState, options: RefineOptions): number {
  const { planar } = state;
  const { graph } = planar;
  const { active, shouldStop } = options;
  const score = gridScore(options.bounds);
  const members: number[][] = Array.from({ length: state.gridCount }, () => []);
  for (let v = 0; v < graph.size; v++) if (state.gridOf[v] >= 0) members[state.gridOf[v]].push(v);
  const count = state.gridCount;
  let improved = 0;
  // Pairs in a fixed order: a pass that improves nothing leaves the random stream (and so the plan) unchanged.
  for (const key of neighbouringPairs(state, active)) {
    if (shouldStop()) break;
    const a = Math.floor(key / count);
    const b = key - a * count;
    const both = [...members[a], ...members[b]];
    if (fmPair(state, a, b, both, options.bounds, score)) {
      improved++;
      members[a] = both.filter((v) => state.gridOf[v] === a);
      members[b] = both.filter((v) => state.gridOf[v] === b);
    }
  }
  return improved;
}
