// The planner's page state: the units, the list of drafts, the open draft (a PlanEditor outside Vue's
// reactivity, read through `version`), the selected grid, autosave to the server, undo / redo and balancing.
import { computed, markRaw, onBeforeUnmount, onMounted, shallowRef } from 'vue';
import {
  createPlan,
  deletePlan,
  fetchPlan,
  fetchPlanUnits,
  listPlans,
  savePlanAssignments,
  type PlanSummary,
  type PlanUnits,
} from '../api/plans';
import { toLoadFailure, type LoadFailure } from './load-failure';
import { relabel, usePlanBalance, type BalanceOutcome } from './plan-balance';
import { PlanEditor, type DeleteOutcome } from './plan-editor';

export type BalanceMode = 'community' | 'plan' | 'rebalance';

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

/** Autosave this long after the last change. */
const AUTOSAVE_DELAY_MS = 800;

export type SaveState = 'saved' | 'pending' | 'saving' | 'error';

export function usePlanSession() {
  const units = shallowRef<PlanUnits | null>(null);
  const plans = shallowRef<PlanSummary[]>([]);
  const loadFailure = shallowRef<LoadFailure | null>(null);
  const loading = shallowRef(true);
  const openPlan = shallowRef<PlanSummary | null>(null);
  const editor = shallowRef<PlanEditor | null>(null);
  /** Bumped after every change of the editor: computed figures depend on it. */
  const version = shallowRef(0);
  const selectedGrid = shallowRef<string | null>(null);
  const saveState = shallowRef<SaveState>('saved');
  const saveError = shallowRef<string | null>(null);
  const balancer = usePlanBalance();
  let saveTimer: ReturnType<typeof setTimeout> | null = null;
  let saving: Promise<void> | null = null;

  const rows = computed(() => (version.value, editor.value?.rows() ?? []));
  const summary = computed(() => (version.value, editor.value?.summary() ?? null));
  const selectedRow = computed(
    () => (version.value, selectedGrid.value ? (editor.value?.row(selectedGrid.value) ?? null) : null),
  );
  const canUndo = computed(() => (version.value, editor.value?.canUndo ?? false));
  const canRedo = computed(() => (version.value, editor.value?.canRedo ?? false));
  /** A published plan is shown, never edited: edits are refused here as the server refuses them (409). */
  const readOnly = computed(() => openPlan.value?.status === 'published');

  async function refreshList(): Promise<void> {
    plans.value = await listPlans();
  }

  async function load(): Promise<void> {
    loading.value = true;
    loadFailure.value = null;
    try {
      const [loadedUnits] = await Promise.all([fetchPlanUnits(), refreshList()]);
      units.value = markRaw(loadedUnits);
    } catch (error) {
      loadFailure.value = toLoadFailure(error);
    } finally {
      loading.value = false;
    }
  }

  async function open(id: number): Promise<void> {
    await flush();
    if (!units.value) return;
    loadFailure.value = null;
    try {
      const plan = await fetchPlan(id);
      const opened = new PlanEditor(units.value, plan.assignments);
      for (const label of plan.locks) opened.setLocked(label, true);
      // Locks this browser kept for the draft before the server held them join the draft's own, saved at once.
      const legacy =
        plan.status === 'draft' ? takeLegacyLocks(plan.id).filter((label) => !opened.locked.has(label)) : [];
      for (const label of legacy) opened.setLocked(label, true);
      editor.value = markRaw(opened);
      openPlan.value = plan;
      selectedGrid.value = null;
      saveState.value = 'saved';
      version.value++;
      if (legacy.length) changed();
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
    await flush();
    const plan = await createPlan(name, id);
    await refreshList();
    await open(plan.id);
  }

  async function remove(id: number): Promise<void> {
    if (openPlan.value?.id === id) {
      cancelSave();
      editor.value = null;
      openPlan.value = null;
      selectedGrid.value = null;
    }
    await deletePlan(id);
    await refreshList();
  }

  // Autosave

  function cancelSave(): void {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = null;
  }

  function changed(): void {
    version.value++;
    saveState.value = 'pending';
    cancelSave();
    saveTimer = setTimeout(() => void save(), AUTOSAVE_DELAY_MS);
  }

  async function save(keepalive = false): Promise<void> {
    cancelSave();
    const plan = openPlan.value;
    const current = editor.value;
    if (!plan || !current) return;
    if (saving && !keepalive) await saving;
    saveState.value = 'saving';
    const attempt = savePlanAssignments(plan.id, current.assignment(), [...current.locked], keepalive).then(
      () => {
        // A change made while this save was on its way keeps the state pending.
        if (saveState.value === 'saving') saveState.value = 'saved';
        saveError.value = null;
        // The list shows the saved draft's figures without asking the server again.
        const grids = current.summary().grids;
        plans.value = plans.value.map((p) =>
          p.id === plan.id ? { ...p, grids, updatedAt: new Date().toISOString() } : p,
        );
      },
      (error: unknown) => {
        saveState.value = 'error';
        saveError.value = toLoadFailure(error).message;
        saveTimer = setTimeout(() => void save(), AUTOSAVE_DELAY_MS * 5);
      },
    );
    saving = attempt;
    await attempt;
    if (saving === attempt) saving = null;
  }

  /** Saves now whatever is not saved yet. */
  async function flush(): Promise<void> {
    if (saveState.value === 'pending' || saveState.value === 'error') await save();
    else if (saving) await saving;
  }

  /** The tab is closing or hidden: send what is pending with keepalive, so it arrives even if the page goes. */
  function onPageHide(): void {
    if (saveState.value === 'pending' || saveState.value === 'error') void save(true);
  }

  function onVisibility(): void {
    if (document.visibilityState === 'hidden') onPageHide();
  }

  // Editing

  function selectGrid(label: string | null): void {
    selectedGrid.value = label;
  }

  /** Moves a unit into the selected grid (nothing without a selection). */
  function moveUnit(unitId: string): boolean {
    const current = editor.value;
    const target = selectedGrid.value;
    if (!current || !target || readOnly.value || !current.move(unitId, target)) return false;
    changed();
    return true;
  }

  // A brush stroke: every dab updates the figures at once; the whole stroke is one undoable step.
  function beginStroke(): void {
    editor.value?.beginStroke();
  }

  function paint(unitIds: Iterable<string>): number {
    const current = editor.value;
    const target = selectedGrid.value;
    if (!current || !target || readOnly.value) return 0;
    const moved = current.paint(unitIds, target);
    if (moved) changed();
    return moved;
  }

  function endStroke(): void {
    if (editor.value?.endStroke()) changed();
  }

  function cancelStroke(): void {
    if (editor.value?.cancelStroke()) changed();
  }

  /** Runs an edit of the open draft; bumps the version (and autosaves) when it changed something. */
  function edit<T>(action: (current: PlanEditor) => T, didChange: (result: T) => boolean = Boolean): T | null {
    const current = editor.value;
    if (!current || readOnly.value) return null;
    const result = action(current);
    if (didChange(result)) changed();
    return result;
  }

  function undo(): void {
    edit((current) => current.undo());
  }

  function redo(): void {
    edit((current) => current.redo());
  }

  function newGrid(): string | null {
    const label = edit(
      (current) => current.newGrid(),
      () => false,
    );
    if (label) {
      selectedGrid.value = label;
      version.value++;
    }
    return label;
  }

  function mergeGrids(target: string, source: string): boolean {
    const merged = edit((current) => current.mergeGrids(target, source)) ?? false;
    if (merged && selectedGrid.value === source) selectedGrid.value = target;
    return merged;
  }

  function deleteGrid(label: string): DeleteOutcome | null {
    const outcome = edit(
      (current) => current.deleteGrid(label),
      (result) => result !== null,
    );
    if (outcome && selectedGrid.value === label) selectedGrid.value = null;
    return outcome;
  }

  /** Locks are part of the draft: saved with it like every edit (not an undoable step). */
  function setLocked(label: string, locked: boolean): void {
    const current = editor.value;
    if (!current || readOnly.value || current.isLocked(label) === locked) return;
    current.setLocked(label, locked);
    changed();
  }

  function splitCompound(compound: string): boolean {
    return edit((current) => current.splitCompound(compound)) ?? false;
  }

  function mergeCompound(compound: string): boolean {
    return edit((current) => current.mergeCompound(compound)) ?? false;
  }

  /**
   * Automatic balancing, one undoable step, never touching locked grids: 'community' balances one community
   * afresh, 'plan' the whole plan, 'rebalance' fixes only the broken grids, moving as few households as it can.
   */
  async function balance(mode: BalanceMode, community: string | null): Promise<BalanceOutcome & { moved?: number }> {
    const current = editor.value;
    if (!current) return { kind: 'error', message: 'no draft open' };
    if (readOnly.value) return { kind: 'error', message: 'the plan is published and read-only' };
    const ids = current.unlockedUnits(current.unitsOfCommunity(mode === 'community' ? community : null));
    const labels = mode === 'rebalance' ? Object.fromEntries(ids.map((id) => [id, current.labelOf(id)])) : undefined;
    const outcome = await balancer.run(current.units, ids, labels);
    if (outcome.kind !== 'done' || editor.value !== current) return outcome;
    const moved = current.applyAssignment(relabel(current, current.units, outcome.assignment));
    if (moved) changed();
    return { ...outcome, moved };
  }

  onMounted(() => {
    void load();
    window.addEventListener('pagehide', onPageHide);
    document.addEventListener('visibilitychange', onVisibility);
  });
  onBeforeUnmount(() => {
    onPageHide();
    window.removeEventListener('pagehide', onPageHide);
    document.removeEventListener('visibilitychange', onVisibility);
    balancer.dispose();
  });

  return {
    units,
    plans,
    loading,
    loadFailure,
    openPlan,
    editor,
    version,
    rows,
    summary,
    selectedGrid,
    selectedRow,
    saveState,
    saveError,
    canUndo,
    canRedo,
    readOnly,
    balancing: balancer.running,
    balanceProgress: balancer.progress,
    cancelBalance: balancer.cancel,
    load,
    open,
    create,
    copy,
    remove,
    flush,
    selectGrid,
    moveUnit,
    beginStroke,
    paint,
    endStroke,
    cancelStroke,
    undo,
    redo,
    newGrid,
    mergeGrids,
    deleteGrid,
    setLocked,
    splitCompound,
    mergeCompound,
    balance,
  };
}
