// Place search as the user types: debounced, the newest query wins, with a status the box can show.
import { onScopeDispose, shallowRef, watch, type Ref } from 'vue';
import { SEARCH_MAX_LENGTH, searchPlaces } from '../api/search';
import type { SearchHit } from '../api/inspect-types';
import { toLoadFailure, type LoadFailure } from './load-failure';

const DEBOUNCE_MS = 200;
const LIMIT = 12;

export type SearchStatus = 'idle' | 'searching' | 'done' | 'error' | 'too-long';

export function usePlaceSearch(query: Ref<string>) {
  const results = shallowRef<SearchHit[]>([]);
  const status = shallowRef<SearchStatus>('idle');
  const failure = shallowRef<LoadFailure | null>(null);
  let controller: AbortController | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function run(q: string): Promise<void> {
    controller?.abort();
    const current = new AbortController();
    controller = current;
    try {
      const hits = await searchPlaces(q, LIMIT, current.signal);
      if (current.signal.aborted) return;
      results.value = hits;
      status.value = 'done';
    } catch (error) {
      if (current.signal.aborted) return;
      failure.value = toLoadFailure(error);
      status.value = 'error';
    }
  }

  watch(query, (text) => {
    clearTimeout(timer);
    controller?.abort();
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

  onScopeDispose(() => {
    clearTimeout(timer);
    controller?.abort();
  });

  return { results, status, failure };
}
