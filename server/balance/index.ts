// The grid-balancing engine (网格划分): units → grids of min–max households that are contiguous, nested in
// groups, keep parents whole (or split into as few contiguous pieces as their weight requires), and are compact.
// Pure TypeScript: runs in Node and in a Web Worker alike. See README.md in this folder for the design.
import { BALANCE_DEFAULTS, resolveOptions, type ResolvedOptions } from './defaults';
import { analyseFeasibility, unsolvedRegions } from './feasibility';
import { evaluatePlan } from './metrics';
import { buildPieces } from './pieces';
import { createRandom } from './random';
import { rebalance } from './rebalance';
import { freshPlan, planScore } from './plan';
import { GridState } from './state';
import type { BalanceControl, BalanceOptions, BalanceProgress, BalanceResult, BalanceUnit } from './types';
import { prepareUnits, validateOptions, type PreparedUnits } from './units';

export { BALANCE_DEFAULTS, resolveOptions } from './defaults';
export { BalanceInputError, prepareUnits, type PreparedUnits } from './units';
export { evaluatePlan, type PlanEvaluation } from './metrics';
export { GridState } from './state';
export { gridCountRange } from './feasibility';
export { DERIVED_OUTLINE_MARGIN_M, derivedOutline, parentCells } from './cells';
export type * from './types';

/** Yield to the event loop this often, so that a Web Worker can receive an abort and the UI stays live. */
const YIELD_EVERY_MS = 40;

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

class Clock {
  private readonly started = now();
  private lastYield = this.started;
  constructor(
    private readonly budgetMs: number,
    private readonly signal?: AbortSignal,
  ) {}
  get elapsedMs(): number {
    return now() - this.started;
  }
  overBudget(): boolean {
    return this.elapsedMs > this.budgetMs || this.signal?.aborted === true;
  }
  async checkpoint(): Promise<void> {
    this.signal?.throwIfAborted();
    if (now() - this.lastYield >= YIELD_EVERY_MS) {
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
      this.lastYield = now();
      this.signal?.throwIfAborted();
    }
  }
}

/**
 * Balances units into grids. Rejects with `BalanceInputError` on bad input and with the signal's reason when
 * aborted; otherwise always resolves with a plan, `valid` telling whether every hard rule holds.
 */
export async function balance(
  units: readonly BalanceUnit[],
  options: Partial<BalanceOptions> = {},
  control: BalanceControl = {},
): Promise<BalanceResult> {
  const resolved: ResolvedOptions = resolveOptions(options);
  validateOptions(resolved);
  const clock = new Clock(control.timeBudgetMs ?? BALANCE_DEFAULTS.timeBudgetMs, control.signal);
  const report = (phase: BalanceProgress['phase'], done: number, total: number, message: string): void =>
    control.onProgress?.({ phase, done, total, message });
  const bounds = { min: resolved.min, max: resolved.max };
  const random = createRandom(resolved.seed);
  await clock.checkpoint();

  report('adjacency', 0, units.length, `adjacency of ${units.length} units (gap ${resolved.gap} m)`);
  const prepared = prepareUnits(units, resolved, (done, total) =>
    report('adjacency', done, total, `adjacency ${done}/${total}`),
  );
  await clock.checkpoint();

  const existing = resolved.assignment;
  const labelOfUnit: (string | null)[] | null = existing
    ? prepared.ids.map((id) => {
        const label = existing[id];
        return label === undefined || label === null || label === '' ? null : String(label);
      })
    : null;
  report('parents', 0, 1, 'pieces of parents');
  const pieces = buildPieces(prepared, bounds, random, resolved.treesPerCut, labelOfUnit ?? undefined);
  report('feasibility', 0, 1, `feasibility of ${pieces.planar.graph.size} pieces`);
  const feasibility = analyseFeasibility(prepared, pieces, bounds);
  await clock.checkpoint();

  const shouldStop = (): boolean => clock.overBudget();
  let state: GridState;
  let labels: string[];
  if (labelOfUnit) {
    report('rebalance', 0, 1, 'repairing the existing plan');
    ({ state, labels } = rebalance({
      units: prepared,
      pieces,
      feasibility,
      bounds,
      labelOfUnit,
      random,
      treesPerCut: resolved.treesPerCut,
      passes: resolved.refinePasses,
      shouldStop,
    }));
  } else {
    // Several starts from different random trees; the best plan wins. Later starts only while time remains.
    const context = {
      pieces,
      feasibility,
      bounds,
      options: resolved,
      shouldStop,
      checkpoint: () => clock.checkpoint(),
      report,
    };
    let best: GridState | null = null;
    let bestScore: [number, number] = [Infinity, Infinity];
    const budget = control.timeBudgetMs ?? BALANCE_DEFAULTS.timeBudgetMs;
    for (let start = 0; start < Math.max(1, resolved.starts); start++) {
      const startedAt = clock.elapsedMs;
      const candidate = await freshPlan(context, start === 0 ? random : createRandom(resolved.seed + 7919 * start));
      const score = planScore(candidate, bounds);
      if (
        !best ||
        score[0] < bestScore[0] - 1e-7 ||
        (Math.abs(score[0] - bestScore[0]) <= 1e-7 && score[1] < bestScore[1])
      ) {
        best = candidate;
        bestScore = score;
      }
      report('refine', start + 1, resolved.starts, `start ${start + 1}: mean Polsby-Popper ${(-score[1]).toFixed(3)}`);
      // Stop when another start of the same length would overrun half the budget.
      if (clock.elapsedMs + (clock.elapsedMs - startedAt) > budget / 2 || shouldStop()) break;
    }
    state = best!;
    labels = Array.from({ length: state.gridCount }, (_, grid) => String(grid + 1));
  }

  report('validate', 0, 1, 'checking every rule');
  const result = finish(prepared, pieces.pieceOfUnit, state, labels, resolved, labelOfUnit);
  const unsolved = unsolvedRegions(prepared, pieces, feasibility, state.gridOf, state.weight, bounds);
  result.violations.unshift(...pieces.violations, ...feasibility.violations, ...unsolved);
  result.notices.push(...feasibility.notices);
  if (prepared.parentsWithLooseCells.length) {
    result.notices.push(
      `parents ${prepared.parentsWithLooseCells.map((name) => JSON.stringify(name)).join(', ')}: ` +
        'their cells could not be made to hold every building (polygon clipping failed); ' +
        'plain Voronoi cells, or the footprint, are used there',
    );
  }
  result.valid = result.violations.length === 0;
  result.seconds = clock.elapsedMs / 1000;
  report(
    'validate',
    1,
    1,
    result.valid ? `valid plan: ${result.grids.length} grids` : `${result.violations.length} violations`,
  );
  return result;
}

function finish(
  prepared: PreparedUnits,
  pieceOfUnit: Int32Array,
  state: GridState,
  labels: string[],
  options: ResolvedOptions,
  labelOfUnit: (string | null)[] | null,
): BalanceResult {
  // Empty grids disappear; fresh plans are numbered 1…K in order of appearance.
  const gridOfUnit = new Int32Array(prepared.ids.length).fill(-1);
  for (let u = 0; u < gridOfUnit.length; u++) gridOfUnit[u] = state.gridOf[pieceOfUnit[u]];
  let finalLabels = labels;
  if (!labelOfUnit) {
    const renumber = new Map<number, number>();
    for (let u = 0; u < gridOfUnit.length; u++) {
      const grid = gridOfUnit[u];
      if (grid < 0) continue;
      if (!renumber.has(grid)) renumber.set(grid, renumber.size);
      gridOfUnit[u] = renumber.get(grid)!;
    }
    finalLabels = Array.from({ length: renumber.size }, (_, i) => String(i + 1));
  }
  const evaluation = evaluatePlan(prepared, gridOfUnit, finalLabels, options);
  const assignment: Record<string, string | null> = {};
  let householdsMoved = 0;
  prepared.ids.forEach((id, u) => {
    const label = gridOfUnit[u] >= 0 ? finalLabels[gridOfUnit[u]] : null;
    assignment[id] = label;
    if (labelOfUnit && labelOfUnit[u] !== null && labelOfUnit[u] !== label)
      householdsMoved += prepared.planar.weight[u];
  });
  return {
    valid: false,
    assignment,
    grids: evaluation.grids,
    violations: evaluation.violations,
    notices: [],
    minWeight: evaluation.minWeight,
    maxWeight: evaluation.maxWeight,
    meanPolsbyPopper: evaluation.meanPolsbyPopper,
    splitParents: evaluation.splitParents,
    householdsMoved,
    cutEdges: evaluation.cutEdges,
    seconds: 0,
  };
}
