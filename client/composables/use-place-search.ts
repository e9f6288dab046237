// Place search as the user types: debounced, the newest query wins, with a status the box can show.
import { onScopeDispose, shallowRef, watch, type Ref } from 'vue';
import { SEARCH_MAX_LENGTH, searchPlaces } from '../api/search';
import type { SearchHit } from '../api/inspect-types';
import type { LoadFailure } from './load-failure';
import { latestRequest } from './latest-request';

const DEBOUNCE_MS = 200;
const LIMIT = 12;

export type SearchStatus = 'idle' | 'searching' | 'done' | 'error' | 'too-long';

export function usePlaceSearch(query: Ref<string>) {
  const results = shallowRef<SearchHit[]>([]);
  const status = shallowRef<SearchStatus>('idle');
  const failure = shallowRef<LoadFailure | null>(null);
  const request = latestRequest();
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function run(q: string): Promise<void> {
    const outcome = await request.run((signal) => searchPlaces(q, LIMIT, signal));
    if (!outcome) return;
    if (outcome.failure) {
      failure.value = outcome.failure;
      status.value = 'error';
      return;
    }
    results.value = outcome.value;
    status.value = 'done';
  }

  watch(query, (text) => {
    clearTimeout(timer);
    request.cancel();
    failure.value = null;
    const q = text.trim();
    results.value = [];
    if (!q) {
      status.value = 'idle';
      return;
    }
    if (q.length > SEARCH_MAX_LENGTH) {
      status.value = 'too-long';
      return;
    }
    status.value = 'searching';
    timer = setTimeout(() => void run(q), DEBOUNCE_MS);
  });

  onScopeDispose(() => clearTimeout(timer));

  return { results, status, failure };
}
