// A map component's data framed once: as soon as the map has drawn its first view and the data is there, the map
// fits it (again on the new map a retry makes); later changes of the data leave the view to the user.
import { watch } from 'vue';
import type { FitBoundsOptions } from 'maplibre-gl';
import type { Box } from '../map/box';
import type { GridlinkMap } from './use-gridlink-map';

export function useFitOnce<T>(
  { map, phase }: Pick<GridlinkMap, 'map' | 'phase'>,
  data: () => T | null | undefined,
  boxOf: (data: T) => Box | null,
  options: FitBoundsOptions,
): void {
  let fitted = false;
  watch(map, () => {
    fitted = false;
  });
  watch([phase, data], () => {
    const current = map.value;
    const shown = data();
    if (!current || fitted || phase.value !== 'ready' || shown === null || shown === undefined) return;
    const box = boxOf(shown);
    if (!box) return;
    fitted = true;
    current.fitBounds(box, { ...options, duration: 0 });
  });
}
