// The plan being edited on /plan: the open draft (a PlanEditor outside Vue's reactivity, read through `version`),
// the selection (grid and picked unit), the figures the panels show, the edits with undo / redo and locks, the
// autosave and automatic balancing. The panels read it; drafts are loaded and opened by stores/plan-shelf.ts.
import { defineStore } from 'pinia';
import { computed, markRaw, shallowRef } from 'vue';
import type { PlanSummary } from '../api/plans';
import { usePlanAutosave } from '../composables/plan-autosave';
import { relabel, usePlanBalance, type BalanceOutcome } from '../composables/plan-balance';
import type { DeleteOutcome, PlanEditor } from '../composables/plan-editor';
import type { CompoundInfo } from '../composables/plan-figures';

export type BalanceMode = 'community' | 'plan' | 'rebalance';

/** The previous list when the new one holds the same items: the panel it feeds is not rendered again per stroke. */
const sameOr = <T>(previous: T[] | undefined, next: T[]): T[] =>
  previous && previous.length === next.length && previous.every((v, i) => v === next[i]) ? previous : next;

export const usePlanDraftStore = defineStore('plan-draft', () => {
  const openPlan = shallowRef<PlanSummary | null>(null);
  const editor = shallowRef<PlanEditor | null>(null);
  /** Bumped after every change of the editor: computed figures depend on it. */
  const version = shallowRef(0);
  const selectedGrid = shallowRef<string | null>(null);
  /** The unit last picked with the Select tool: its compound can be split or merged back. */
  const pickedUnit = shallowRef<string | null>(null);
  /** Told of every save that succeeded (the shelf updates its list). */
  let savedListener: ((planId: number, grids: number) => void) | null = null;
  const autosave = usePlanAutosave(
    () => (openPlan.value && editor.value ? { plan: openPlan.value, editor: editor.value } : null),
    (planId, grids) => savedListener?.(planId, grids),
  );
  const balancer = usePlanBalance();

  const rows = computed(() => (version.value, editor.value?.rows() ?? []));
  const summary = computed(() => (version.value, editor.value?.summary() ?? null));
  const selectedRow = computed(
    () => (version.value, selectedGrid.value ? (editor.value?.row(selectedGrid.value) ?? null) : null),
  );
  const canUndo = computed(() => (version.value, editor.value?.canUndo ?? false));
  const canRedo = computed(() => (version.value, editor.value?.canRedo ?? false));
  /** A published plan is shown, never edited: edits are refused here as the server refuses them (409). */
  const readOnly = computed(() => openPlan.value?.status === 'published');
  const communities = computed(() => (version.value, editor.value?.communities() ?? []));
  const neighbours = computed<string[]>(
    (previous) => (
      version.value,
      sameOr(previous, selectedGrid.value ? (editor.value?.neighbourGrids(selectedGrid.value) ?? []) : [])
    ),
  );
  const compound = computed(
    () => (version.value, pickedUnit.value ? (editor.value?.compoundOf(pickedUnit.value) ?? null) : null),
  );
  const splitList = computed<string[]>(
    (previous) => (version.value, sameOr(previous, editor.value?.splitByPlanner() ?? [])),
  );
  /** Compounds the planner split whose buildings ended in several grids: publishing refuses them (engine rule 4). */
  const spreadCompounds = computed(() =>
    splitList.value
      .map((id) => editor.value?.compoundOf(id))
      .filter((c): c is CompoundInfo => !!c && c.grids.length > 1),
  );

  /** Shows a draft just opened; `unsaved`: it holds changes (locks) the server has not got yet. */
  function show(plan: PlanSummary, opened: PlanEditor, unsaved: boolean): void {
    editor.value = markRaw(opened);
    openPlan.value = plan;
    selectedGrid.value = null;
    autosave.state.value = 'saved';
    version.value++;
    if (unsaved) changed();
  }

  /** No draft open any more (it was deleted, or the page closes); pending changes are dropped. */
  function close(): void {
    autosave.cancel();
    editor.value = null;
    openPlan.value = null;
    selectedGrid.value = null;
  }

  function onSaved(listener: (planId: number, grids: number) => void): void {
    savedListener = listener;
  }

  function changed(): void {
    version.value++;
    autosave.schedule();
  }

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

  const undo = (): void => void edit((current) => current.undo());
  const redo = (): void => void edit((current) => current.redo());

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

  const splitCompound = (compound: string): boolean => edit((current) => current.splitCompound(compound)) ?? false;
  const mergeCompound = (compound: string): boolean => edit((current) => current.mergeCompound(compound)) ?? false;

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
    const outcome = await balancer.run(current.units, current.bounds, ids, labels);
    if (outcome.kind !== 'done' || editor.value !== current) return outcome;
    const moved = current.applyAssignment(relabel(current, current.units, outcome.assignment));
    if (moved) changed();
    return { ...outcome, moved };
  }

  return {
    openPlan,
    editor,
    version,
    selectedGrid,
    pickedUnit,
    rows,
    summary,
    selectedRow,
    canUndo,
    canRedo,
    readOnly,
    communities,
    neighbours,
    compound,
    splitList,
    spreadCompounds,
    saveState: autosave.state,
    saveError: autosave.error,
    flush: autosave.flush,
    onPageHide: autosave.onPageHide,
    balancing: balancer.running,
    balanceProgress: balancer.progress,
    cancelBalance: balancer.cancel,
    disposeBalancer: balancer.dispose,
    show,
    close,
    onSaved,
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
});
