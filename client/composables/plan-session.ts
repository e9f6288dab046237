// The planner's page session: loads the units and drafts when /plan opens, sends pending edits when the tab
// closes or hides, and leaves the stores as a fresh page load would find them when the page goes.
import { onBeforeUnmount, onMounted } from 'vue';
import { usePlanDraftStore } from '../stores/plan-draft';
import { usePlanShelfStore } from '../stores/plan-shelf';

export function usePlanSession() {
  const draft = usePlanDraftStore();
  const shelf = usePlanShelfStore();

  const onPageHide = (): void => draft.onPageHide();
  function onVisibility(): void {
    if (document.visibilityState === 'hidden') onPageHide();
  }

  onMounted(() => {
    void shelf.load();
    window.addEventListener('pagehide', onPageHide);
    document.addEventListener('visibilitychange', onVisibility);
  });
  onBeforeUnmount(() => {
    onPageHide();
    window.removeEventListener('pagehide', onPageHide);
    document.removeEventListener('visibilitychange', onVisibility);
    draft.disposeBalancer();
    draft.close();
    draft.pickedUnit = null;
    shelf.reset();
  });
  return { draft, shelf };
}
