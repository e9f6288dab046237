// Exhaustive search for regions the random bisection could not cut: a depth-first search over the connected sets
// of a region that are one grid each (weight within bounds). It either finds a plan, proves that none exists (every
// way of cutting was tried), or gives up when its step budget or deadline runs out.
//
// At each level the most constrained piece (fewest free neighbours) seeds the next grid; every connected set that
// contains it and weighs within bounds is a candidate, most compact first. What is left must fall into connected
// parts that each admit a whole number of grids by weight; parts are solved independently, and parts proven
// impossible are remembered. Coarse regions (a few dozen compounds, where the bisection's random trees miss the
// one valid cut) finish in milliseconds; fine-grained regions hit the candidate cap and are never "proven".
import type { Bounds } from './bisect';
import { polsbyPopper } from './geometry';
import type { PlanarGraph } from './graph';

export type ExactOutcome =
  | { status: 'found'; parts: number[][] }
  /** Every cut was tried. `isolated`: pieces that lie in no connected set of weight within bounds at all. */
  | { status: 'none'; isolated: IsolatedPiece[] }
  | { status: 'gave-up' };

export interface IsolatedPiece {
  node: number;
  /** Heaviest connected set containing the piece that stays under min (the piece alone at least). */
  heaviestUnder: number;
  /** Lightest connected set containing the piece that goes over max (Infinity: none). */
  lightestOver: number;
}

export interface ExactOptions {
  /** Connected sets enumerated in all (the work done). */
  maxSteps?: number;
  /** Candidate sets for one seed; beyond it the search is no longer exhaustive. */
  maxCandidates?: number;
  /** Polled every 1,024 steps; true gives up (time budget, cancellation). */
  shouldStop?: () => boolean;
}

class GaveUp extends Error {}

export function exactPartition(
  planar: PlanarGraph,
  nodes: readonly number[],
  bounds: Bounds,
  options: ExactOptions = {},
): ExactOutcome {
  const n = nodes.length;
  const maxSteps = options.maxSteps ?? 2_000_000;
  const maxCandidates = options.maxCandidates ?? 20_000;
  const shouldStop = options.shouldStop ?? (() => false);
  const tolerance = 1e-7 * Math.max(1, bounds.max);
  const low = bounds.min - tolerance;
  const high = bounds.max + tolerance;

  // Region-local graph.
  const local = new Map<number, number>();
  nodes.forEach((v, i) => local.set(v, i));
  const { graph } = planar;
  const start = new Int32Array(n + 1);
  const adjacent: number[] = [];
  const sharedLength: number[] = [];
  const weight = new Float64Array(n);
  const area = new Float64Array(n);
  const perimeter = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = nodes[i];
    weight[i] = planar.weight[v];
    area[i] = planar.area[v];
    perimeter[i] = planar.perimeter[v];
    for (let e = graph.start[v]; e < graph.start[v + 1]; e++) {
      const j = local.get(graph.neighbours[e]);
      if (j === undefined || planar.group[graph.neighbours[e]] !== planar.group[v]) continue;
      adjacent.push(j);
      sharedLength.push(graph.shared[e]);
    }
    start[i + 1] = adjacent.length;
  }

  let steps = 0;
  let exhaustive = true;
  const free = new Uint8Array(n); // 1: in the part being solved and not yet in a grid
  const seen = new Uint8Array(n); // enumeration marks
  const failed = new Set<string>();

  const rangeOk = (total: number): boolean => {
    if (total <= 0) return true;
    const fewest = Math.ceil(total / bounds.max - 1e-9);
    const most = bounds.min > 0 ? Math.floor(total / bounds.min + 1e-9) : fewest;
    return fewest <= most;
  };

  /** Connected sets containing `seed` among free pieces, weight within bounds, most compact first. */
  const candidates = (
    seed: number,
    onOverweight?: (total: number) => void,
    onUnder?: (total: number) => void,
  ): number[][] => {
    const found: { set: number[]; score: number }[] = [];
    const current: number[] = [seed];
    seen[seed] = 1;
    let stop = false;
    const extend = (frontier: number[], total: number, areaSum: number, perimeterSum: number): void => {
      if (++steps > maxSteps || ((steps & 1023) === 0 && shouldStop())) throw new GaveUp();
      if (total >= low) {
        found.push({ set: current.slice(), score: polsbyPopper(areaSum, Math.max(0, perimeterSum)) });
        if (found.length >= maxCandidates) {
          exhaustive = false;
          stop = true;
          return;
        }
      } else onUnder?.(total);
      for (let f = 0; f < frontier.length && !stop; f++) {
        const u = frontier[f];
        if (total + weight[u] > high) {
          onOverweight?.(total + weight[u]);
          continue;
        }
        // Pieces before u in the frontier are left out of this branch (they are covered by earlier branches).
        const next = frontier.slice(f + 1);
        const added: number[] = [];
        let inner = 0;
        for (let e = start[u]; e < start[u + 1]; e++) {
          const w = adjacent[e];
          if (seen[w] === 2) inner += sharedLength[e];
          if (free[w] && !seen[w]) {
            seen[w] = 1;
            next.push(w);
            added.push(w);
          }
        }
        seen[u] = 2;
        current.push(u);
        extend(next, total + weight[u], areaSum + area[u], perimeterSum + perimeter[u] - 2 * inner);
        current.pop();
        seen[u] = 1;
        for (const w of added) seen[w] = 0;
      }
    };
    // seen: 0 untouched, 1 in a frontier (or left out), 2 in the current set.
    const frontier: number[] = [];
    for (let e = start[seed]; e < start[seed + 1]; e++) {
      const w = adjacent[e];
      if (free[w] && !seen[w]) {
        seen[w] = 1;
        frontier.push(w);
      }
    }
    seen[seed] = 2;
    try {
      extend(frontier, weight[seed], area[seed], perimeter[seed]);
    } finally {
      seen[seed] = 0;
      for (const w of frontier) seen[w] = 0;
    }
    found.sort((a, b) => b.score - a.score);
    return found.map((entry) => entry.set);
  };

  /** Connected parts of `set` (free pieces only). */
  const partsOf = (set: readonly number[]): number[][] => {
    const result: number[][] = [];
    const mark = new Set<number>();
    for (const s of set) {
      if (mark.has(s)) continue;
      const part = [s];
      mark.add(s);
      for (let h = 0; h < part.length; h++) {
        const v = part[h];
        for (let e = start[v]; e < start[v + 1]; e++) {
          const w = adjacent[e];
          if (free[w] && !mark.has(w)) {
            mark.add(w);
            part.push(w);
          }
        }
      }
      result.push(part);
    }
    return result;
  };

  const totalOf = (set: readonly number[]): number => set.reduce((sum, v) => sum + weight[v], 0);

  /** Solves one connected part whose pieces are marked free; leaves them free on return. */
  const solve = (part: number[]): number[][] | null => {
    const total = totalOf(part);
    if (total <= 0) return [part]; // households-free leftovers join a neighbour later (refinement)
    if (!rangeOk(total)) return null;
    if (total >= low && total <= high) return [part];
    const key = part
      .slice()
      .sort((a, b) => a - b)
      .join(',');
    if (failed.has(key)) return null;
    let seed = part[0];
    let seedDegree = Infinity;
    for (const v of part) {
      let degree = 0;
      for (let e = start[v]; e < start[v + 1]; e++) if (free[adjacent[e]]) degree++;
      if (degree < seedDegree || (degree === seedDegree && weight[v] > weight[seed])) {
        seed = v;
        seedDegree = degree;
      }
    }
    for (const set of candidates(seed)) {
      for (const v of set) free[v] = 0;
      const rest = part.filter((v) => free[v]);
      const restParts = partsOf(rest);
      let plan: number[][] | null = restParts.every((p) => rangeOk(totalOf(p))) ? [set] : null;
      for (const restPart of restParts) {
        if (!plan) break;
        const sub = solve(restPart);
        plan = sub ? plan.concat(sub) : null;
      }
      for (const v of set) free[v] = 1;
      if (plan) return plan;
    }
    failed.add(key);
    return null;
  };

  const all = Array.from({ length: n }, (_, i) => i);
  try {
    all.forEach((i) => {
      free[i] = 1;
    });
    const plan = solve(all);
    if (plan) {
      // Households-free leftovers (parks) that were cut off join the grid they touch.
      return {
        status: 'found',
        parts: attachEmpty(plan, weight, start, adjacent).map((part) => part.map((i) => nodes[i])),
      };
    }
    if (!exhaustive) return { status: 'gave-up' };
    // Proven: name the pieces that fit in no grid at all (the usual reason).
    const isolated: IsolatedPiece[] = [];
    for (const i of all) {
      let heaviestUnder = 0;
      let lightestOver = Infinity;
      const found = candidates(
        i,
        (t) => {
          lightestOver = Math.min(lightestOver, t);
        },
        (t) => {
          heaviestUnder = Math.max(heaviestUnder, t);
        },
      );
      if (found.length === 0) isolated.push({ node: nodes[i], heaviestUnder, lightestOver });
    }
    return { status: 'none', isolated };
  } catch (error) {
    if (error instanceof GaveUp) return { status: 'gave-up' };
    throw error;
  }
}

/** Parts without households are merged into a neighbouring part with households. */
function attachEmpty(plan: number[][], weight: Float64Array, start: Int32Array, adjacent: number[]): number[][] {
  const partOf = new Map<number, number>();
  plan.forEach((part, index) => part.forEach((v) => partOf.set(v, index)));
  const heavy = (index: number): boolean => plan[index].some((v) => weight[v] > 0);
  let changed = true;
  while (changed) {
    changed = false;
    plan.forEach((part, index) => {
      if (part.length === 0 || heavy(index)) return;
      for (const v of part) {
        for (let e = start[v]; e < start[v + 1]; e++) {
          const other = partOf.get(adjacent[e])!;
          if (other !== index && plan[other].length) {
            for (const u of part) partOf.set(u, other);
            plan[other] = plan[other].concat(part);
            plan[index] = [];
            changed = true;
            return;
          }
        }
      }
    });
  }
  return plan.filter((part) => part.length > 0);
}
