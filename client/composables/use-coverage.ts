// Loads the station coverage analysis while it is switched on, for the radius the store names.
import { onScopeDispose, shallowRef, watch } from 'vue';
import { fetchCoverage } from '../api/coverage';
import type { Coverage } from '../api/inspect-types';
import { useInspectStore } from '../stores/inspect';
import { toLoadFailure, type LoadFailure } from './load-failure';

export function useCoverage() {
  const store = useInspectStore();
  const coverage = shallowRef<Coverage | null>(null);
  const status = shallowRef<'off' | 'loading' | 'loaded' | 'error'>('off');
  const failure = shallowRef<LoadFailure | null>(null);
  let controller: AbortController | null = null;

  async function load(distance: number | null): Promise<void> {
    controller?.abort();
    coverage.value = null;
    failure.value = null;
    if (distance === null) {
      status.value = 'off';
      return;
    }
    const current = new AbortController();
    controller = current;
    status.value = 'loading';
    try {
      const result = await fetchCoverage(distance, current.signal);
      if (current.signal.aborted) return;
      coverage.value = result;
      status.value = 'loaded';
    } catch (error) {
      if (current.signal.aborted) return;
      failure.value = toLoadFailure(error);
      status.value = 'error';
    }
  }

  watch(() => store.coverageDistance, (distance) => void load(distance), { immediate: true });
  onScopeDispose(() => controller?.abort());

  return { coverage, status, failure, reload: () => load(store.coverageDistance) };
}
