// Switches the language of map labels: the `text-field` of every label layer becomes the name in that
// language (falling back to the other one).
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { StyleSpecification } from '@maplibre/maplibre-gl-style-spec';
import type { AppLocale } from '../../shared/locales';
import { labelTextFor } from '../../shared/map/label-text';
import { LABEL_LAYER_IDS } from '../../shared/map/style-ids';

/** A copy of `style` with its labels in `locale`, to create the map in the right language at once. */
export function localizeStyle(style: StyleSpecification, locale: AppLocale): StyleSpecification {
  return {
    ...style,
    layers: style.layers.map((layer) => {
      if (layer.type !== 'symbol' || !(LABEL_LAYER_IDS as readonly string[]).includes(layer.id)) return layer;
      return { ...layer, layout: { ...layer.layout, 'text-field': labelTextFor(layer.id, locale) } };
    }),
  };
}

/** Switch the labels of a live map to `locale`. */
export function applyLabelLocale(map: MapLibreMap, locale: AppLocale): void {
  for (const layerId of LABEL_LAYER_IDS) {
    if (map.getLayer(layerId)) map.setLayoutProperty(layerId, 'text-field', labelTextFor(layerId, locale));
  }
}
