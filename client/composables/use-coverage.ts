// Loads the station coverage analysis while it is switched on, for the radius the store names.
import { shallowRef, watch } from 'vue';
import { fetchCoverage } from '../api/coverage';
import type { Coverage } from '../api/inspect-types';
import { useInspectStore } from '../stores/inspect';
import type { LoadFailure } from './load-failure';
import { latestRequest } from './latest-request';

export function useCoverage() {
  const store = useInspectStore();
  const coverage = shallowRef<Coverage | null>(null);
  const status = shallowRef<'off' | 'loading' | 'loaded' | 'error'>('off');
  const failure = shallowRef<LoadFailure | null>(null);
  const request = latestRequest();

  async function load(distance: number | null): Promise<void> {
    request.cancel();
    coverage.value = null;
    failure.value = null;
    if (distance === null) {
      status.value = 'off';
      return;
    }
    status.value = 'loading';
    const outcome = await request.run((signal) => fetchCoverage(distance, signal));
    if (!outcome) return;
    coverage.value = outcome.value ?? null;
    failure.value = outcome.failure ?? null;
    status.value = outcome.failure ? 'error' : 'loaded';
  }

  watch(() => store.coverageDistance, (distance) => void load(distance), { immediate: true });

  return { coverage, status, failure, reload: () => load(store.coverageDistance) };
}
