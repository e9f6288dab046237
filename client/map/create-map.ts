// Creates the maplibre map. maplibre-gl 6 has no default export, and Vite does not emit its worker on its
// own: the worker file is imported as a URL asset and handed to maplibre.
import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import type { StyleSpecification } from '@maplibre/maplibre-gl-style-spec';
import { maplibreLocale, type MapControlStrings } from './localize-controls';
import { LOCAL_IDEOGRAPH_FONT_FAMILY } from '../../shared/map/typography';

maplibregl.setWorkerUrl(workerUrl);

export interface CreateMapOptions {
  container: HTMLElement;
  style: StyleSpecification;
  /** Tooltips of the map's own controls, in the app language. */
  controlStrings: MapControlStrings;
  /** Where the map opens (instead of the style's centre and zoom): a box, fitted with these options. */
  view?: InitialView | null;
  /** The farthest out the map zooms (a county's streets by default; a whole package may span a province). */
  minZoom?: number;
}

export interface InitialView {
  bounds: [number, number, number, number];
  fitBoundsOptions?: maplibregl.FitBoundsOptions;
}

export function createMap({ container, style, controlStrings, view, minZoom = 11 }: CreateMapOptions): maplibregl.Map {
  const map = new maplibregl.Map({
    container,
    style,
    localIdeographFontFamily: LOCAL_IDEOGRAPH_FONT_FAMILY,
    // Keeps the last frame readable, for screenshots and pixel checks in tests.
    canvasContextAttributes: { preserveDrawingBuffer: true, antialias: true },
    attributionControl: false,
    locale: maplibreLocale(controlStrings),
    minZoom,
    maxZoom: 19,
    dragRotate: false,
    pitchWithRotate: false,
    ...(view ? { bounds: view.bounds, fitBoundsOptions: view.fitBoundsOptions } : {}),
  });
  map.touchZoomRotate.disableRotation();
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'bottom-right');
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
  return map;
}
