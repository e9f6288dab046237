// deck.gl layers of the wall's issue map: the heat of the reports in the rolling window, with a FIXED colour
// domain (deck.gl's own auto domain rescales to whatever is in view, so colours would shift as the tour
// moves), and rings pulsing where a new report has just been made.
import type { Color, Layer } from '@deck.gl/core';
import { HeatmapLayer } from '@deck.gl/aggregation-layers';
import { ScatterplotLayer } from '@deck.gl/layers';

/** Low → high: the legend draws the same stops. */
export const HEAT_COLOURS: readonly [number, number, number][] = [
  [255, 237, 160],
  [254, 217, 118],
  [254, 178, 76],
  [253, 141, 60],
  [240, 59, 32],
  [189, 0, 38],
];
/**
 * Fixed weight domain (deck.gl scales it per metre of the weight texture). Below the first value nothing is
 * drawn; one isolated report reads as the low end, a handful close together as the top.
 */
export const HEAT_DOMAIN: [number, number] = [0.04, 1.6];
/** Kernel radius at 1080 px high; grows with the screen. */
export const HEAT_RADIUS_PX = 38;
export const HEAT_OPACITY = 0.8;
const HEAT_TEXTURE_SIZE = 512;

export const HEAT_LAYER_ID = 'wall-issue-heat';

/** One report on the heat map: [longitude, latitude]. */
export type HeatPoint = [number, number];

export interface Pulse {
  key: number;
  position: [number, number];
  /** performance.now() when it began. */
  start: number;
}

/** How long a new report pulses, and how often the ring goes round in that time. */
export const PULSE_MS = 4500;
const PULSE_ROUNDS = 3;
const PULSE_COLOUR: [number, number, number] = [255, 82, 82];

export function heatLayer(points: readonly HeatPoint[], screenScale: number): Layer {
  return new HeatmapLayer<HeatPoint>({
    id: HEAT_LAYER_ID,
    data: points,
    getPosition: (p) => p,
    getWeight: 1,
    radiusPixels: Math.min(100, HEAT_RADIUS_PX * screenScale),
    colorRange: HEAT_COLOURS.map((c) => [...c, 255] as Color),
    colorDomain: HEAT_DOMAIN,
    aggregation: 'SUM',
    opacity: HEAT_OPACITY,
    // deck.gl's 2048² weight texture costs a pass over 4 M texels for every redraw of the weights (its max
    // pass runs even with a fixed domain); kernels of ~40 px need far fewer.
    weightsTextureSize: HEAT_TEXTURE_SIZE,
    pickable: false,
  });
}

/** Expanding, fading rings at each pulse, for the moment `now` (performance.now()). */
export function pulseLayer(pulses: readonly Pulse[], now: number, screenScale: number): Layer {
  const phase = (p: Pulse) => (((now - p.start) / PULSE_MS) * PULSE_ROUNDS) % 1;
  return new ScatterplotLayer<Pulse>({
    id: 'wall-issue-pulses',
    data: pulses,
    getPosition: (p) => p.position,
    radiusUnits: 'pixels',
    lineWidthUnits: 'pixels',
    stroked: true,
    filled: true,
    getRadius: (p) => (8 + 52 * phase(p)) * screenScale,
    getLineWidth: 3 * screenScale,
    getLineColor: (p) => [...PULSE_COLOUR, Math.round(255 * (1 - phase(p)))] as Color,
    getFillColor: (p) => [...PULSE_COLOUR, Math.round(90 * (1 - phase(p)))] as Color,
    updateTriggers: { getRadius: now, getLineColor: now, getFillColor: now },
    pickable: false,
  });
}
