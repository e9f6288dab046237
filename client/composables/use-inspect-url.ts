// Keeps the inspect store and the URL in step. Every change of the URL (a link, back, forward) is read into
// the store; a new selection is a new history entry (so back returns to the previous one), while map moves
// and the switches (coverage, metric, layers, ranking, compare) replace the current entry. The station kinds
// of the shared legend are layers too: the URL and the legend's store are kept in step.
import { watch } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import type { AreaLevel } from '../api/inspect-types';
import { useInspectStore, type InspectState, type MapViewState } from '../stores/inspect';
import { useMapLayersStore } from '../stores/map-layers';
import { LAYER_SWITCHES, OPTIONAL_LAYERS, visibleKinds } from '../map/layer-switches';
import { isStationKind } from '../../shared/map/kinds';
import { formatView, parseInspectQuery, roundView, toInspectQuery } from './inspect-query';

export function useInspectUrl() {
  const route = useRoute();
  const router = useRouter();
  const store = useInspectStore();
  const mapLayers = useMapLayersStore();

  watch(
    () => route.query,
    (query) => {
      if (route.path !== '/inspect') return;
      store.$patch(parseInspectQuery(query));
      const kinds = visibleKinds(store.hiddenLayers);
      if (kinds.join() !== mapLayers.visibleStationKinds.join()) mapLayers.visibleStationKinds = kinds;
    },
    { immediate: true },
  );

  /** Replaces the current history entry with a changed state. */
  async function patch(change: Partial<InspectState>): Promise<void> {
    await router.replace({ path: '/inspect', query: toInspectQuery({ ...store.$state, ...change }, route.query) });
  }

  // The legend switched a station kind: write it to the URL.
  watch(
    () => mapLayers.visibleStationKinds.join(),
    () => {
      if (route.path !== '/inspect') return;
      const hidden = LAYER_SWITCHES.filter((key) =>
        isStationKind(key) ? !mapLayers.visibleStationKinds.includes(key) : store.hiddenLayers.includes(key),
      );
      if (hidden.join() !== store.hiddenLayers.join()) void patch({ hiddenLayers: hidden });
    },
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

  const setCoverage = (distance: number | null) => patch({ coverageDistance: distance });
  const setMetric = (metric: InspectState['metric']) => patch({ metric });
  const setRanking = (ranking: InspectState['ranking']) =>
    patch({ ranking, compare: ranking === store.ranking ? store.compare : [] });
  const setCompare = (compare: string[]) => patch({ compare });
  function toggleLayer(key: string): Promise<void> {
    if (OPTIONAL_LAYERS.includes(key)) {
      const shown = store.shownLayers.includes(key)
        ? store.shownLayers.filter((k) => k !== key)
        : [...store.shownLayers, key];
      return patch({ shownLayers: OPTIONAL_LAYERS.filter((k) => shown.includes(k)) });
    }
    const hidden = store.hiddenLayers.includes(key)
      ? store.hiddenLayers.filter((k) => k !== key)
      : [...store.hiddenLayers, key];
    return patch({ hiddenLayers: LAYER_SWITCHES.filter((k) => hidden.includes(k)) });
  }

  return { select, recordView, setCoverage, setMetric, setRanking, setCompare, toggleLayer };
}
