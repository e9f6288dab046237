// Loads the card of the selected area whenever the selection changes; a newer selection cancels the load
// of an older one.
import { onScopeDispose, shallowRef, watch } from 'vue';
import { fetchArea } from '../api/areas';
import type { AreaCard } from '../api/inspect-types';
import { useInspectStore } from '../stores/inspect';
import { toLoadFailure, type LoadFailure } from './load-failure';

export type CardStatus = 'loading' | 'loaded' | 'error';

export function useAreaCard() {
  const store = useInspectStore();
  const card = shallowRef<AreaCard | null>(null);
  const status = shallowRef<CardStatus>('loading');
  const failure = shallowRef<LoadFailure | null>(null);
  let controller: AbortController | null = null;

  async function load(): Promise<void> {
    controller?.abort();
    const current = new AbortController();
    controller = current;
    status.value = 'loading';
    failure.value = null;
    try {
      const next = await fetchArea(store.level, store.id, current.signal);
      if (current.signal.aborted) return;
      card.value = next;
      status.value = 'loaded';
    } catch (error) {
      if (current.signal.aborted) return;
      card.value = null;
      failure.value = toLoadFailure(error);
      status.value = 'error';
    }
  }

  watch(() => store.selectionKey, () => void load(), { immediate: true });
  onScopeDispose(() => controller?.abort());

  return { card, status, failure, reload: load };
}
