// The dark variant of the gridlink style for the command-centre wall, made from the served style before the
// map of MapView is created (the light style served to /inspect stays as it is). Compounds keep their
// type colours (the legend's), grids are bright lines labelled with their codes, communities stand out.
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { ExpressionSpecification, LayerSpecification, StyleSpecification } from '@maplibre/maplibre-gl-style-spec';
import { LAYER_IDS } from '../../shared/map/style-ids';

export const WALL_DARK_COLOURS = {
  background: '#07111f',
  block: '#0e1c30',
  landmark: '#13243b',
  green: '#0d2a22',
  water: '#0c2c4a',
  roadCasing: '#07111f',
  road: '#22344f',
  roadPrimary: '#2f4668',
  building: '#1c2c45',
  buildingOutline: '#2c4166',
  compoundOutline: '#07111f',
  gridLine: '#3fc1ff',
  gridLabel: '#a8e3ff',
  communityLine: '#ff6f9f',
  communityLabel: '#ffd3e2',
  label: '#d9e3f0',
  minorLabel: '#7f93ad',
  halo: '#07111f',
  boundary: '#6c7d98',
} as const;

/** Opacity of the compound fills on the dark map: the hues stay, the glare goes. */
export const WALL_COMPOUND_OPACITY = 0.62;

type PaintValue = string | number | ExpressionSpecification;

/** Grid labels on the wall: the grid's code (G001), readable from far away. */
export const WALL_GRID_LABEL: ExpressionSpecification = ['coalesce', ['get', 'id'], ['get', 'code'], ''];

/** [layer, paint property, value] of the dark variant. */
export function wallDarkPaint(): [string, string, PaintValue][] {
  const c = WALL_DARK_COLOURS;
  return [
    [LAYER_IDS.background, 'background-color', c.background],
    [LAYER_IDS.blocks, 'fill-color', c.block],
    [LAYER_IDS.landmarks, 'fill-color', c.landmark],
    [LAYER_IDS.landmarks, 'fill-outline-color', c.landmark],
    [LAYER_IDS.green, 'fill-color', c.green],
    [LAYER_IDS.water, 'fill-color', c.water],
    [LAYER_IDS.waterLines, 'line-color', c.water],
    [LAYER_IDS.compoundsFill, 'fill-opacity', WALL_COMPOUND_OPACITY],
    [LAYER_IDS.compoundsOutline, 'line-color', c.compoundOutline],
    [LAYER_IDS.roadsCasing, 'line-color', c.roadCasing],
    [LAYER_IDS.roads, 'line-color', ['match', ['get', 'class'], 'primary', c.roadPrimary, c.road]],
    [LAYER_IDS.buildingsFill, 'fill-color', c.building],
    [LAYER_IDS.buildingsOutline, 'line-color', c.buildingOutline],
    [LAYER_IDS.gridsLine, 'line-color', c.gridLine],
    [LAYER_IDS.gridsLine, 'line-opacity', 0.9],
    [LAYER_IDS.communitiesCasing, 'line-color', c.halo],
    [LAYER_IDS.communitiesLine, 'line-color', c.communityLine],
    [LAYER_IDS.boundary, 'line-color', c.boundary],
    [LAYER_IDS.roadsLabel, 'text-color', c.minorLabel],
    [LAYER_IDS.landmarksLabel, 'text-color', c.minorLabel],
    [LAYER_IDS.compoundsLabel, 'text-color', c.label],
    [LAYER_IDS.stationsLabel, 'text-color', c.label],
    [LAYER_IDS.gridsLabel, 'text-color', c.gridLabel],
    [LAYER_IDS.communitiesLabel, 'text-color', c.communityLabel],
    ...[
      LAYER_IDS.roadsLabel,
      LAYER_IDS.landmarksLabel,
      LAYER_IDS.compoundsLabel,
      LAYER_IDS.stationsLabel,
      LAYER_IDS.gridsLabel,
      LAYER_IDS.communitiesLabel,
    ].map((id): [string, string, PaintValue] => [id, 'text-halo-color', c.halo]),
  ];
}

/**
 * Multiplies the sizes in a style value by k: a number, or the outputs of interpolate / step / case / match
 * expressions (a zoom expression must stay top level, so it cannot simply be wrapped in a product).
 */
export function scaleStyleSizes(value: unknown, k: number): unknown {
  if (typeof value === 'number') return value * k;
  if (!Array.isArray(value)) return value;
  const [op, ...rest] = value as unknown[];
  const outputsAt = (items: unknown[], isOutput: (i: number) => boolean) =>
    items.map((item, i) => (isOutput(i) ? scaleStyleSizes(item, k) : item));
  switch (op) {
    case 'interpolate':
      return [op, rest[0], rest[1], ...outputsAt(rest.slice(2), (i) => i % 2 === 1)];
    case 'step':
      return [op, rest[0], scaleStyleSizes(rest[1], k), ...outputsAt(rest.slice(2), (i) => i % 2 === 1)];
    case 'case':
      return [op, ...outputsAt(rest, (i) => i % 2 === 1 || i === rest.length - 1)];
    case 'match': {
      const pairs = rest.slice(1);
      return [op, rest[0], ...outputsAt(pairs, (i) => i % 2 === 1 || i === pairs.length - 1)];
    }
    default:
      return value;
  }
}

/** Text sizes and line widths (boundaries, roads, compound outlines) grow with the screen (×2 at 2160 px high): read from five metres. */
const SCALED_LAYOUT: readonly string[] = [
  LAYER_IDS.roadsLabel,
  LAYER_IDS.landmarksLabel,
  LAYER_IDS.compoundsLabel,
  LAYER_IDS.stationsLabel,
  LAYER_IDS.gridsLabel,
  LAYER_IDS.communitiesLabel,
];
const SCALED_LINES: readonly string[] = [
  LAYER_IDS.gridsLine,
  LAYER_IDS.communitiesLine,
  LAYER_IDS.communitiesCasing,
  LAYER_IDS.boundary,
  LAYER_IDS.roads,
  LAYER_IDS.roadsCasing,
  LAYER_IDS.compoundsOutline,
];

/** Grid labels from this zoom: codes are short, and the wall looks at whole communities. */
const WALL_GRID_LABEL_MINZOOM = 12;

type Paint = Record<string, unknown>;

/**
 * The style made dark before the map is created, so the map lays out its tiles once (overrides set after
 * it has loaded would lay them out again): the paint overrides, grid codes as grid labels, sizes × k.
 */
export function wallDarkStyle(style: StyleSpecification, screenScale = 1): StyleSpecification {
  const paint = new Map<string, Paint>();
  for (const [layer, property, value] of wallDarkPaint()) paint.set(layer, { ...paint.get(layer), [property]: value });
  const k = screenScale > 1.05 ? screenScale : 1;
  return {
    ...style,
    layers: style.layers.map((layer): LayerSpecification => {
      const next = {
        ...layer,
        paint: { ...(layer as { paint?: Paint }).paint, ...paint.get(layer.id) },
      } as LayerSpecification & { paint: Paint };
      if (k !== 1 && SCALED_LINES.includes(layer.id) && next.paint['line-width'] !== undefined)
        next.paint['line-width'] = scaleStyleSizes(next.paint['line-width'], k);
      if (next.type !== 'symbol') return next;
      const layout: Paint = { ...next.layout };
      if (k !== 1 && SCALED_LAYOUT.includes(layer.id) && layout['text-size'] !== undefined)
        layout['text-size'] = scaleStyleSizes(layout['text-size'], k);
      if (layer.id === LAYER_IDS.gridsLabel) {
        layout['text-field'] = WALL_GRID_LABEL;
        next.minzoom = WALL_GRID_LABEL_MINZOOM;
      }
      return { ...next, layout } as LayerSpecification;
    }),
  };
}

/** Runs `apply` once the style document is there (setPaintProperty needs it, not the tiles). */
export function whenStyleReady(map: MapLibreMap, apply: () => void): void {
  // isStyleLoaded would wait for the tiles too.
  let ready: boolean;
  try {
    ready = map.getLayer(LAYER_IDS.background) !== undefined;
  } catch {
    ready = false;
  }
  if (ready) apply();
  else map.once('style.load', apply);
}

/** Grid labels show codes again after the language switch rewrote the label text. */
export function applyWallGridLabels(map: MapLibreMap): void {
  if (map.getLayer(LAYER_IDS.gridsLabel)) {
    map.setLayoutProperty(LAYER_IDS.gridsLabel, 'text-field', WALL_GRID_LABEL);
  }
}
