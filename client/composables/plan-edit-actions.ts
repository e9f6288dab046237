// The planner's edits as the page takes them: from the map (a unit clicked, a brush stroke, a lasso or polygon)
// and from the panel (grid and compound actions), with the sentence saying what happened or why nothing did,
// and the keyboard's undo / redo (Ctrl/⌘+Z, Ctrl/⌘+Shift+Z, Ctrl/⌘+Y).
import { computed, nextTick, onBeforeUnmount, onMounted, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import type { PlanTool } from '../components/PlanMap.vue';
import type { PlanLayerState } from '../map/plan-layers';
import { usePlanDraftStore } from '../stores/plan-draft';

declare global {
  interface Window {
    /** Set by the stroke benchmark, per changing brush dab, ms: from the pointer event to the panel's DOM updated
     * (`dom`) and to the start of the next frame (`frame`); `work`: from when the page began handling the event
     * to the DOM updated (hit test, figures, map layers, panel) — `dom` minus the time the event waited. */
    __gridlinkPlanStrokes?: { dom: number; frame: number; work: number }[];
  }
}

export function usePlanEditActions() {
  const { t } = useI18n();
  const draft = usePlanDraftStore();
  const editMessage = shallowRef<string | null>(null);
  const tool = shallowRef<PlanTool>('click');
  const brushRadius = shallowRef(24);

  /** What the map draws: each unit's grid and colour, invalid and locked grids, the selection. */
  const layerState = computed<PlanLayerState | null>(() => {
    const current = draft.editor;
    if (!current) return null;
    const invalid = new Set(
      draft.rows.filter((r) => r.status !== 'ok' || !r.contiguous || r.spansCommunities).map((r) => r.label),
    );
    return {
      labelOf: (id) => current.labelOf(id),
      colourOf: (label) => current.colourOf(label),
      isInvalid: (label) => invalid.has(label),
      isLocked: (label) => current.isLocked(label),
      selectedGrid: draft.selectedGrid,
      version: draft.version,
    };
  });

  /** Says why an edit did nothing when a locked grid was in the way, or that a grid must be selected first. */
  function explainRefusal(): void {
    editMessage.value = !draft.selectedGrid
      ? t('planEdit.needGrid')
      : draft.editor?.isLocked(draft.selectedGrid)
        ? t('planEdit.refusedLocked')
        : null;
  }

  function onUnitClick(unitId: string, selectOnly: boolean): void {
    const current = draft.editor;
    if (!current) return;
    draft.pickedUnit = unitId;
    if (selectOnly || !draft.selectedGrid) {
      draft.selectGrid(current.labelOf(unitId));
      return;
    }
    if (!draft.moveUnit(unitId) && current.isLocked(current.labelOf(unitId)))
      editMessage.value = t('planEdit.refusedLocked');
  }

  function onStrokeStart(): void {
    editMessage.value = null;
    if (!draft.selectedGrid || draft.editor?.isLocked(draft.selectedGrid)) explainRefusal();
    draft.beginStroke();
  }

  function onBrush(unitIds: string[], timing: { input: number; handled: number }): void {
    if (!draft.paint(unitIds)) return;
    const timings = window.__gridlinkPlanStrokes;
    if (!timings) return;
    void nextTick(() => {
      const now = performance.now();
      const dom = now - timing.input;
      const work = now - timing.handled;
      requestAnimationFrame(() => timings.push({ dom, work, frame: performance.now() - timing.input }));
    });
  }

  function onShape(unitIds: string[]): void {
    editMessage.value = null;
    if (!draft.selectedGrid || draft.editor?.isLocked(draft.selectedGrid)) return explainRefusal();
    draft.beginStroke();
    draft.paint(unitIds);
    draft.endStroke();
  }

  function onNewGrid(): void {
    draft.newGrid();
    if (tool.value === 'select') tool.value = 'brush';
  }

  function onMergeGrids(target: string, source: string): void {
    editMessage.value = draft.mergeGrids(target, source)
      ? t('planEdit.merged', { source, target })
      : t('planEdit.refusedLocked');
  }

  function onDeleteGrid(label: string): void {
    const outcome = draft.deleteGrid(label);
    editMessage.value = outcome
      ? t('planEdit.deleted', {
          label,
          moved: outcome.toNeighbours,
          neighbours: outcome.neighbours.join(', ') || '—',
          left: outcome.unassigned,
        })
      : t('planEdit.refusedLocked');
  }

  function onSplit(compoundId: string): void {
    if (!draft.splitCompound(compoundId)) editMessage.value = t('planEdit.refusedLocked');
  }

  function onMergeCompound(compoundId: string): void {
    if (!draft.mergeCompound(compoundId)) editMessage.value = t('planEdit.refusedLocked');
  }

  function onKey(event: KeyboardEvent): void {
    if (!(event.ctrlKey || event.metaKey) || (event.target as HTMLElement | null)?.tagName === 'INPUT') return;
    const key = event.key.toLowerCase();
    if (key === 'z' && !event.shiftKey) draft.undo();
    else if ((key === 'z' && event.shiftKey) || key === 'y') draft.redo();
    else return;
    event.preventDefault();
  }
  onMounted(() => window.addEventListener('keydown', onKey));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey));

  return {
    editMessage,
    tool,
    brushRadius,
    layerState,
    onUnitClick,
    onStrokeStart,
    onBrush,
    onShape,
    onNewGrid,
    onMergeGrids,
    onDeleteGrid,
    onSplit,
    onMergeCompound,
  };
}
