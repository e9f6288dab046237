// Street network: an irregular lattice of named roads (ring roads, two highways through the
// centre, secondary and residential streets) and the urban cells/blocks between them.
import { rect, snap, TOWN_SIZE, type Rect } from './geo.js';
import { ROADS_EW, ROADS_NS, type Named } from './names.js';
import type { Rng } from './prng.js';
import type { Road, RoadClass } from './types.js';

export const COLS = 11;
export const ROWS = 10;
const HALF: Record<RoadClass, number> = { primary: 15, secondary: 10, residential: 6 };
const SIDEWALK = 3;

export interface Network {
  xs: number[]; // N-S road lines, COLS+1
  ys: number[]; // E-W road lines, ROWS+1
  nsClass: RoadClass[];
  ewClass: RoadClass[];
  roads: Road[];
  urban: Rect;
}

const lineClass = (k: number, n: number, mid: number): RoadClass =>
  k === 0 || k === n || k === mid ? 'primary' : k % 3 === 0 ? 'secondary' : 'residential';

function lines(rng: Rng, n: number): number[] {
  const widths = Array.from({ length: n }, () => rng.int(285, 345));
  const total = widths.reduce((s, w) => s + w, 0);
  let x = snap((TOWN_SIZE - total) / 2, 1);
  const out = [x];
  for (const w of widths) out.push((x += w));
  return out;
}

export function buildNetwork(rng: Rng): Network {
  const xs = lines(rng, COLS);
  const ys = lines(rng, ROWS);
  const midX = 6;
  const midY = 5;
  const nsClass = xs.map((_, k) => lineClass(k, COLS, midX));
  const ewClass = ys.map((_, k) => lineClass(k, ROWS, midY));
  const road = ([zh, en]: Named, cls: RoadClass, from: Road['from'], to: Road['to']): Road => ({
    name: zh,
    name_en: en,
    cls,
    halfWidth: HALF[cls],
    from,
    to,
  });
  // The middle line each way is the highway out of town: it runs to the edge of the map.
  const roads: Road[] = [
    ...xs.map((x, k) =>
      road(ROADS_NS[k], nsClass[k], [x, k === midX ? 0 : ys[0]], [x, k === midX ? TOWN_SIZE : ys[ROWS]]),
    ),
    ...ys.map((y, k) =>
      road(ROADS_EW[k], ewClass[k], [k === midY ? 0 : xs[0], y], [k === midY ? TOWN_SIZE : xs[COLS], y]),
    ),
  ];
  return { xs, ys, nsClass, ewClass, roads, urban: rect(xs[0], ys[0], xs[COLS], ys[ROWS]) };
}

export function cellRect(n: Network, i: number, j: number): Rect {
  return rect(n.xs[i], n.ys[j], n.xs[i + 1], n.ys[j + 1]);
}

/** The buildable block: the cell minus half road widths and a sidewalk. */
export function blockRect(n: Network, i: number, j: number): Rect {
  return rect(
    n.xs[i] + HALF[n.nsClass[i]] + SIDEWALK,
    n.ys[j] + HALF[n.ewClass[j]] + SIDEWALK,
    n.xs[i + 1] - HALF[n.nsClass[i + 1]] - SIDEWALK,
    n.ys[j + 1] - HALF[n.ewClass[j + 1]] - SIDEWALK,
  );
}

/** Fringe between the ring road and the town edge, cut by the two highways. */
export function fringeRects(n: Network): { rect: Rect; side: string }[] {
  const g = 20; // ring road / highway half width plus verge
  const [x0, x1, y0, y1] = [n.xs[0], n.xs[COLS], n.ys[0], n.ys[ROWS]];
  const xm = n.xs[6];
  const ym = n.ys[5];
  const T = TOWN_SIZE;
  return [
    { rect: rect(0, 0, xm - g, y0 - g), side: 'sw' },
    { rect: rect(xm + g, 0, T, y0 - g), side: 'se' },
    { rect: rect(0, y1 + g, xm - g, T), side: 'nw' },
    { rect: rect(xm + g, y1 + g, T, T), side: 'ne' },
    { rect: rect(0, y0 - g + 2 * g, x0 - g, ym - g), side: 'ws' },
    { rect: rect(0, ym + g, x0 - g, y1 - g), side: 'wn' },
    { rect: rect(x1 + g, y0 + g, T, ym - g), side: 'es' },
    { rect: rect(x1 + g, ym + g, T, y1 - g), side: 'en' },
  ];
}
