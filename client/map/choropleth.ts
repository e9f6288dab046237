// The metric choropleth of the leaders' map: class breaks from the server (quintiles, see
// server/db/inspect-metrics-repo.ts), a sequential palette per metric, and the fill layers over grids (zoomed
// in) and communities (zoomed out). Colours are a `match` on the feature id, so a new metric rewrites one
// paint property and fetches no tile.
import type { ExpressionSpecification, Map as MapLibreMap } from 'maplibre-gl';
import type { Metric, MetricLevel } from '../../shared/map/area-metrics';
import { LAYER_IDS } from '../../shared/map/style-ids';

/** Below this zoom the map shows communities, from it on grids. */
export const COMMUNITY_CHOROPLETH_BELOW_ZOOM = 13;
// Opaque: compound colours showing through would read as differences between areas.
export const CHOROPLETH_OPACITY = 1;
export const NO_DATA_COLOUR = '#bdbdbd';

// ColorBrewer 5-class sequential schemes: red where more is worse, green where more is better, blue neutral.
const REDS = ['#fee5d9', '#fcae91', '#fb6a4a', '#de2d26', '#a50f15'];
const GREENS = ['#edf8e9', '#bae4b3', '#74c476', '#31a354', '#006d2c'];
const BLUES = ['#eff3ff', '#bdd7e7', '#6baed6', '#3182bd', '#08519c'];
export const METRIC_PALETTES: Readonly<Record<Metric, readonly string[]>> = {
  households: BLUES,
  issuesPer100: REDS,
  overdue: REDS,
  partyPer100: GREENS,
  stewardCoverage: GREENS,
  stationCoverage: GREENS,
};

export const CHOROPLETH_LAYER_IDS: Readonly<Record<MetricLevel, string>> = {
  grid: 'inspect-choropleth-grid',
  community: 'inspect-choropleth-community',
};

/** The class of a value: how many breaks lie strictly below it (classes are (b[k-1], b[k]]). */
export function classOf(value: number, breaks: readonly number[]): number {
  return breaks.filter((b) => value > b).length;
}

/** The colour of class k of `classes` classes, spread over the palette's five steps. */
export function classColour(metric: Metric, k: number, classes: number): string {
  const palette = METRIC_PALETTES[metric];
  if (classes <= 1) return palette[2];
  return palette[Math.round((k * (palette.length - 1)) / (classes - 1))];
}

export function colourOf(metric: Metric, value: number | null, breaks: readonly number[]): string {
  return value === null ? NO_DATA_COLOUR : classColour(metric, classOf(value, breaks), breaks.length + 1);
}

/** One legend row per class: its colour and bounds (null: open-ended). */
export function legendClasses(
  metric: Metric,
  breaks: readonly number[],
): { colour: string; from: number | null; to: number | null }[] {
  const classes = breaks.length + 1;
  return Array.from({ length: classes }, (_, k) => ({
    colour: classColour(metric, k, classes),
    from: k === 0 ? null : breaks[k - 1],
    to: k === classes - 1 ? null : breaks[k],
  }));
}

export interface ChoroplethData {
  metric: Metric;
  level: MetricLevel;
  rows: { id: string; value: number | null }[];
  breaks: readonly number[];
}

function fillColour(data: ChoroplethData): ExpressionSpecification | string {
  if (data.rows.length === 0) return 'rgba(0,0,0,0)';
  const pairs = data.rows.flatMap((row) => [row.id, colourOf(data.metric, row.value, data.breaks)]);
  return ['match', ['get', 'id'], ...pairs, 'rgba(0,0,0,0)'] as unknown as ExpressionSpecification;
}

/** Adds the two fill layers once, hidden, under the roads (the style must be loaded). */
export function addChoroplethLayers(map: MapLibreMap): void {
  if (map.getLayer(CHOROPLETH_LAYER_IDS.grid)) return;
  const before = map.getLayer(LAYER_IDS.roadsCasing) ? LAYER_IDS.roadsCasing : undefined;
  const common = {
    type: 'fill',
    layout: { visibility: 'none' },
    paint: { 'fill-opacity': CHOROPLETH_OPACITY, 'fill-color': 'rgba(0,0,0,0)' },
  } as const;
  map.addLayer(
    {
      id: CHOROPLETH_LAYER_IDS.grid,
      source: 'grids',
      'source-layer': 'grids',
      minzoom: COMMUNITY_CHOROPLETH_BELOW_ZOOM,
      ...common,
    },
    before,
  );
  map.addLayer(
    {
      id: CHOROPLETH_LAYER_IDS.community,
      source: 'communities',
      'source-layer': 'communities',
      maxzoom: COMMUNITY_CHOROPLETH_BELOW_ZOOM,
      ...common,
    },
    before,
  );
}

/** Colours one level's layer by its data, or hides it (null). */
export function showChoropleth(map: MapLibreMap, level: MetricLevel, data: ChoroplethData | null): void {
  const id = CHOROPLETH_LAYER_IDS[level];
  if (!map.getLayer(id)) return;
  map.setLayoutProperty(id, 'visibility', data ? 'visible' : 'none');
  if (data) map.setPaintProperty(id, 'fill-color', fillColour(data));
}
