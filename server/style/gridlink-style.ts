// The offline MapLibre style served at /styles/gridlink.json. It points only at our own server (TileJSON
// per source) and has no `glyphs` and no `sprite`: labels are drawn locally by maplibre, ideographs with the
// map option `localIdeographFontFamily` (the client ships Noto Sans SC). Label text defaults to Chinese;
// the client swaps the `text-field` of LABEL_LAYER_IDS when the language changes.
import type {
  ExpressionSpecification,
  FillLayerSpecification,
  LayerSpecification,
  LineLayerSpecification,
  SourceSpecification,
  StyleSpecification,
} from '@maplibre/maplibre-gl-style-spec';
import { COMPOUND_TYPES } from '../../shared/map/kinds';
import { COMPOUND_FILL_OPACITY, COMPOUND_TYPE_COLOURS, MAP_COLOURS } from '../../shared/map/palette';
import { LABEL_LAYER_IDS, LAYER_IDS, SOURCE_IDS } from '../../shared/map/style-ids';
import { LABEL_POINT_SOURCES, labelLayers } from './label-layers';
import type { MapView } from './map-view';
import { from, hovered, isLine, isPolygon, kindIs, selected } from './style-expressions';

export { LAYER_IDS, LABEL_LAYER_IDS, LABEL_POINT_SOURCES, SOURCE_IDS };
export type { LayerId, SourceId } from '../../shared/map/style-ids';

/** Zoom from which single buildings are drawn. */
export const BUILDINGS_MIN_ZOOM = 15;

/** `['match', ['get', 'type'], 'old', '#…', …, fallback]` built from the shared palette. */
function compoundColour(): ExpressionSpecification {
  const pairs = COMPOUND_TYPES.flatMap((type) => [type, COMPOUND_TYPE_COLOURS[type]]);
  return ['match', ['get', 'type'], ...pairs, MAP_COLOURS.unknown] as unknown as ExpressionSpecification;
}

/** Road width in pixels by class, interpolated by zoom; `extra` widens it for the casing. */
function roadWidth(extra: number): ExpressionSpecification {
  const byClass = (primary: number, secondary: number, residential: number): ExpressionSpecification => [
    'match',
    ['get', 'class'],
    'primary',
    primary + extra,
    'secondary',
    secondary + extra,
    residential + extra,
  ];
  return ['interpolate', ['exponential', 1.6], ['zoom'], 12, byClass(1.6, 1, 0.4), 17, byClass(14, 10, 6)];
}

function vectorSource(origin: string, id: string): SourceSpecification {
  return {
    type: 'vector',
    url: `${origin}/tiles/${id}.json`,
    // Our features carry a string `id` property; promoting it lets hover/selection use feature-state.
    ...(id === 'basemap' ? {} : { promoteId: 'id' }),
  };
}

/** A fill of the basemap's polygons of one kind. */
function basemapFill(id: string, kind: string, paint: FillLayerSpecification['paint']): LayerSpecification {
  return { id, type: 'fill', ...from('basemap'), filter: ['all', kindIs(kind), isPolygon], paint };
}

const highlighted: ExpressionSpecification = ['any', hovered, selected];

/** A line width by zoom (linear between two zooms) that widens on a hovered or selected feature. */
function highlightWidth(
  [lowZoom, lowHighlighted, lowPlain]: [number, number, number],
  [highZoom, highHighlighted, highPlain]: [number, number, number],
): ExpressionSpecification {
  return [
    'interpolate',
    ['linear'],
    ['zoom'],
    lowZoom,
    ['case', highlighted, lowHighlighted, lowPlain],
    highZoom,
    ['case', highlighted, highHighlighted, highPlain],
  ];
}

function baseLayers(): LayerSpecification[] {
  return [
    { id: LAYER_IDS.background, type: 'background', paint: { 'background-color': MAP_COLOURS.background } },
    basemapFill(LAYER_IDS.blocks, 'block', { 'fill-color': MAP_COLOURS.block }),
    // Schools, hospitals, markets, government: a tint so the named places stand out from plain blocks.
    basemapFill(LAYER_IDS.landmarks, 'landmark', {
      'fill-color': MAP_COLOURS.landmark,
      'fill-outline-color': MAP_COLOURS.landmarkOutline,
    }),
    basemapFill(LAYER_IDS.green, 'green', { 'fill-color': MAP_COLOURS.green }),
    basemapFill(LAYER_IDS.water, 'water', { 'fill-color': MAP_COLOURS.water }),
    {
      id: LAYER_IDS.waterLines,
      type: 'line',
      ...from('basemap'),
      filter: ['all', kindIs('water'), isLine],
      paint: { 'line-color': MAP_COLOURS.water, 'line-width': ['interpolate', ['linear'], ['zoom'], 12, 1.5, 17, 8] },
    },
  ];
}

function compoundLayers(): LayerSpecification[] {
  return [
    {
      id: LAYER_IDS.compoundsFill,
      type: 'fill',
      ...from('compounds'),
      paint: {
        'fill-color': compoundColour(),
        'fill-opacity': ['case', highlighted, 1, COMPOUND_FILL_OPACITY],
      },
    },
    {
      id: LAYER_IDS.compoundsOutline,
      type: 'line',
      ...from('compounds'),
      paint: {
        'line-color': ['case', highlighted, MAP_COLOURS.gridHover, MAP_COLOURS.compoundOutline],
        'line-width': highlightWidth([13, 2, 0.5], [17, 2.5, 1.5]),
      },
    },
  ];
}

function roadLayers(): LayerSpecification[] {
  const roads: ExpressionSpecification = ['all', kindIs('road'), isLine];
  const sortKey: ExpressionSpecification = ['match', ['get', 'class'], 'primary', 3, 'secondary', 2, 1];
  return [
    {
      id: LAYER_IDS.roadsCasing,
      type: 'line',
      ...from('basemap'),
      filter: roads,
      layout: { 'line-cap': 'round', 'line-join': 'round', 'line-sort-key': sortKey },
      paint: { 'line-color': MAP_COLOURS.roadCasing, 'line-width': roadWidth(1.5) },
    },
    {
      id: LAYER_IDS.roads,
      type: 'line',
      ...from('basemap'),
      filter: roads,
      layout: { 'line-cap': 'round', 'line-join': 'round', 'line-sort-key': sortKey },
      paint: {
        'line-color': [
          'match',
          ['get', 'class'],
          'primary',
          MAP_COLOURS.roadPrimary,
          'secondary',
          MAP_COLOURS.roadSecondary,
          MAP_COLOURS.roadResidential,
        ],
        'line-width': roadWidth(0),
      },
    },
  ];
}

function buildingLayers(): LayerSpecification[] {
  return [
    {
      id: LAYER_IDS.buildingsFill,
      type: 'fill',
      ...from('buildings'),
      minzoom: BUILDINGS_MIN_ZOOM,
      paint: { 'fill-color': MAP_COLOURS.building, 'fill-opacity': ['case', hovered, 1, 0.9] },
    },
    {
      id: LAYER_IDS.buildingsOutline,
      type: 'line',
      ...from('buildings'),
      minzoom: BUILDINGS_MIN_ZOOM,
      paint: { 'line-color': MAP_COLOURS.buildingOutline, 'line-width': 0.7 },
    },
  ];
}

/** An outline of `source` with round joins. */
function roundLine(id: string, source: string, paint: LineLayerSpecification['paint']): LayerSpecification {
  return { id, type: 'line', ...from(source), layout: { 'line-join': 'round' }, paint };
}

function boundaryLayers(): LayerSpecification[] {
  return [
    {
      // Invisible unless hovered or selected: it gives grids a hit area and the highlight.
      id: LAYER_IDS.gridsFill,
      type: 'fill',
      ...from('grids'),
      paint: { 'fill-color': MAP_COLOURS.gridHover, 'fill-opacity': ['case', selected, 0.18, hovered, 0.1, 0] },
    },
    roundLine(LAYER_IDS.gridsLine, 'grids', {
      'line-color': ['case', highlighted, MAP_COLOURS.gridHover, MAP_COLOURS.gridLine],
      'line-width': highlightWidth([12, 2.5, 0.8], [17, 4, 2]),
      'line-opacity': 0.85,
    }),
    roundLine(LAYER_IDS.communitiesCasing, 'communities', {
      'line-color': MAP_COLOURS.communityHalo,
      'line-width': ['interpolate', ['linear'], ['zoom'], 12, 3.5, 17, 7],
      'line-opacity': 0.8,
    }),
    roundLine(LAYER_IDS.communitiesLine, 'communities', {
      'line-color': MAP_COLOURS.communityLine,
      'line-width': ['interpolate', ['linear'], ['zoom'], 12, 1.6, 17, 3.5],
      'line-dasharray': [4, 2],
    }),
    {
      id: LAYER_IDS.boundary,
      type: 'line',
      ...from('basemap'),
      filter: ['all', kindIs('boundary'), ['!', ['in', ['geometry-type'], ['literal', ['Point', 'MultiPoint']]]]],
      paint: { 'line-color': MAP_COLOURS.boundary, 'line-width': 1.5, 'line-dasharray': [6, 3, 1, 3] },
    },
  ];
}

/**
 * The gridlink map style. `origin` is the server's own origin (e.g. `http://localhost:8080`), so that tile
 * URLs are absolute, as maplibre requires for TileJSON sources. `view`: the county's first view (viewOfExtent).
 */
export function buildStyle(origin: string, view?: MapView): StyleSpecification {
  // The origin carries the request's Host header: trailing slashes cut by hand (`/\/+$/` is quadratic on a run of them).
  let end = origin.length;
  while (end > 0 && origin[end - 1] === '/') end--;
  const base = origin.slice(0, end);
  const sourceIds: string[] = [...SOURCE_IDS, ...Object.values(LABEL_POINT_SOURCES)];
  const sources = Object.fromEntries(sourceIds.map((id) => [id, vectorSource(base, id)]));
  return {
    version: 8,
    name: 'gridlink',
    metadata: { 'gridlink:note': 'Offline: no glyphs, no sprite.' },
    ...(view && { center: view.center, zoom: view.zoom }),
    sources,
    layers: [
      ...baseLayers(),
      ...compoundLayers(),
      ...roadLayers(),
      ...buildingLayers(),
      ...boundaryLayers(),
      ...labelLayers(),
    ],
  };
}
