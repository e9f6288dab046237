// The data of the inspection map's analyses, loaded for what the store names: the selected area's issue
// figures and the people serving it, and the metrics of grids and communities (choropleth, rankings, compare).
import { computed, ref } from 'vue';
import { fetchAreaIssues, fetchAreaPeople, fetchMetrics, ISSUE_PERIOD_DAYS } from '../api/inspect-analysis';
import { DEFAULT_COVERAGE_DISTANCE } from '../api/coverage';
import { PEOPLE_LEVELS, type MetricLevel } from '../../shared/map/area-metrics';
import { useInspectStore } from '../stores/inspect';
import { useKeyedLoad } from './use-keyed-load';

export function useAreaIssues() {
  const store = useInspectStore();
  return useKeyedLoad(
    () => ({ level: store.level, id: store.id }),
    ({ level, id }, signal) => fetchAreaIssues(level, id, ISSUE_PERIOD_DAYS, signal),
  );
}

/**
 * The people serving the selected area, once asked for (and from then on for every selection): a view of
 * personal data is a deliberate act — unmasked ones are audited — and anonymous visitors see no 401.
 */
export function useAreaPeople() {
  const store = useInspectStore();
  const requested = ref(false);
  const applies = computed(() => (PEOPLE_LEVELS as readonly string[]).includes(store.level) && !!store.id);
  const loaded = useKeyedLoad(
    () => (requested.value && applies.value && store.id ? { level: store.level, id: store.id } : null),
    ({ level, id }, signal) => fetchAreaPeople(level, id, signal),
  );
  return { ...loaded, applies, request: () => (requested.value = true) };
}

/** Metrics of one level, loaded while `needed` is true; station coverage follows the coverage radius. */
export function useMetrics(level: MetricLevel, needed: () => boolean) {
  const store = useInspectStore();
  const distance = computed(() => store.coverageDistance ?? DEFAULT_COVERAGE_DISTANCE);
  return useKeyedLoad(
    () => (needed() ? { distance: distance.value } : null),
    ({ distance: d }, signal) => fetchMetrics(level, ISSUE_PERIOD_DAYS, d, signal),
  );
}
