// Loads the station coverage analysis while it is switched on, for the radius the store names.
import { fetchCoverage } from '../api/coverage';
import { useInspectStore } from '../stores/inspect';
import { useKeyedLoad } from './use-keyed-load';

export function useCoverage() {
  const store = useInspectStore();
  const { value, status, failure, reload } = useKeyedLoad(
    () => store.coverageDistance,
    (distance, signal) => fetchCoverage(distance, signal),
  );
  return { coverage: value, status, failure, reload };
}
