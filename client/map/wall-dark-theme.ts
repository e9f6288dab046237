// The dark variant of the gridlink style for the command-centre wall, made from the served style before the
// map of MapView is created (the light style served to /inspect stays as it is). Compounds keep their
// type colours (the legend's), grids are bright lines labelled with their codes, communities stand out.
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { ExpressionSpecification, LayerSpecification, StyleSpecification } from '@maplibre/maplibre-gl-style-spec';
import { LABEL_LAYER_IDS, LAYER_IDS } from '../../shared/map/style-ids';

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

/** The label layers' text colours (their halo is the background's). */
const textColours = (c: typeof WALL_DARK_COLOURS): Record<(typeof LABEL_LAYER_IDS)[number], string> => ({
  [LAYER_IDS.roadsLabel]: c.minorLabel,
  [LAYER_IDS.landmarksLabel]: c.minorLabel,
  [LAYER_IDS.compoundsLabel]: c.label,
  [LAYER_IDS.stationsLabel]: c.label,
  [LAYER_IDS.gridsLabel]: c.gridLabel,
  [LAYER_IDS.communitiesLabel]: c.communityLabel,
});

/** The dark variant's paint overrides, by layer. */
function darkPaintByLayer(): Record<string, Record<string, PaintValue>> {
  const c = WALL_DARK_COLOURS;
  const L = LAYER_IDS;
  const paint: Record<string, Record<string, PaintValue>> = {
    [L.background]: { 'background-color': c.background },
    [L.blocks]: { 'fill-color': c.block },
    [L.landmarks]: { 'fill-color': c.landmark, 'fill-outline-color': c.landmark },
    [L.green]: { 'fill-color': c.green },
    [L.water]: { 'fill-color': c.water },
    [L.waterLines]: { 'line-color': c.water },
    [L.compoundsFill]: { 'fill-opacity': WALL_COMPOUND_OPACITY },
    [L.compoundsOutline]: { 'line-color': c.compoundOutline },
    [L.roadsCasing]: { 'line-color': c.roadCasing },
    [L.roads]: { 'line-color': ['match', ['get', 'class'], 'primary', c.roadPrimary, c.road] },
    [L.buildingsFill]: { 'fill-color': c.building },
    [L.buildingsOutline]: { 'line-color': c.buildingOutline },
    [L.gridsLine]: { 'line-color': c.gridLine, 'line-opacity': 0.9 },
    [L.communitiesCasing]: { 'line-color': c.halo },
    [L.communitiesLine]: { 'line-color': c.communityLine },
    [L.boundary]: { 'line-color': c.boundary },
  };
  for (const [id, colour] of Object.entries(textColours(c)))
    paint[id] = { 'text-color': colour, 'text-halo-color': c.halo };
  return paint;
}

/** [layer, paint property, value] of the dark variant. */
export function wallDarkPaint(): [string, string, PaintValue][] {
  return Object.entries(darkPaintByLayer()).flatMap(([id, props]) =>
    Object.entries(props).map(([property, value]): [string, string, PaintValue] => [id, property, value]),
  );
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

/** Text sizes (of the label layers) and line widths (boundaries, roads, compound outlines) grow with the screen
 * (×2 at 2160 px high): read from five metres. */
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
  const paint = darkPaintByLayer();
  const k = screenScale > 1.05 ? screenScale : 1;
  return {
    ...style,
    layers: style.layers.map((layer): LayerSpecification => {
      const next = {
        ...layer,
        paint: { ...(layer as { paint?: Paint }).paint, ...paint[layer.id] },
      } as LayerSpecification & { paint: Paint };
      if (k !== 1 && SCALED_LINES.includes(layer.id) && next.paint['line-width'] !== undefined)
        next.paint['line-width'] = scaleStyleSizes(next.paint['line-width'], k);
      if (next.type !== 'symbol') return next;
      const layout: Paint = { ...next.layout };
      if (k !== 1 && (LABEL_LAYER_IDS as readonly string[]).includes(layer.id) && layout['text-size'] !== undefined)
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
