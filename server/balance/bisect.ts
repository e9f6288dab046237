// Initial plan by interval-feasible recursive bisection on random spanning trees.
//
// A connected region that must hold k grids is cut into two connected parts that will hold a and k − a grids;
// a cut is acceptable when the part weighs within [a·min, a·max] and the rest within [(k−a)·min, (k−a)·max].
// Cuts come from random spanning trees of the region (every tree edge splits the region into two connected
// parts); among the acceptable ones we keep the most compact, measured by the moment of inertia of each side
// (area as mass, I/A² — 1/2π for a disc, larger for stretched shapes). If a sub-region later proves impossible
// to cut, the next-best cut is tried (bounded backtracking).
import type { PlanarGraph } from './graph';
import type { Random } from './random';

export interface Bounds {
  min: number;
  max: number;
}

export interface PartitionResult {
  parts: number[][];
  /** True when every part is within bounds (false: best effort after the search failed). */
  exact: boolean;
}

interface Cut {
  side: number[];
  rest: number[];
  a: number;
  violation: number;
  score: number;
}

const EPSILON = 1e-7;

/** Distance of `value` from the interval [low, high] (0 inside). */
function outside(value: number, low: number, high: number): number {
  const tolerance = EPSILON * Math.max(1, Math.abs(high));
  return value < low - tolerance ? low - value : value > high + tolerance ? value - high : 0;
}

export class Bisector {
  private readonly local: Int32Array;
  private searches = 0;
  /** Households per grid of the whole region being partitioned: every side of every cut should stay near it. */
  private target = 0;

  constructor(
    private readonly planar: PlanarGraph,
    private readonly bounds: Bounds,
    private readonly random: Random,
    private readonly treesPerCut: number,
  ) {
    this.local = new Int32Array(planar.graph.size).fill(-1);
  }

  /** Splits a connected region into k connected parts within bounds, or returns its best effort. */
  partition(nodes: readonly number[], k: number): PartitionResult {
    if (k <= 1 || nodes.length <= 1) return { parts: [nodes.slice()], exact: this.fits(nodes, 1) };
    this.searches = 0;
    let total = 0;
    for (const v of nodes) total += this.planar.weight[v];
    this.target = total / k;
    // Small regions are cheap to search: give them room to backtrack (coarse units need it).
    const budget = nodes.length <= 80 ? Math.max(400, 30 + 3 * k) : 30 + 3 * k;
    const exact = this.exactSplit(nodes, k, budget, true);
    if (exact) return { parts: exact, exact: true };
    return { parts: this.bestEffortSplit(nodes, k), exact: false };
  }

  /**
   * Two-way splits of a connected set into parts that are each within bounds (one grid each), from fresh random
   * spanning trees, best (by inertia) first. Used to re-split two merged grids (a ReCom step).
   */
  splitsInTwo(nodes: readonly number[]): [number[], number[]][] {
    if (nodes.length < 2) return [];
    let total = 0;
    for (const v of nodes) total += this.planar.weight[v];
    this.target = total / 2;
    return this.findCuts(nodes, 2, [1], true).map((cut) => [cut.side, cut.rest]);
  }

  private fits(nodes: readonly number[], k: number): boolean {
    let total = 0;
    for (const v of nodes) total += this.planar.weight[v];
    return outside(total, k * this.bounds.min, k * this.bounds.max) === 0;
  }

  private exactSplit(nodes: readonly number[], k: number, budget: number, top = false): number[][] | null {
    if (k === 1) return this.fits(nodes, 1) ? [nodes.slice()] : null;
    if (nodes.length < k || this.searches > budget) return null;
    const half = Math.floor(k / 2);
    const even = half === k - half ? [half] : [half, k - half];
    // Uneven splits (1 and k − 1, …) rescue regions whose heavy units sit awkwardly.
    const uneven: number[] = [];
    for (let a = 1; a < k; a++) if (!even.includes(a)) uneven.push(a);
    // A small region draws fresh trees a few times at the top: its few acceptable cuts are easily missed by one
    // batch (deeper down, a failing part usually means the cut above it was wrong, which backtracking handles).
    const rounds = top && nodes.length <= 80 ? 6 : 1;
    for (let round = 0; round < rounds && this.searches <= budget; round++) {
      for (const sizes of uneven.length ? [even, uneven] : [even]) {
        this.searches++;
        for (const cut of this.findCuts(nodes, k, sizes, true)) {
          const left = this.exactSplit(cut.side, cut.a, budget);
          if (!left) continue;
          const right = this.exactSplit(cut.rest, k - cut.a, budget);
          if (right) return [...left, ...right];
        }
      }
    }
    return null;
  }

  private bestEffortSplit(nodes: readonly number[], k: number): number[][] {
    if (k <= 1 || nodes.length <= 1) return [nodes.slice()];
    const exact = this.searches <= 30 + 3 * k ? this.exactSplit(nodes, k, this.searches + 20) : null;
    if (exact) return exact;
    const sizes: number[] = [];
    for (let a = 1; a < k; a++) sizes.push(a);
    const [cut] = this.findCuts(nodes, k, sizes, false);
    if (!cut) return [nodes.slice()];
    return [...this.bestEffortSplit(cut.side, cut.a), ...this.bestEffortSplit(cut.rest, k - cut.a)];
  }

  /** Candidate cuts from random spanning trees, best first (strict: only cuts within the interval bounds). */
  private findCuts(nodes: readonly number[], k: number, sizes: readonly number[], strict: boolean): Cut[] {
    const { graph, weight, area, centroidX, centroidY } = this.planar;
    const { min, max } = this.bounds;
    const n = nodes.length;
    const local = this.local;
    nodes.forEach((v, i) => {
      local[v] = i;
    });

    // Region-local copies, centred to keep the inertia sums precise.
    let totalArea = 0;
    let meanX = 0;
    let meanY = 0;
    for (const v of nodes) {
      totalArea += area[v];
      meanX += centroidX[v];
      meanY += centroidY[v];
    }
    meanX /= n;
    meanY /= n;
    const edgeFrom: number[] = [];
    const edgeTo: number[] = [];
    const edgeLength: number[] = [];
    for (let i = 0; i < n; i++) {
      const v = nodes[i];
      for (let e = graph.start[v]; e < graph.start[v + 1]; e++) {
        const j = local[graph.neighbours[e]];
        if (j > i) {
          edgeFrom.push(i);
          edgeTo.push(j);
          edgeLength.push(Math.hypot(centroidX[v] - centroidX[nodes[j]], centroidY[v] - centroidY[nodes[j]]) + 1);
        }
      }
    }
    const massUnit = totalArea > 0 ? 1 / totalArea : 0;
    const mass = new Float64Array(n);
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    const own = new Float64Array(n);
    let totalWeight = 0;
    for (let i = 0; i < n; i++) {
      const v = nodes[i];
      mass[i] = totalArea > 0 ? area[v] * massUnit : 1 / n;
      x[i] = centroidX[v] - meanX;
      y[i] = centroidY[v] - meanY;
      own[i] = totalArea > 0 ? (mass[i] * area[v]) / (2 * Math.PI) : 0;
      totalWeight += weight[v];
    }

    const mean = this.target > 0 ? this.target : totalWeight / k;
    const halfWidth = Math.max((max - min) / 2, 1e-9);
    const trees = n > 20_000 ? 2 : n > 4_000 ? Math.max(3, Math.floor(this.treesPerCut / 3)) : this.treesPerCut;
    const edgeCount = edgeFrom.length;
    const order = new Int32Array(edgeCount);
    const keys = new Float64Array(edgeCount);
    const dsu = new Int32Array(n);
    const find = (i: number): number => {
      while (dsu[i] !== i) {
        dsu[i] = dsu[dsu[i]];
        i = dsu[i];
      }
      return i;
    };
    const head = new Int32Array(n);
    const next = new Int32Array(2 * n);
    const target = new Int32Array(2 * n);
    const parent = new Int32Array(n);
    const bfs = new Int32Array(n);
    const subWeight = new Float64Array(n);
    const subMass = new Float64Array(n);
    const subX = new Float64Array(n);
    const subY = new Float64Array(n);
    const subQ = new Float64Array(n);
    const cuts: Cut[] = [];
    // Masses are fractions of the region's area, so I/A² of a side is I / (m² · totalArea).
    const inertiaRatio = (m: number, mx: number, my: number, q: number): number =>
      m > 1e-15 && totalArea > 0 ? (q - (mx * mx + my * my) / m) / (m * m * totalArea) : 0;

    for (let tree = 0; tree < trees; tree++) {
      // Random spanning tree: Kruskal on centroid distance times a random factor (short edges favour compact
      // subtrees, the randomness gives each tree different cuts).
      for (let e = 0; e < edgeCount; e++) {
        order[e] = e;
        keys[e] = edgeLength[e] * (0.25 + this.random());
      }
      order.sort((p, q) => keys[p] - keys[q]);
      for (let i = 0; i < n; i++) dsu[i] = i;
      head.fill(-1);
      let links = 0;
      for (let o = 0; o < edgeCount && links < 2 * (n - 1); o++) {
        const e = order[o];
        const ra = find(edgeFrom[e]);
        const rb = find(edgeTo[e]);
        if (ra === rb) continue;
        dsu[ra] = rb;
        target[links] = edgeTo[e];
        next[links] = head[edgeFrom[e]];
        head[edgeFrom[e]] = links++;
        target[links] = edgeFrom[e];
        next[links] = head[edgeTo[e]];
        head[edgeTo[e]] = links++;
      }
      if (links < 2 * (n - 1)) break; // region not connected: no spanning tree
      const root = Math.floor(this.random() * n);
      parent.fill(-1);
      parent[root] = root;
      bfs[0] = root;
      for (let h = 0, t = 1; h < t; h++) {
        const v = bfs[h];
        for (let l = head[v]; l !== -1; l = next[l]) {
          const w = target[l];
          if (parent[w] === -1) {
            parent[w] = v;
            bfs[t++] = w;
          }
        }
      }
      for (let i = 0; i < n; i++) {
        subWeight[i] = weight[nodes[i]];
        subMass[i] = mass[i];
        subX[i] = mass[i] * x[i];
        subY[i] = mass[i] * y[i];
        subQ[i] = mass[i] * (x[i] * x[i] + y[i] * y[i]) + own[i];
      }
      for (let h = n - 1; h > 0; h--) {
        const v = bfs[h];
        const p = parent[v];
        subWeight[p] += subWeight[v];
        subMass[p] += subMass[v];
        subX[p] += subX[v];
        subY[p] += subY[v];
        subQ[p] += subQ[v];
      }
      let best: { v: number; a: number; violation: number; score: number; tier: number } | null = null;
      for (let h = 1; h < n; h++) {
        const v = bfs[h];
        const inside = subWeight[v];
        const rest = totalWeight - inside;
        for (const a of sizes) {
          for (const [sideGrids, restGrids] of [
            [a, k - a],
            [k - a, a],
          ]) {
            const violation =
              outside(inside, sideGrids * min, sideGrids * max) + outside(rest, restGrids * min, restGrids * max);
            if (strict && violation > 0) continue;
            // Both sides should keep about the whole region's mean per grid: a side left near a bound has no
            // room for the uneven cuts further down (the surplus is carried forward, as in recursive_tree_part).
            const drift = Math.max(Math.abs(inside / sideGrids - mean), Math.abs(rest / restGrids - mean)) / halfWidth;
            const tier = drift <= 0.25 ? 0 : drift <= 0.5 ? 1 : 2;
            const score =
              inertiaRatio(subMass[v], subX[v], subY[v], subQ[v]) +
              inertiaRatio(
                subMass[root] - subMass[v],
                subX[root] - subX[v],
                subY[root] - subY[v],
                subQ[root] - subQ[v],
              ) +
              0.05 * drift;
            if (
              !best ||
              violation < best.violation - EPSILON ||
              (Math.abs(violation - best.violation) <= EPSILON &&
                (tier < best.tier || (tier === best.tier && score < best.score)))
            ) {
              best = { v, a: sideGrids, violation, score, tier };
            }
          }
        }
      }
      if (!best) continue;
      // Collect the subtree of best.v.
      const side: number[] = [];
      const inSide = new Uint8Array(n);
      const stack = [best.v];
      inSide[best.v] = 1;
      while (stack.length) {
        const v = stack.pop()!;
        side.push(nodes[v]);
        for (let l = head[v]; l !== -1; l = next[l]) {
          const w = target[l];
          if (w !== parent[v] && !inSide[w] && parent[w] === v) {
            inSide[w] = 1;
            stack.push(w);
          }
        }
      }
      const rest: number[] = [];
      for (let i = 0; i < n; i++) if (!inSide[i]) rest.push(nodes[i]);
      cuts.push({ side, rest, a: best.a, violation: best.violation, score: best.score + best.tier });
    }
    for (const v of nodes) local[v] = -1;
    cuts.sort((p, q) => p.violation - q.violation || p.score - q.score);
    // Distinct cuts only (several trees often find the same one).
    const distinct: Cut[] = [];
    const seen = new Set<string>();
    for (const cut of cuts) {
      let smallest = Infinity;
      for (const v of cut.side) if (v < smallest) smallest = v;
      const key = `${cut.a}:${cut.side.length}:${smallest}`;
      if (!seen.has(key)) {
        seen.add(key);
        distinct.push(cut);
      }
    }
    return distinct.slice(0, 4);
  }
}
