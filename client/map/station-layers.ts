// deck.gl layers for service stations: one dot per station, coloured by kind (palette.ts). Layers are
// computed from plain state, kepler.gl style: `stationLayers(state, data)` is pure and cheap to call again.
import type { Color, Layer } from '@deck.gl/core';
import { ScatterplotLayer } from '@deck.gl/layers';
import type { StationCollection, StationFeature } from '../api/types';
import { STATION_KINDS, type StationKind } from '../../shared/map/kinds';
import { STATION_KIND_COLOURS, hexToRgb } from '../../shared/map/palette';

/** What the user changed: the part of the view that lives in the store / URL. */
export interface StationLayerState {
  /** Kinds to draw. @default every kind */
  visibleKinds: readonly StationKind[];
  /** Id of the station under the pointer, drawn larger. @default null */
  highlightedId: string | null;
}

/** How stations look. */
export interface StationLayerOptions {
  /** deck.gl layer id. @default 'stations' */
  id: string;
  /** Dot radius in pixels per kind. @default { micro_living_room: 4.5, street_post: 5.5, grid_centre: 6.5 } */
  radiusPixels: Readonly<Record<StationKind, number>>;
  /** Extra radius of the highlighted station, in pixels. @default 3 */
  highlightExtraPixels: number;
  /** White ring width in pixels. @default 1.5 */
  ringWidthPixels: number;
  /** Dot colour per kind. @default STATION_KIND_COLOURS */
  colours: Readonly<Record<StationKind, string>>;
  /** Whether the dots can be hovered and clicked. @default true */
  pickable: boolean;
}

export const STATION_LAYER_DEFAULTS: StationLayerOptions = {
  id: 'stations',
  radiusPixels: { micro_living_room: 4.5, street_post: 5.5, grid_centre: 6.5 },
  highlightExtraPixels: 3,
  ringWidthPixels: 1.5,
  colours: STATION_KIND_COLOURS,
  pickable: true,
};

export const DEFAULT_STATION_LAYER_STATE: StationLayerState = {
  visibleKinds: STATION_KINDS,
  highlightedId: null,
};

const RING: Color = [255, 255, 255, 255];

export function stationLayers(
  state: StationLayerState,
  data: StationCollection,
  options: Partial<StationLayerOptions> = {},
): Layer[] {
  const settings: StationLayerOptions = { ...STATION_LAYER_DEFAULTS, ...options };
  const rgb = Object.fromEntries(STATION_KINDS.map((kind) => [kind, hexToRgb(settings.colours[kind])])) as Record<
    StationKind,
    [number, number, number]
  >;
  const visible = data.features.filter((feature) => state.visibleKinds.includes(feature.properties.kind));
  // Grid centres last, so the largest dots sit on top.
  visible.sort((a, b) => STATION_KINDS.indexOf(a.properties.kind) - STATION_KINDS.indexOf(b.properties.kind));

  return [
    new ScatterplotLayer<StationFeature>({
      id: settings.id,
      data: visible,
      pickable: settings.pickable,
      stroked: true,
      filled: true,
      radiusUnits: 'pixels',
      lineWidthUnits: 'pixels',
      getPosition: (feature) => [feature.geometry.coordinates[0], feature.geometry.coordinates[1]],
      getRadius: (feature) =>
        settings.radiusPixels[feature.properties.kind] +
        (feature.properties.id === state.highlightedId ? settings.highlightExtraPixels : 0),
      getFillColor: (feature): Color => [...rgb[feature.properties.kind], 255],
      getLineColor: RING,
      getLineWidth: settings.ringWidthPixels,
      updateTriggers: { getRadius: [state.highlightedId], getFillColor: [settings.colours] },
    }),
  ];
}

/** Narrow a deck.gl picked object to a station. */
export function isStationFeature(value: unknown): value is StationFeature {
  if (typeof value !== 'object' || value === null) return false;
  const feature = value as Partial<StationFeature>;
  return (
    feature.type === 'Feature' && feature.geometry?.type === 'Point' && typeof feature.properties?.kind === 'string'
  );
}
