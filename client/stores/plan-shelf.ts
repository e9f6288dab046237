// The planner's shelf on /plan: the units of the county and its grid bounds, the list of drafts and published
// plans, and opening, making, copying and deleting them. The draft opened is handed to stores/plan-draft.ts.
import { defineStore } from 'pinia';
import { markRaw, shallowRef } from 'vue';
import {
  createPlan,
  deletePlan,
  fetchPlan,
  fetchPlanUnits,
  listPlans,
  type PlanSummary,
  type PlanUnits,
} from '../api/plans';
import { toLoadFailure, type LoadFailure } from '../composables/load-failure';
import { PlanEditor } from '../composables/plan-editor';
import { usePlanDraftStore } from './plan-draft';
import { useCountyStore } from './county';

/** Where locks were kept in this browser before the plan held them: read once per draft, then removed. */
const LEGACY_LOCKS_KEY = 'gridlink.plan.locks.';

function takeLegacyLocks(planId: number): string[] {
  try {
    const key = LEGACY_LOCKS_KEY + planId;
    const raw = localStorage.getItem(key);
    if (raw === null) return [];
    localStorage.removeItem(key);
    const value: unknown = JSON.parse(raw);
    return Array.isArray(value)
      ? value.filter((v): v is string => typeof v === 'string' && /^[A-Za-z0-9_-]{1,32}$/.test(v))
      : [];
  } catch {
    return [];
  }
}

export const usePlanShelfStore = defineStore('plan-shelf', () => {
  const draft = usePlanDraftStore();
  const county = useCountyStore();
  const units = shallowRef<PlanUnits | null>(null);
  const plans = shallowRef<PlanSummary[]>([]);
  const loadFailure = shallowRef<LoadFailure | null>(null);
  const loading = shallowRef(true);

  async function refreshList(): Promise<void> {
    plans.value = await listPlans();
  }

  async function load(): Promise<void> {
    loading.value = true;
    loadFailure.value = null;
    try {
      const [loadedUnits] = await Promise.all([fetchPlanUnits(), refreshList(), county.load()]);
      units.value = markRaw(loadedUnits);
    } catch (error) {
      loadFailure.value = toLoadFailure(error);
    } finally {
      loading.value = false;
    }
  }

  async function open(id: number): Promise<void> {
    await draft.flush();
    const bounds = county.bounds;
    if (!units.value || !bounds) return;
    loadFailure.value = null;
    try {
      const plan = await fetchPlan(id);
      const opened = new PlanEditor(units.value, plan.assignments, bounds);
      for (const label of plan.locks) opened.setLocked(label, true);
      // Locks this browser kept for the draft before the server held them join the draft's own, saved at once.
      const legacy =
        plan.status === 'draft' ? takeLegacyLocks(plan.id).filter((label) => !opened.locked.has(label)) : [];
      for (const label of legacy) opened.setLocked(label, true);
      draft.show(plan, opened, legacy.length > 0);
    } catch (error) {
      loadFailure.value = toLoadFailure(error);
    }
  }

  async function create(name: string): Promise<void> {
    const plan = await createPlan(name);
    await refreshList();
    await open(plan.id);
  }

  /** A new draft copying plan `id` (a published plan is edited further this way), opened. */
  async function copy(id: number, name: string): Promise<void> {
    await draft.flush();
    const plan = await createPlan(name, id);
    await refreshList();
    await open(plan.id);
  }

  async function remove(id: number): Promise<void> {
    if (draft.openPlan?.id === id) draft.close();
    await deletePlan(id);
    await refreshList();
  }

  // The list shows a saved draft's figures without asking the server again.
  draft.onSaved((planId, grids) => {
    plans.value = plans.value.map((p) => (p.id === planId ? { ...p, grids, updatedAt: new Date().toISOString() } : p));
  });

  /** The page closed: the next visit starts afresh, as a page load would. */
  function reset(): void {
    units.value = null;
    plans.value = [];
    loadFailure.value = null;
    loading.value = true;
  }

  return { units, plans, loading, loadFailure, load, open, create, copy, remove, reset };
});
