// What a page or map component attaches to its map: set up for every map made (a retry makes a new one) and
// undone when that map is removed or replaced.
import { watch, type Ref } from 'vue';
import type { Map as MapLibreMap, MapEventType } from 'maplibre-gl';

export type MapHandlers = { [K in keyof MapEventType]?: (event: MapEventType[K]) => void };

/** Listens to the map's events; the function returned stops listening. */
export function bindMapEvents(map: MapLibreMap, handlers: MapHandlers): () => void {
  const entries = Object.entries(handlers) as [keyof MapEventType, (event: unknown) => void][];
  for (const [type, handler] of entries) map.on(type, handler);
  return () => {
    for (const [type, handler] of entries) map.off(type, handler);
  };
}

/** Runs `attach` for each new map; what it returns runs when that map goes. */
export function onEachMap(map: Ref<MapLibreMap | null>, attach: (current: MapLibreMap) => () => void): void {
  watch(
    map,
    (current, _previous, onCleanup) => {
      if (current) onCleanup(attach(current));
    },
    { immediate: true },
  );
}
