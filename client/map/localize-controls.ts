// The few strings maplibre itself puts on the page (button tooltips, the canvas label), in the app language.
import type { Map as MapLibreMap } from 'maplibre-gl';

export interface MapControlStrings {
  zoomIn: string;
  zoomOut: string;
  map: string;
}

/** For the `locale` option of a new map. */
export function maplibreLocale(strings: MapControlStrings): Record<string, string> {
  return {
    'NavigationControl.ZoomIn': strings.zoomIn,
    'NavigationControl.ZoomOut': strings.zoomOut,
    'Map.Title': strings.map,
  };
}

/** For a live map: maplibre reads its `locale` only when it builds the controls. */
export function applyControlLocale(map: MapLibreMap, strings: MapControlStrings): void {
  const container = map.getContainer();
  const label = (selector: string, text: string): void => {
    container.querySelectorAll(selector).forEach((element) => {
      element.setAttribute('title', text);
      element.setAttribute('aria-label', text);
    });
  };
  label('.maplibregl-ctrl-zoom-in', strings.zoomIn);
  label('.maplibregl-ctrl-zoom-out', strings.zoomOut);
  map.getCanvas().setAttribute('aria-label', strings.map);
}
