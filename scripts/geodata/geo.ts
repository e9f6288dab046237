// Local metric frame (metres east/north of the town's SW corner) and the WGS84 mapping.
// Everything is laid out in metres on axis-aligned rectangles; the mapping is affine and shared
// vertices come from identical metre values, so neighbours stay exactly adjacent after rounding.

export const LON0 = 107.405;
export const LAT0 = 37.784;
export const TOWN_SIZE = 4000; // metres, the town frame is TOWN_SIZE x TOWN_SIZE
const M_PER_DEG_LAT = 110_574;
const M_PER_DEG_LON = 111_320 * Math.cos((LAT0 * Math.PI) / 180);

export type Pos = [number, number];
export type Ring = Pos[];
export type PolygonCoords = Ring[];

export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export const round7 = (v: number): number => Math.round(v * 1e7) / 1e7;

/** Metres (town frame, with town offset already added) to rounded lon/lat. */
export function toLonLat(x: number, y: number): Pos {
  return [round7(LON0 + (x - TOWN_SIZE / 2) / M_PER_DEG_LON), round7(LAT0 + (y - TOWN_SIZE / 2) / M_PER_DEG_LAT)];
}

export const metresPerDegree = { lon: M_PER_DEG_LON, lat: M_PER_DEG_LAT };

export const rect = (x0: number, y0: number, x1: number, y1: number): Rect => ({ x0, y0, x1, y1 });
export const rw = (r: Rect): number => r.x1 - r.x0;
export const rh = (r: Rect): number => r.y1 - r.y0;
export const inset = (r: Rect, d: number): Rect => rect(r.x0 + d, r.y0 + d, r.x1 - d, r.y1 - d);
export const centre = (r: Rect): Pos => [(r.x0 + r.x1) / 2, (r.y0 + r.y1) / 2];
export const shift = (r: Rect, dx: number): Rect => rect(r.x0 + dx, r.y0, r.x1 + dx, r.y1);

/** Whole-metre (or finer) snapping so layouts never carry float noise into shared edges. */
export const snap = (v: number, step = 0.5): number => Math.round(v / step) * step;

/** Counter-clockwise closed ring of a rectangle, in metres. */
export function rectRing(r: Rect): Ring {
  return [
    [r.x0, r.y0],
    [r.x1, r.y0],
    [r.x1, r.y1],
    [r.x0, r.y1],
    [r.x0, r.y0],
  ];
}

/** CCW regular-ish polygon (lakes, ponds) inscribed in a rectangle. */
export function ellipseRing(r: Rect, n: number, wobble: (i: number) => number): Ring {
  const [cx, cy] = centre(r);
  const ax = rw(r) / 2;
  const ay = rh(r) / 2;
  const ring: Ring = [];
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * i) / n;
    const k = wobble(i);
    ring.push([snap(cx + ax * k * Math.cos(a)), snap(cy + ay * k * Math.sin(a))]);
  }
  ring.push([ring[0][0], ring[0][1]]);
  return ring;
}

export function ringToLonLat(ring: Ring, dx: number): Ring {
  return ring.map(([x, y]) => toLonLat(x + dx, y));
}

/**
 * Union of axis-aligned rectangles as polygons (outer CCW, holes CW), by marking cells of the
 * compressed lattice and tracing their boundary. At a pinch vertex it turns left, which keeps
 * rings simple. Exact: every output vertex is an input coordinate.
 */
export function unionRects(rects: Rect[]): PolygonCoords[] {
  const xs = [...new Set(rects.flatMap((r) => [r.x0, r.x1]))].sort((a, b) => a - b);
  const ys = [...new Set(rects.flatMap((r) => [r.y0, r.y1]))].sort((a, b) => a - b);
  const nx = xs.length - 1;
  const ny = ys.length - 1;
  const xi = new Map(xs.map((v, i) => [v, i]));
  const yi = new Map(ys.map((v, i) => [v, i]));
  const filled = new Uint8Array(nx * ny);
  for (const r of rects) {
    for (let i = xi.get(r.x0)!; i < xi.get(r.x1)!; i++)
      for (let j = yi.get(r.y0)!; j < yi.get(r.y1)!; j++) filled[j * nx + i] = 1;
  }
  const at = (i: number, j: number): boolean => i >= 0 && j >= 0 && i < nx && j < ny && filled[j * nx + i] === 1;
  // Directed edges with the filled cell on the left; key = vertex index.
  const key = (i: number, j: number): number => j * (nx + 1) + i;
  const out = new Map<number, number[]>();
  const add = (a: number, b: number): void => {
    const l = out.get(a);
    if (l) l.push(b);
    else out.set(a, [b]);
  };
  for (let j = 0; j < ny; j++)
    for (let i = 0; i < nx; i++) {
      if (!at(i, j)) continue;
      if (!at(i, j - 1)) add(key(i, j), key(i + 1, j));
      if (!at(i + 1, j)) add(key(i + 1, j), key(i + 1, j + 1));
      if (!at(i, j + 1)) add(key(i + 1, j + 1), key(i, j + 1));
      if (!at(i - 1, j)) add(key(i, j + 1), key(i, j));
    }
  const vx = (k: number): number => k % (nx + 1);
  const vy = (k: number): number => Math.floor(k / (nx + 1));
  const rings: { ring: Ring; area: number }[] = [];
  const starts = [...out.keys()].sort((a, b) => a - b);
  for (const s of starts) {
    while ((out.get(s) ?? []).length > 0) {
      const pts: number[] = [s];
      let prev = s;
      let cur = out.get(s)!.shift()!;
      while (cur !== s || pts.length === 1) {
        pts.push(cur);
        const cands = out.get(cur)!;
        let pickIdx = 0;
        if (cands.length > 1) {
          // prefer the left-most turn
          const dx = vx(cur) - vx(prev);
          const dy = vy(cur) - vy(prev);
          let best = -Infinity;
          cands.forEach((c, idx) => {
            const ex = vx(c) - vx(cur);
            const ey = vy(c) - vy(cur);
            const score = dx * ey - dy * ex; // cross > 0 is a left turn
            if (score > best) {
              best = score;
              pickIdx = idx;
            }
          });
        }
        const nxt = cands.splice(pickIdx, 1)[0];
        prev = cur;
        cur = nxt;
        if (cur === s) break;
      }
      // drop collinear vertices
      const coords: Pos[] = pts.map((k) => [xs[vx(k)], ys[vy(k)]]);
      const simple: Pos[] = [];
      for (let i = 0; i < coords.length; i++) {
        const a = coords[(i - 1 + coords.length) % coords.length];
        const b = coords[i];
        const c = coords[(i + 1) % coords.length];
        if ((b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0]) !== 0) simple.push(b);
      }
      // start at the lowest-left vertex so output is canonical
      let m = 0;
      simple.forEach((p, i) => {
        if (p[1] < simple[m][1] || (p[1] === simple[m][1] && p[0] < simple[m][0])) m = i;
      });
      const ring = [...simple.slice(m), ...simple.slice(0, m)];
      ring.push([ring[0][0], ring[0][1]]);
      rings.push({ ring, area: signedArea(ring) });
    }
  }
  const outers = rings.filter((r) => r.area > 0).map((r) => [r.ring] as PolygonCoords);
  for (const h of rings.filter((r) => r.area < 0)) {
    const [a, b] = h.ring;
    // a point just on the filled side (left of a hole edge, which runs CW)
    const mx = (a[0] + b[0]) / 2 - (b[1] - a[1]) * 1e-6;
    const my = (a[1] + b[1]) / 2 + (b[0] - a[0]) * 1e-6;
    const owner = outers.find((p) => pointInRing([mx, my], p[0]));
    (owner ?? outers[0]).push(h.ring);
  }
  return outers;
}

export function signedArea(ring: Ring): number {
  let s = 0;
  for (let i = 0; i + 1 < ring.length; i++) s += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return s / 2;
}

export function pointInRing(p: Pos, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export const inRect = (p: Pos, r: Rect): boolean => p[0] > r.x0 && p[0] < r.x1 && p[1] > r.y0 && p[1] < r.y1;
