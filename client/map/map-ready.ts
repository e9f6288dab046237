// Resolves when the map has settled for the first time: style loaded, every source loaded, no tile pending.
import type { Map as MapLibreMap } from 'maplibre-gl';

function allSourcesLoaded(map: MapLibreMap): boolean {
  if (!map.isStyleLoaded() || !map.areTilesLoaded()) return false;
  return Object.keys(map.getStyle().sources).every((id) => {
    try {
      return map.isSourceLoaded(id);
    } catch {
      return false;
    }
  });
}

export function whenMapSettled(map: MapLibreMap): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (!allSourcesLoaded(map)) return;
      map.off('idle', check);
      resolve();
    };
    map.on('idle', check);
    if (map.loaded()) check();
  });
}
