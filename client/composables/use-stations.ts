// Loads the service stations for the map, with a status the view can show. A new load cancels the previous
// one, and leaving the page cancels a load in flight.
import { onScopeDispose, shallowRef } from 'vue';
import { fetchStations } from '../api/stations';
import type { StationCollection } from '../api/types';
import { toLoadFailure, type LoadFailure } from './load-failure';

export type LoadStatus = 'idle' | 'loading' | 'loaded' | 'empty' | 'error';

export function useStations() {
  const stations = shallowRef<StationCollection>({ type: 'FeatureCollection', features: [] });
  const status = shallowRef<LoadStatus>('idle');
  const failure = shallowRef<LoadFailure | null>(null);
  let controller: AbortController | null = null;

  async function load(): Promise<void> {
    controller?.abort();
    const current = new AbortController();
    controller = current;
    status.value = 'loading';
    failure.value = null;
    try {
      const collection = await fetchStations(current.signal);
      if (current.signal.aborted) return;
      stations.value = collection;
      status.value = collection.features.length > 0 ? 'loaded' : 'empty';
    } catch (error) {
      if (current.signal.aborted) return;
      failure.value = toLoadFailure(error);
      status.value = 'error';
    }
  }

  onScopeDispose(() => controller?.abort());

  return { stations, status, failure, load };
}
