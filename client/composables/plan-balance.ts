// Automatic balancing for the planner: the engine in a Web Worker (plan-balance.worker.ts), with progress and
// cancel; the result comes back relabelled to the plan's grid labels so it can be applied as one undoable step.
import { shallowRef } from 'vue';
import type { BalanceProgress } from '../../server/balance/index';
import type { PlanUnits } from '../api/plans';
import type { BalanceReply, BalanceRequest } from './plan-balance.worker';
import type { PlanEditor } from './plan-editor';
import { balanceUnitsOf } from './plan-grid-model';
import type { HouseholdBounds } from '../../shared/plan-rules';

/** Time the engine may spend refining; the demo data needs well under a second. */
const TIME_BUDGET_MS = 8000;

export type BalanceOutcome =
  | {
      kind: 'done';
      assignment: Record<string, string | null>;
      valid: boolean;
      violations: string[];
      grids: number;
      householdsMoved: number;
    }
  | { kind: 'cancelled' }
  | { kind: 'error'; message: string };

/**
 * Gives each grid of a fresh plan (labelled 1…K) the current label it shares the most households with, each
 * current label used once; the others get new labels (N001…). Keeps names stable and the diff small.
 */
export function relabel(
  editor: PlanEditor,
  units: PlanUnits,
  fresh: Record<string, string | null>,
): Record<string, string | null> {
  const households = new Map(units.features.map((f) => [f.properties.id, f.properties.households]));
  // A label also held by units outside this run (another community, a locked grid) is not reused.
  const outside = new Set(editor.prepared.ids.filter((id) => !(id in fresh)).map((id) => editor.labelOf(id)));
  const overlap = new Map<string, Map<string, number>>();
  for (const [id, label] of Object.entries(fresh)) {
    const current = editor.labelOf(id);
    if (!label || !current || outside.has(current)) continue;
    let row = overlap.get(label);
    if (!row) overlap.set(label, (row = new Map()));
    row.set(current, (row.get(current) ?? 0) + (households.get(id) ?? 0) + 1e-6);
  }
  const pairs: [string, string, number][] = [];
  for (const [label, row] of overlap) for (const [current, weight] of row) pairs.push([label, current, weight]);
  pairs.sort((a, b) => b[2] - a[2] || a[0].localeCompare(b[0]) || a[1].localeCompare(b[1]));
  const mapping = new Map<string, string>();
  const used = new Set<string>();
  for (const [label, current] of pairs) {
    if (mapping.has(label) || used.has(current)) continue;
    mapping.set(label, current);
    used.add(current);
  }
  const out: Record<string, string | null> = {};
  for (const [id, label] of Object.entries(fresh)) {
    if (!label) {
      out[id] = null;
      continue;
    }
    let mapped = mapping.get(label);
    if (!mapped) {
      mapped = editor.freshLabel(used);
      used.add(mapped);
      mapping.set(label, mapped);
    }
    out[id] = mapped;
  }
  return out;
}

export function usePlanBalance() {
  const running = shallowRef(false);
  const progress = shallowRef<BalanceProgress | null>(null);
  let worker: Worker | null = null;
  let settle: ((outcome: BalanceOutcome) => void) | null = null;

  function ensureWorker(): Worker {
    if (worker) return worker;
    worker = new Worker(new URL('./plan-balance.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<BalanceReply>) => {
      const message = event.data;
      if (message.type === 'progress') {
        progress.value = message.progress;
        return;
      }
      const done = settle;
      settle = null;
      running.value = false;
      progress.value = null;
      if (message.type === 'done') {
        const { assignment, valid, violations, grids, householdsMoved } = message;
        done?.({ kind: 'done', assignment, valid, violations, grids, householdsMoved });
      } else if (message.type === 'cancelled') done?.({ kind: 'cancelled' });
      else done?.({ kind: 'error', message: message.message });
    };
    worker.onerror = (event) => {
      const done = settle;
      settle = null;
      running.value = false;
      progress.value = null;
      done?.({ kind: 'error', message: event.message || 'the balancing worker failed' });
    };
    return worker;
  }

  /**
   * Balances the given units (all, or one community's, without locked grids) within the county's bounds afresh —
   * or, given their current labels, rebalances them (only broken grids change); resolves with the engine's
   * assignment of them.
   */
  function run(
    units: PlanUnits,
    bounds: HouseholdBounds,
    unitIds?: readonly string[],
    current?: Record<string, string | null>,
  ): Promise<BalanceOutcome> {
    if (running.value) return Promise.resolve({ kind: 'error', message: 'already balancing' });
    const chosen = unitIds ? new Set(unitIds) : null;
    const subset: PlanUnits = chosen
      ? { ...units, features: units.features.filter((f) => chosen.has(f.properties.id)) }
      : units;
    const parentIds = new Set(
      subset.features.filter((f) => f.properties.kind === 'building').map((f) => f.properties.compound_id),
    );
    const parents = Object.fromEntries(Object.entries(units.parents).filter(([id]) => parentIds.has(id)));
    running.value = true;
    progress.value = null;
    return new Promise((resolve) => {
      settle = resolve;
      const request: BalanceRequest = {
        type: 'run',
        units: balanceUnitsOf(subset),
        parents,
        bounds: { min: bounds.min, max: bounds.max },
        timeBudgetMs: TIME_BUDGET_MS,
        assignment: current,
      };
      ensureWorker().postMessage(request);
    });
  }

  function cancel(): void {
    if (running.value) worker?.postMessage({ type: 'cancel' } satisfies BalanceRequest);
  }

  function dispose(): void {
    worker?.terminate();
    worker = null;
    if (settle) settle({ kind: 'cancelled' });
    settle = null;
    running.value = false;
  }

  return { running, progress, run, cancel, dispose };
}
