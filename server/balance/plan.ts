// A fresh plan: interval-feasible bisection of every feasible region, bound repair where the search failed, then
// refinement (single moves, then Fiduccia–Mattheyses passes over pairs of grids) alternating with ReCom steps until
// none pays or the time is up.
import { Bisector, type Bounds } from './bisect';
import type { ResolvedOptions } from './defaults';
import { exactPartition } from './exact';
import type { FeasibilityReport } from './feasibility';
import type { Pieces } from './pieces';
import type { Random } from './random';
import { boundViolation, recombine, refineCompactness, repairBounds, repairByRecutting } from './refine';
import { GridState } from './state';
import { refinePairsFM } from './pairfm';
import type { BalanceProgress } from './types';

export interface PlanContext {
  pieces: Pieces;
  feasibility: FeasibilityReport;
  bounds: Bounds;
  options: ResolvedOptions;
  shouldStop: () => boolean;
  /** Awaited between steps: yields to the event loop and throws when aborted. */
  checkpoint: () => Promise<void>;
  report: (phase: BalanceProgress['phase'], done: number, total: number, message: string) => void;
}

export async function freshPlan(context: PlanContext, random: Random): Promise<GridState> {
  const { pieces, feasibility, bounds, options, shouldStop, checkpoint, report } = context;
  const gridOf = new Int32Array(pieces.planar.graph.size).fill(-1);
  const needsRepair = new Set<number>();
  const bisector = new Bisector(pieces.planar, bounds, random, options.treesPerCut);
  let gridCount = 0;
  let done = 0;
  for (const region of feasibility.regions) {
    let result = bisector.partition(region.nodes, region.grids);
    if (!result.exact && region.feasible) {
      // Another grid count in the feasible range may cut where this one could not.
      const counts: number[] = [];
      for (let k = region.minGrids; k <= Math.min(region.maxGrids, region.minGrids + 8); k++)
        if (k !== region.grids) counts.push(k);
      counts.sort((a, b) => Math.abs(a - region.grids) - Math.abs(b - region.grids));
      for (const k of counts) {
        const attempt = bisector.partition(region.nodes, k);
        if (attempt.exact) {
          result = attempt;
          break;
        }
      }
      // The random trees missed every valid cut (coarse regions can have very few): search them all.
      if (!result.exact) {
        region.search ??= exactPartition(pieces.planar, region.nodes, bounds, { shouldStop });
        if (region.search.status === 'found') result = { parts: region.search.parts, exact: true };
      }
    }
    for (const part of result.parts) {
      if (!result.exact) needsRepair.add(gridCount);
      for (const v of part) gridOf[v] = gridCount;
      gridCount++;
    }
    done += region.nodes.length;
    report('initial', done, pieces.planar.graph.size, `initial plan: ${gridCount} grids`);
    await checkpoint();
  }
  const state = new GridState(pieces.planar, gridOf, gridCount);
  if (needsRepair.size) {
    repairBounds(state, {
      bounds,
      random,
      active: (grid) => needsRepair.has(grid),
      shouldStop,
      passes: options.refinePasses,
      original: gridOf.slice(),
    });
    // Where moves and merges were not enough: re-cut the broken grid with its neighbours (same region only, since
    // grids of a region touch only grids of that region and group).
    repairByRecutting(state, bisector, { bounds, random, shouldStop, passes: 1 });
  }

  for (let round = 0; round <= options.recombineRounds; round++) {
    for (let pass = 0; pass < options.refinePasses; pass++) {
      const moves = refineCompactness(state, { bounds, random, shouldStop, passes: 1 });
      report('refine', pass + 1, options.refinePasses, `refine round ${round + 1}, pass ${pass + 1}: ${moves} moves`);
      await checkpoint();
      if (moves === 0 || shouldStop()) break;
    }
    if (round === options.recombineRounds || shouldStop()) break;
    const pairs = recombine(state, bisector, { bounds, random, shouldStop, passes: 1 });
    report('refine', round + 1, options.recombineRounds, `recombination round ${round + 1}: ${pairs} pairs re-split`);
    await checkpoint();
    if (pairs === 0) break;
  }
  // Final polish: FM passes over pairs of grids (each strictly raises the score, or changes nothing), single moves.
  for (let pass = 0; pass < 3 && !shouldStop(); pass++) {
    const pairs = refinePairsFM(state, { bounds, random, shouldStop, passes: 1 });
    report('refine', pass + 1, 3, `FM pass ${pass + 1}: ${pairs} pairs of grids improved`);
    await checkpoint();
    if (pairs === 0) break;
    refineCompactness(state, { bounds, random, shouldStop, passes: 2 });
  }
  return state;
}

/** Lower is better: total bound violation first, then minus the mean Polsby-Popper. */
export function planScore(state: GridState, bounds: Bounds): [number, number] {
  let violation = 0;
  let compactness = 0;
  let grids = 0;
  for (let grid = 0; grid < state.gridCount; grid++) {
    if (state.count[grid] === 0) continue;
    violation += boundViolation(state.weight[grid], state.count[grid], bounds);
    compactness += state.polsbyPopper(grid);
    grids++;
  }
  return [violation, grids ? -compactness / grids : 0];
}
