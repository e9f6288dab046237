// The one colour table of the map. The style (server/style), the legend and the e2e tests all read it,
// so a colour changed here changes everywhere at once.
import type { CompoundType, StationKind } from './kinds';

/** Fill colour per compound type: four hues far apart, readable on the light base map. */
export const COMPOUND_TYPE_COLOURS: Readonly<Record<CompoundType, string>> = {
  commercial_residential: '#4e79a7', // blue
  old: '#f28e2b', // orange
  transitional: '#b07aa1', // purple
  work_unit: '#59a14f', // green
};

/** Opacity of compound fills when not hovered (hovered ones are drawn opaque). */
export const COMPOUND_FILL_OPACITY = 0.85;

/** Colour per station kind, drawn by deck.gl as dots with a white ring. */
export const STATION_KIND_COLOURS: Readonly<Record<StationKind, string>> = {
  micro_living_room: '#00897b', // teal
  street_post: '#283593', // indigo
  grid_centre: '#c62828', // red
};

/** The light base map and the governance boundaries drawn over it. */
export const MAP_COLOURS = {
  background: '#f5f3ef',
  block: '#ebe7df',
  landmark: '#efe2d6',
  landmarkOutline: '#d9c6b3',
  green: '#dbe8cf',
  water: '#b7d3e9',
  roadCasing: '#cfc8bb',
  roadPrimary: '#ffffff',
  roadSecondary: '#fbfaf7',
  roadResidential: '#ffffff',
  building: '#d6cfc4',
  buildingOutline: '#b3aa9c',
  compoundOutline: '#ffffff',
  gridLine: '#1f3a68',
  gridHover: '#2563eb',
  communityLine: '#8e244d',
  communityHalo: '#ffffff',
  boundary: '#7d7466',
  label: '#333333',
  roadLabel: '#6b6256',
  labelHalo: '#ffffff',
  unknown: '#9e9e9e',
} as const;

/** `#rrggbb` → `[r, g, b]`, for deck.gl colour accessors. */
export function hexToRgb(hex: string): [number, number, number] {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) throw new Error(`hexToRgb: not a #rrggbb colour: ${hex}`);
  return [parseInt(match[1], 16), parseInt(match[2], 16), parseInt(match[3], 16)];
}
