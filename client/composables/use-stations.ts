// Loads the service stations for the map, with a status the view can show. A new load cancels the previous
// one, and leaving the page cancels a load in flight.
import { shallowRef } from 'vue';
import { fetchStations } from '../api/stations';
import type { StationCollection } from '../api/types';
import type { LoadFailure } from './load-failure';
import { latestRequest } from './latest-request';

export type LoadStatus = 'idle' | 'loading' | 'loaded' | 'empty' | 'error';

export function useStations() {
  const stations = shallowRef<StationCollection>({ type: 'FeatureCollection', features: [] });
  const status = shallowRef<LoadStatus>('idle');
  const failure = shallowRef<LoadFailure | null>(null);
  const request = latestRequest();

  async function load(): Promise<void> {
    status.value = 'loading';
    failure.value = null;
    const outcome = await request.run(fetchStations);
    if (!outcome) return;
    if (outcome.failure) {
      failure.value = outcome.failure;
      status.value = 'error';
      return;
    }
    stations.value = outcome.value;
    status.value = outcome.value.features.length > 0 ? 'loaded' : 'empty';
  }

  return { stations, status, failure, load };
}
