// Loads the card of the selected area whenever the selection changes; a newer selection cancels the load
// of an older one.
import { shallowRef, watch } from 'vue';
import { fetchArea } from '../api/areas';
import type { AreaCard } from '../api/inspect-types';
import { useInspectStore } from '../stores/inspect';
import type { LoadFailure } from './load-failure';
import { latestRequest } from './latest-request';

export type CardStatus = 'loading' | 'loaded' | 'error';

export function useAreaCard() {
  const store = useInspectStore();
  const card = shallowRef<AreaCard | null>(null);
  const status = shallowRef<CardStatus>('loading');
  const failure = shallowRef<LoadFailure | null>(null);
  const request = latestRequest();

  async function load(): Promise<void> {
    status.value = 'loading';
    failure.value = null;
    const outcome = await request.run((signal) => fetchArea(store.level, store.id, signal));
    if (!outcome) return;
    card.value = outcome.failure ? null : outcome.value;
    failure.value = outcome.failure ?? null;
    status.value = outcome.failure ? 'error' : 'loaded';
  }

  watch(
    () => store.selectionKey,
    () => void load(),
    { immediate: true },
  );

  return { card, status, failure, reload: load };
}
