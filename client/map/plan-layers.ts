// deck.gl layers of the planner's map: every unit of the open draft filled with its grid's colour (neighbouring
// grids differ), the selected grid opaque with a dark outline, units of invalid grids outlined in red, of locked
// grids in slate, and the outlines of compounds split into buildings. Pure: `planLayers(state, data)` is cheap to call again.
import type { Color, Layer } from '@deck.gl/core';
import { GeoJsonLayer, TextLayer } from '@deck.gl/layers';
import type { MultiPolygon, Polygon } from 'geojson';
import type { PlanUnitFeature, PlanUnits } from '../api/plans';
import { hexToRgb } from '../../shared/map/palette';

/** Ten hues for grids (Tableau 10), chosen by a greedy colouring of the grid adjacency graph. */
export const PLAN_GRID_COLOURS = [
  '#4e79a7',
  '#f28e2b',
  '#59a14f',
  '#b07aa1',
  '#edc948',
  '#76b7b2',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
  '#e15759',
] as const;
export const PLAN_INVALID_LINE = '#c62828';
export const PLAN_SELECTED_LINE = '#10203f';
export const PLAN_LOCKED_LINE = '#5f6b7a';

export interface PlanLayerState {
  /** Grid label of a unit (null: none). */
  labelOf: (unitId: string) => string | null;
  /** Colour slot of a grid label (0…9), −1 for none. */
  colourOf: (label: string | null) => number;
  /** Whether a grid breaks a rule (bounds, contiguity, nesting). */
  isInvalid: (label: string) => boolean;
  /** Whether a grid is locked (painting and balancing leave it alone). */
  isLocked: (label: string) => boolean;
  selectedGrid: string | null;
  /** Changes whenever any of the above answers differently (deck.gl's update trigger). */
  version: number;
}

export interface PlanLayerOptions {
  /** Opacity of unit fills, 0–255. @default 150 */
  fillAlpha: number;
  /** Opacity of the selected grid's fills. @default 235 */
  selectedAlpha: number;
}

export const PLAN_LAYER_DEFAULTS: PlanLayerOptions = { fillAlpha: 150, selectedAlpha: 235 };

const NO_GRID: Color = [160, 160, 160, 120];
const WHITE: Color = [255, 255, 255, 220];

export function planLayers(state: PlanLayerState, data: PlanUnits, options: Partial<PlanLayerOptions> = {}): Layer[] {
  const settings = { ...PLAN_LAYER_DEFAULTS, ...options };
  const palette = PLAN_GRID_COLOURS.map(hexToRgb);
  const invalid = hexToRgb(PLAN_INVALID_LINE);
  const selected = hexToRgb(PLAN_SELECTED_LINE);
  const lockedLine = hexToRgb(PLAN_LOCKED_LINE);
  const triggers = [state.version, state.selectedGrid];
  const parents = parentFeatures(data);
  return [
    new GeoJsonLayer<PlanUnitFeature['properties']>({
      id: 'plan-units',
      data: data.features,
      filled: true,
      stroked: true,
      pickable: false,
      lineWidthUnits: 'pixels',
      getFillColor: (f) => {
        const label = state.labelOf(f.properties.id);
        const slot = state.colourOf(label);
        if (slot < 0) return NO_GRID;
        return [...palette[slot], label === state.selectedGrid ? settings.selectedAlpha : settings.fillAlpha] as Color;
      },
      getLineColor: (f) => {
        const label = state.labelOf(f.properties.id);
        if (label && label === state.selectedGrid) return [...selected, 255] as Color;
        if (label && state.isInvalid(label)) return [...invalid, 255] as Color;
        if (label && state.isLocked(label)) return [...lockedLine, 255] as Color;
        return WHITE;
      },
      getLineWidth: (f) => {
        const label = state.labelOf(f.properties.id);
        return label && (label === state.selectedGrid || state.isInvalid(label) || state.isLocked(label)) ? 2.5 : 1;
      },
      updateTriggers: { getFillColor: triggers, getLineColor: triggers, getLineWidth: triggers },
    }),
    new TextLayer<GridLabelPoint>({
      id: 'plan-grid-labels',
      data: stableLabelPoints(gridLabelPoints(state, data)),
      getText: (d) => d.label,
      getPosition: (d) => d.position,
      getSize: 12,
      getColor: [16, 32, 63, 255],
      fontWeight: 600,
      background: true,
      getBackgroundColor: [255, 255, 255, 210],
      backgroundPadding: [3, 1],
    }),
    new GeoJsonLayer({
      id: 'plan-split-compounds',
      data: parents,
      filled: false,
      stroked: true,
      lineWidthUnits: 'pixels',
      getLineWidth: 1.5,
      getLineColor: [60, 60, 60, 200],
    }),
  ];
}

const parentsCache = new WeakMap<PlanUnits, ParentFeature[]>();
type ParentFeature = { type: 'Feature'; id: string; properties: { id: string }; geometry: Polygon | MultiPolygon };

/** The split compounds' outlines as features, once per unit set: new data would make deck.gl tessellate again. */
function parentFeatures(data: PlanUnits): ParentFeature[] {
  let features = parentsCache.get(data);
  if (!features) {
    features = Object.entries(data.parents).map(([id, geometry]) => ({
      type: 'Feature' as const,
      id,
      properties: { id },
      geometry,
    }));
    parentsCache.set(data, features);
  }
  return features;
}

let lastLabelPoints: GridLabelPoint[] = [];

/** The previous label points when no label moved (most brush dabs): the text layer keeps its layout. */
function stableLabelPoints(points: GridLabelPoint[]): GridLabelPoint[] {
  const same =
    points.length === lastLabelPoints.length &&
    points.every(
      (p, i) =>
        p.label === lastLabelPoints[i].label &&
        p.position[0] === lastLabelPoints[i].position[0] &&
        p.position[1] === lastLabelPoints[i].position[1],
    );
  if (!same) lastLabelPoints = points;
  return lastLabelPoints;
}

export interface GridLabelPoint {
  label: string;
  position: [number, number];
}

const centresCache = new WeakMap<PlanUnits, Map<string, [number, number]>>();

/** Centre of a unit's bounding box (units are small: it lies inside them or very near). */
function unitCentres(data: PlanUnits): Map<string, [number, number]> {
  let centres = centresCache.get(data);
  if (centres) return centres;
  centres = new Map();
  for (const feature of data.features) {
    const polygons =
      feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates;
    let [west, south, east, north] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const [x, y] of polygons.flatMap((p) => p[0])) {
      west = Math.min(west, x);
      east = Math.max(east, x);
      south = Math.min(south, y);
      north = Math.max(north, y);
    }
    centres.set(feature.properties.id, [(west + east) / 2, (south + north) / 2]);
  }
  centresCache.set(data, centres);
  return centres;
}

/** One label per grid, on the centre of its unit nearest to the households-weighted mean of its units. */
export function gridLabelPoints(state: PlanLayerState, data: PlanUnits): GridLabelPoint[] {
  const centres = unitCentres(data);
  const members = new Map<string, PlanUnitFeature[]>();
  for (const feature of data.features) {
    const label = state.labelOf(feature.properties.id);
    if (!label) continue;
    const list = members.get(label);
    if (list) list.push(feature);
    else members.set(label, [feature]);
  }
  const points: GridLabelPoint[] = [];
  for (const [label, list] of members) {
    let x = 0;
    let y = 0;
    let weight = 0;
    for (const f of list) {
      const [cx, cy] = centres.get(f.properties.id)!;
      const w = f.properties.households + 1;
      x += cx * w;
      y += cy * w;
      weight += w;
    }
    x /= weight;
    y /= weight;
    let best = centres.get(list[0].properties.id)!;
    for (const f of list) {
      const c = centres.get(f.properties.id)!;
      if ((c[0] - x) ** 2 + (c[1] - y) ** 2 < (best[0] - x) ** 2 + (best[1] - y) ** 2) best = c;
    }
    points.push({ label, position: best });
  }
  return points;
}
