// Label layers of the gridlink style: road names, named places, compounds, stations, grids, communities.
// Text defaults to Chinese; the client swaps `text-field` per language (client/map/localize-labels.ts).
import type {
  ExpressionSpecification,
  LayerSpecification,
  SymbolLayerSpecification,
} from '@maplibre/maplibre-gl-style-spec';
import { MAP_COLOURS } from '../../shared/map/palette';
import { LAYER_IDS } from '../../shared/map/style-ids';
import { TEXT_FONT_BOLD, TEXT_FONT_REGULAR } from '../../shared/map/typography';
import { labelTextFor } from '../../shared/map/label-text';
import { from, isLine, kindIs } from './style-expressions';

function labelText(layerId: string): ExpressionSpecification {
  return labelTextFor(layerId, 'zh');
}

const halo = { 'text-halo-color': MAP_COLOURS.labelHalo, 'text-halo-width': 1.4, 'text-halo-blur': 0.3 } as const;

/**
 * Where the grid, community and compound labels come from. Polygon tiles give one label per tile fragment,
 * so a polygon cut by tile edges is labelled several times; point sources (one point per polygon inside it,
 * e.g. the centre of ST_MaximumInscribedCircle, same properties) give exactly one.
 */
export const LABEL_POINT_SOURCES = {
  grids: 'grid_labels',
  communities: 'community_labels',
  compounds: 'compound_labels',
} as const;

/**
 * A label layer of `source`: its own text field (Chinese, swapped per language by the client) in `font` first in
 * its layout, then `layout`; `range` holds its zooms and filter.
 */
function label(
  id: string,
  source: string,
  range: Pick<SymbolLayerSpecification, 'minzoom' | 'maxzoom' | 'filter'>,
  font: string[],
  layout: SymbolLayerSpecification['layout'],
  paint: SymbolLayerSpecification['paint'],
): LayerSpecification {
  return {
    id,
    type: 'symbol',
    ...from(source),
    ...range,
    layout: { 'text-field': labelText(id), 'text-font': font, ...layout },
    paint,
  };
}

export function labelLayers(): LayerSpecification[] {
  return [
    {
      id: LAYER_IDS.roadsLabel,
      type: 'symbol',
      ...from('basemap'),
      // From the town overview on: road labels are placed last, so they only fill the space other labels leave.
      minzoom: 13,
      filter: ['all', kindIs('road'), isLine, ['has', 'name']],
      layout: {
        'symbol-placement': 'line',
        'text-field': labelText(LAYER_IDS.roadsLabel),
        'text-font': TEXT_FONT_REGULAR,
        'text-size': ['interpolate', ['linear'], ['zoom'], 13, 10, 17, 13],
        'text-max-angle': 30,
        'symbol-spacing': 300,
      },
      paint: { 'text-color': MAP_COLOURS.roadLabel, ...halo },
    },
    label(
      LAYER_IDS.landmarksLabel,
      'basemap',
      // Named places of the base map: landmarks, parks and woods, lakes.
      {
        minzoom: 13,
        filter: ['all', ['in', ['get', 'kind'], ['literal', ['landmark', 'green', 'water']]], ['has', 'name']],
      },
      TEXT_FONT_REGULAR,
      { 'text-size': 11, 'text-max-width': 8 },
      { 'text-color': MAP_COLOURS.boundary, ...halo },
    ),
    label(
      LAYER_IDS.compoundsLabel,
      LABEL_POINT_SOURCES.compounds,
      { minzoom: 15 },
      TEXT_FONT_REGULAR,
      { 'text-size': 11, 'text-max-width': 7 },
      { 'text-color': MAP_COLOURS.label, ...halo },
    ),
    label(
      LAYER_IDS.stationsLabel,
      'stations',
      { minzoom: 15.5 },
      TEXT_FONT_REGULAR,
      { 'text-size': 11, 'text-anchor': 'top', 'text-offset': [0, 0.9], 'text-max-width': 8 },
      { 'text-color': MAP_COLOURS.label, ...halo },
    ),
    label(
      LAYER_IDS.gridsLabel,
      LABEL_POINT_SOURCES.grids,
      { minzoom: 13 },
      TEXT_FONT_BOLD,
      { 'text-size': ['interpolate', ['linear'], ['zoom'], 13, 11, 16, 14], 'text-max-width': 6, 'text-padding': 4 },
      { 'text-color': MAP_COLOURS.gridLine, ...halo },
    ),
    label(
      LAYER_IDS.communitiesLabel,
      LABEL_POINT_SOURCES.communities,
      { maxzoom: 16 },
      TEXT_FONT_BOLD,
      {
        'text-size': ['interpolate', ['linear'], ['zoom'], 12, 13, 15, 17],
        'text-max-width': 8,
        'text-letter-spacing': 0.05,
      },
      { 'text-color': MAP_COLOURS.communityLine, 'text-halo-color': MAP_COLOURS.labelHalo, 'text-halo-width': 2 },
    ),
  ];
}
