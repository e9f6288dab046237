// The wall's thematic maps on the maplibre side: grids coloured by a metric (values from
// /api/wall/grid-metrics put on the grid features as feature state), or compounds extruded by households
// (from the compound tiles). Class breaks are FIXED, so a colour means the same on every screen and day.
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { ExpressionSpecification } from '@maplibre/maplibre-gl-style-spec';
import type { WallGridMetric, WallMetric } from '../api/wall-types';
import { LAYER_IDS } from '../../shared/map/style-ids';

export interface ClassScale {
  /** Upper-exclusive breaks: class k holds values in [breaks[k-1], breaks[k]). */
  breaks: readonly number[];
  /** One more colour than breaks, low → high. */
  colours: readonly string[];
}

const WARM = ['#243b5e', '#2f7c8c', '#c8a33c', '#e8742c', '#e8373f'];
export const METRIC_SCALES: Readonly<Record<WallMetric, ClassScale>> = {
  issuesPer100Households: { breaks: [0.25, 0.5, 1, 1.5], colours: WARM },
  overdue: { breaks: [1, 2, 4, 8], colours: WARM },
  partyMembersPer100Households: {
    breaks: [7, 8.5, 10, 11.5],
    colours: ['#2a2f5a', '#5a3d7a', '#9a3f83', '#d24b6f', '#ff8a65'],
  },
};
/** Grids without households (no rate). */
export const NO_DATA_COLOUR = '#39414f';
export const HOUSEHOLD_SCALE: ClassScale = {
  breaks: [150, 250, 400, 600],
  colours: ['#2b5d8a', '#3f8fc0', '#62bde0', '#9fe0f2', '#e6f9ff'],
};
/** Extrusion height per household, metres. */
export const METRES_PER_HOUSEHOLD = 0.12;
export const COMPOUNDS_3D_LAYER = 'wall-compounds-3d';
export const PITCH_3D = 55;

/** The class of a value (index into colours); null for no value. */
export function classOf(scale: ClassScale, value: number | null): number | null {
  if (value === null) return null;
  let k = 0;
  while (k < scale.breaks.length && value >= scale.breaks[k]) k++;
  return k;
}

export function metricValue(grid: WallGridMetric, metric: WallMetric): number | null {
  return grid[metric];
}

function stepColour(input: ExpressionSpecification, scale: ClassScale): ExpressionSpecification {
  const stops = scale.breaks.flatMap((b, i) => [b, scale.colours[i + 1]]);
  return ['step', input, scale.colours[0], ...stops] as unknown as ExpressionSpecification;
}

/** Colours the grids by the metric; called again when the values change (or after a lost context). */
export function applyGridChoropleth(map: MapLibreMap, metric: WallMetric, grids: readonly WallGridMetric[]): void {
  if (!map.getLayer(LAYER_IDS.gridsFill)) return;
  for (const g of grids) {
    map.setFeatureState({ source: 'grids', sourceLayer: 'grids', id: g.id }, { metric: metricValue(g, metric) ?? -1 });
  }
  const value: ExpressionSpecification = ['coalesce', ['feature-state', 'metric'], -1];
  map.setPaintProperty(LAYER_IDS.gridsFill, 'fill-color', [
    'case',
    ['<', value, 0],
    NO_DATA_COLOUR,
    stepColour(value, METRIC_SCALES[metric]),
  ]);
  map.setPaintProperty(LAYER_IDS.gridsFill, 'fill-opacity', 1);
  // Under the roads and buildings, so the town stays readable through the colours.
  if (map.getLayer(LAYER_IDS.roadsCasing)) map.moveLayer(LAYER_IDS.gridsFill, LAYER_IDS.roadsCasing);
}

/** Compounds as blocks as tall as their households, coloured by household class; the map tilts. */
export function applyCompounds3d(map: MapLibreMap): void {
  if (map.getLayer(COMPOUNDS_3D_LAYER) || !map.getSource('compounds')) return;
  const households: ExpressionSpecification = ['to-number', ['get', 'households'], 0];
  map.addLayer(
    {
      id: COMPOUNDS_3D_LAYER,
      type: 'fill-extrusion',
      source: 'compounds',
      'source-layer': 'compounds',
      paint: {
        'fill-extrusion-color': stepColour(households, HOUSEHOLD_SCALE),
        'fill-extrusion-height': ['*', households, METRES_PER_HOUSEHOLD],
        'fill-extrusion-opacity': 0.9,
      },
    },
    LAYER_IDS.gridsLine,
  );
  if (map.getLayer(LAYER_IDS.compoundsFill)) map.setLayoutProperty(LAYER_IDS.compoundsFill, 'visibility', 'none');
  map.setPitch(PITCH_3D);
}
