// Keeps the inspect store and the URL in step. Every change of the URL (a link, back, forward) is read into
// the store; a new selection is a new history entry (so back returns to the previous one), while map moves
// and the coverage switch replace the current entry.
import { watch } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import type { AreaLevel } from '../api/inspect-types';
import { useInspectStore, type MapViewState } from '../stores/inspect';
import { formatView, parseInspectQuery, roundView, toInspectQuery } from './inspect-query';

export function useInspectUrl() {
  const route = useRoute();
  const router = useRouter();
  const store = useInspectStore();

  watch(
    () => route.query,
    (query) => {
      if (route.path !== '/inspect') return;
      store.$patch(parseInspectQuery(query));
    },
    { immediate: true },
  );

  /** Select an area: a new history entry without a view, so the map fits the area. */
  async function select(level: AreaLevel, id: string | null): Promise<void> {
    const next = { ...store.$state, level, id: level === 'county' ? null : id, view: null };
    await router.push({ path: '/inspect', query: toInspectQuery(next, route.query) });
  }

  /** The map moved: record where it is now, in the current history entry. */
  async function recordView(view: MapViewState): Promise<void> {
    const rounded = roundView(view);
    if (store.view && formatView(store.view) === formatView(rounded)) return;
    await router.replace({ path: '/inspect', query: toInspectQuery({ ...store.$state, view: rounded }, route.query) });
  }

  async function setCoverage(distance: number | null): Promise<void> {
    await router.replace({ path: '/inspect', query: toInspectQuery({ ...store.$state, coverageDistance: distance }, route.query) });
  }

  return { select, recordView, setCoverage };
}
