// Loads a value whenever its key changes (a newer key cancels the older load); a null key means nothing to
// load ('off'). Status and failure are plain data for the loading, empty and error states of a panel.
import { shallowRef, watch } from 'vue';
import type { LoadFailure } from './load-failure';
import { latestRequest } from './latest-request';

export type KeyedStatus = 'off' | 'loading' | 'loaded' | 'error';

export function useKeyedLoad<K, T>(key: () => K | null, load: (key: K, signal: AbortSignal) => Promise<T>) {
  const value = shallowRef<T | null>(null);
  const status = shallowRef<KeyedStatus>('off');
  const failure = shallowRef<LoadFailure | null>(null);
  const request = latestRequest();

  async function run(current: K | null): Promise<void> {
    request.cancel();
    failure.value = null;
    if (current === null) {
      value.value = null;
      status.value = 'off';
      return;
    }
    status.value = 'loading';
    const outcome = await request.run((signal) => load(current, signal));
    if (!outcome) return;
    value.value = outcome.value ?? null;
    failure.value = outcome.failure ?? null;
    status.value = outcome.failure ? 'error' : 'loaded';
  }

  // Keys are compared as JSON, so a key object rebuilt with the same content does not reload.
  watch(
    () => JSON.stringify(key()),
    () => void run(key()),
    { immediate: true },
  );

  return { value, status, failure, reload: () => run(key()) };
}
