// deck.gl layers of the wall's issue map: the heat of the reports in the rolling window as square cells of
// one ground size with a FIXED colour per class of count (wall-bins.ts: the colours never rescale to what is
// in view), and rings pulsing where a new report has just been made.
import type { Color, Layer } from '@deck.gl/core';
import { ScatterplotLayer, SolidPolygonLayer } from '@deck.gl/layers';
import { cellRing, HEAT_ALPHAS, HEAT_COLOURS, heatClass, type HeatCell } from '../../shared/map/wall-bins';

export const HEAT_OPACITY = 0.85;
export const HEAT_LAYER_ID = 'wall-issue-heat';

/** One report on the map: [longitude, latitude]. */
export type HeatPoint = [number, number];

/** The cells with at least one report, coloured by their class. */
export function heatLayer(cells: readonly HeatCell[]): Layer {
  return new SolidPolygonLayer<HeatCell>({
    id: HEAT_LAYER_ID,
    data: cells.filter((c) => heatClass(c.count) !== null),
    getPolygon: (c) => cellRing(c),
    getFillColor: (c) => {
      const k = heatClass(c.count)!;
      return [...HEAT_COLOURS[k], HEAT_ALPHAS[k]] as Color;
    },
    opacity: HEAT_OPACITY,
    pickable: false,
  });
}

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
