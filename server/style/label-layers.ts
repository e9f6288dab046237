// Label layers of the gridlink style: road names, named places, compounds, stations, grids, communities.
// Text defaults to Chinese; the client swaps `text-field` per language (client/map/localize-labels.ts).
import type { ExpressionSpecification, LayerSpecification } from '@maplibre/maplibre-gl-style-spec';
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

export function labelLayers(): LayerSpecification[] {
  const gridLabels = LABEL_POINT_SOURCES.grids;
  const communityLabels = LABEL_POINT_SOURCES.communities;
  const compoundLabels = LABEL_POINT_SOURCES.compounds;
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
    {
      id: LAYER_IDS.landmarksLabel,
      type: 'symbol',
      ...from('basemap'),
      minzoom: 13,
      // Named places of the base map: landmarks, parks and woods, lakes.
      filter: ['all', ['in', ['get', 'kind'], ['literal', ['landmark', 'green', 'water']]], ['has', 'name']],
      layout: {
        'text-field': labelText(LAYER_IDS.landmarksLabel),
        'text-font': TEXT_FONT_REGULAR,
        'text-size': 11,
        'text-max-width': 8,
      },
      paint: { 'text-color': MAP_COLOURS.boundary, ...halo },
    },
    {
      id: LAYER_IDS.compoundsLabel,
      type: 'symbol',
      ...from(compoundLabels),
      minzoom: 15,
      layout: {
        'text-field': labelText(LAYER_IDS.compoundsLabel),
        'text-font': TEXT_FONT_REGULAR,
        'text-size': 11,
        'text-max-width': 7,
      },
      paint: { 'text-color': MAP_COLOURS.label, ...halo },
    },
    {
      id: LAYER_IDS.stationsLabel,
      type: 'symbol',
      ...from('stations'),
      minzoom: 15.5,
      layout: {
        'text-field': labelText(LAYER_IDS.stationsLabel),
        'text-font': TEXT_FONT_REGULAR,
        'text-size': 11,
        'text-anchor': 'top',
        'text-offset': [0, 0.9],
        'text-max-width': 8,
      },
      paint: { 'text-color': MAP_COLOURS.label, ...halo },
    },
    {
      id: LAYER_IDS.gridsLabel,
      type: 'symbol',
      ...from(gridLabels),
      minzoom: 13,
      layout: {
        'text-field': labelText(LAYER_IDS.gridsLabel),
        'text-font': TEXT_FONT_BOLD,
        'text-size': ['interpolate', ['linear'], ['zoom'], 13, 11, 16, 14],
        'text-max-width': 6,
        'text-padding': 4,
      },
      paint: { 'text-color': MAP_COLOURS.gridLine, ...halo },
    },
    {
      id: LAYER_IDS.communitiesLabel,
      type: 'symbol',
      ...from(communityLabels),
      maxzoom: 16,
      layout: {
        'text-field': labelText(LAYER_IDS.communitiesLabel),
        'text-font': TEXT_FONT_BOLD,
        'text-size': ['interpolate', ['linear'], ['zoom'], 12, 13, 15, 17],
        'text-max-width': 8,
        'text-letter-spacing': 0.05,
      },
      paint: {
        'text-color': MAP_COLOURS.communityLine,
        'text-halo-color': MAP_COLOURS.labelHalo,
        'text-halo-width': 2,
      },
    },
  ];
}
