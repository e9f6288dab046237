// The open draft saves itself: a change schedules a save shortly after the last one, a failed save is tried
// again later, and a tab that closes or hides sends what is pending with keepalive so it arrives anyway.
import { shallowRef } from 'vue';
import { savePlanAssignments, type PlanSummary } from '../api/plans';
import { toLoadFailure } from './load-failure';
import type { PlanEditor } from './plan-editor';

/** Autosave this long after the last change. */
const AUTOSAVE_DELAY_MS = 800;

export type SaveState = 'saved' | 'pending' | 'saving' | 'error';

/**
 * `target` is the draft to save now (null: none open); `onSaved` hears of every save that succeeded, with the
 * draft's number of grids then.
 */
export function usePlanAutosave(
  target: () => { plan: PlanSummary; editor: PlanEditor } | null,
  onSaved: (planId: number, grids: number) => void,
) {
  const state = shallowRef<SaveState>('saved');
  const error = shallowRef<string | null>(null);
  let timer: ReturnType<typeof setTimeout> | null = null;
  let saving: Promise<void> | null = null;

  function cancel(): void {
    if (timer) clearTimeout(timer);
    timer = null;
  }

  /** The draft changed: save it soon. */
  function schedule(): void {
    state.value = 'pending';
    cancel();
    timer = setTimeout(() => void save(), AUTOSAVE_DELAY_MS);
  }

  async function save(keepalive = false): Promise<void> {
    cancel();
    const current = target();
    if (!current) return;
    const { plan, editor } = current;
    if (saving && !keepalive) await saving;
    state.value = 'saving';
    const attempt = savePlanAssignments(plan.id, editor.assignment(), [...editor.locked], keepalive).then(
      () => {
        // A change made while this save was on its way keeps the state pending.
        if (state.value === 'saving') state.value = 'saved';
        error.value = null;
        onSaved(plan.id, editor.summary().grids);
      },
      (failure: unknown) => {
        state.value = 'error';
        error.value = toLoadFailure(failure).message;
        timer = setTimeout(() => void save(), AUTOSAVE_DELAY_MS * 5);
      },
    );
    saving = attempt;
    await attempt;
    if (saving === attempt) saving = null;
  }

  /** Saves now whatever is not saved yet. */
  async function flush(): Promise<void> {
    if (state.value === 'pending' || state.value === 'error') await save();
    else if (saving) await saving;
  }

  /** The tab is closing or hidden: send what is pending with keepalive, so it arrives even if the page goes. */
  function onPageHide(): void {
    if (state.value === 'pending' || state.value === 'error') void save(true);
  }

  return { state, error, cancel, schedule, flush, onPageHide };
}
