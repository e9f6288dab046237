// Plane geometry in metres: a local equirectangular projection around the data's centre, ring measures, and the
// part of a segment lying within a distance of another segment (used for shared-boundary lengths).
import type { MultiPolygon, Polygon } from 'geojson';

const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/** A unit's outline in projected metres. Rings are flat [x0, y0, x1, y1, …], closed (last point = first). */
export interface PlanarShape {
  rings: Float64Array[];
  area: number;
  perimeter: number;
  centroidX: number;
  centroidY: number;
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export interface Projection {
  lon0: number;
  lat0: number;
  metresPerDegreeX: number;
  metresPerDegreeY: number;
}

/** Equirectangular projection centred on the bounding box: within a county the error is far below a metre. */
export function createProjection(geometries: readonly (Polygon | MultiPolygon)[]): Projection {
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  for (const geometry of geometries) {
    for (const polygon of polygonsOf(geometry)) {
      for (const [lon, lat] of polygon[0] ?? []) {
        if (lon < minLon) minLon = lon;
        if (lon > maxLon) maxLon = lon;
        if (lat < minLat) minLat = lat;
        if (lat > maxLat) maxLat = lat;
      }
    }
  }
  const lon0 = Number.isFinite(minLon) ? (minLon + maxLon) / 2 : 0;
  const lat0 = Number.isFinite(minLat) ? (minLat + maxLat) / 2 : 0;
  return {
    lon0,
    lat0,
    metresPerDegreeX: EARTH_RADIUS_M * RAD * Math.cos(lat0 * RAD),
    metresPerDegreeY: EARTH_RADIUS_M * RAD,
  };
}

export function polygonsOf(geometry: Polygon | MultiPolygon): number[][][][] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

export function projectShape(geometry: Polygon | MultiPolygon, projection: Projection): PlanarShape {
  const rings: Float64Array[] = [];
  let area = 0;
  let perimeter = 0;
  let momentX = 0;
  let momentY = 0;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  let sumX = 0;
  let sumY = 0;
  let points = 0;
  for (const polygon of polygonsOf(geometry)) {
    polygon.forEach((ring, ringIndex) => {
      if (ring.length < 2) return;
      const closed = ring[0][0] === ring[ring.length - 1][0] && ring[0][1] === ring[ring.length - 1][1];
      const count = closed ? ring.length : ring.length + 1;
      const flat = new Float64Array(count * 2);
      for (let i = 0; i < count; i++) {
        const [lon, lat] = ring[i % ring.length];
        const x = (lon - projection.lon0) * projection.metresPerDegreeX;
        const y = (lat - projection.lat0) * projection.metresPerDegreeY;
        flat[2 * i] = x;
        flat[2 * i + 1] = y;
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
        if (i < count - 1) {
          sumX += x;
          sumY += y;
          points++;
        }
      }
      // Shoelace: an outer ring adds its area, a hole subtracts it, whatever the winding in the file.
      let signed = 0;
      let cx = 0;
      let cy = 0;
      for (let i = 0; i < count - 1; i++) {
        const x1 = flat[2 * i];
        const y1 = flat[2 * i + 1];
        const x2 = flat[2 * i + 2];
        const y2 = flat[2 * i + 3];
        const cross = x1 * y2 - x2 * y1;
        signed += cross;
        cx += (x1 + x2) * cross;
        cy += (y1 + y2) * cross;
        perimeter += Math.hypot(x2 - x1, y2 - y1);
      }
      const sign = (ringIndex === 0 ? 1 : -1) * Math.sign(signed);
      area += (sign * signed) / 2;
      momentX += (sign * cx) / 6;
      momentY += (sign * cy) / 6;
      rings.push(flat);
    });
  }
  const hasArea = area > 1e-9;
  return {
    rings,
    area: Math.max(0, area),
    perimeter,
    centroidX: hasArea ? momentX / area : points ? sumX / points : 0,
    centroidY: hasArea ? momentY / area : points ? sumY / points : 0,
    minX,
    minY,
    maxX,
    maxY,
  };
}

/** Polsby-Popper compactness 4πA/P², 0 for a degenerate shape. */
export function polsbyPopper(area: number, perimeter: number): number {
  return perimeter > 1e-9 ? Math.min(1, (4 * Math.PI * area) / (perimeter * perimeter)) : 0;
}

// Scratch state of nearInterval: module-level helpers instead of closures keep the hot loop allocation-free.
let low = Infinity;
let high = -Infinity;
let clipLow = 0;
let clipHigh = 1;

/** Widens [low, high] by the part of a + u·v (u ∈ [0, 1]) within `distance` of point p. */
function discInterval(ax: number, ay: number, vx: number, vy: number, px: number, py: number, distance: number): void {
  const a = vx * vx + vy * vy;
  const wx = ax - px;
  const wy = ay - py;
  const c = wx * wx + wy * wy - distance * distance;
  if (a < 1e-18) {
    if (c <= 0) {
      low = 0;
      if (high < 1) high = 1;
    }
    return;
  }
  const b = vx * wx + vy * wy;
  const discriminant = b * b - a * c;
  if (discriminant < 0) return;
  const root = Math.sqrt(discriminant);
  const u0 = Math.max(0, (-b - root) / a);
  const u1 = Math.min(1, (-b + root) / a);
  if (u0 <= u1) {
    if (u0 < low) low = u0;
    if (u1 > high) high = u1;
  }
}

/** Narrows [clipLow, clipHigh] to the u where alpha + beta·u lies in [min, max]. */
function clipLinear(alpha: number, beta: number, min: number, max: number): void {
  if (Math.abs(beta) < 1e-15) {
    if (alpha < min || alpha > max) clipHigh = -1;
    return;
  }
  let s0 = (min - alpha) / beta;
  let s1 = (max - alpha) / beta;
  if (s0 > s1) {
    const swap = s0;
    s0 = s1;
    s1 = swap;
  }
  if (s0 > clipLow) clipLow = s0;
  if (s1 < clipHigh) clipHigh = s1;
}

/**
 * The parameter interval [u0, u1] ⊂ [0, 1] of segment a→b whose points lie within `distance` of segment c→d,
 * written into `out`; false when there is none. The neighbourhood of c→d is a convex capsule (a rectangle and
 * two discs), so the answer is one interval: the hull of the three pieces. With `facingOnly`, only the rectangle
 * counts: the points of a→b that lie straight across from c→d.
 */
export function nearInterval(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  cx: number,
  cy: number,
  dx: number,
  dy: number,
  distance: number,
  out: [number, number],
  facingOnly = false,
): boolean {
  const vx = bx - ax;
  const vy = by - ay;
  low = Infinity;
  high = -Infinity;
  if (!facingOnly) {
    discInterval(ax, ay, vx, vy, cx, cy, distance);
    discInterval(ax, ay, vx, vy, dx, dy, distance);
  }
  const tx = dx - cx;
  const ty = dy - cy;
  const length = Math.hypot(tx, ty);
  if (length > 1e-12) {
    const ux = tx / length;
    const uy = ty / length;
    clipLow = 0;
    clipHigh = 1;
    // along(u) must lie in [0, length], across(u) in [−distance, distance].
    const wx = ax - cx;
    const wy = ay - cy;
    clipLinear(wx * ux + wy * uy, vx * ux + vy * uy, 0, length);
    clipLinear(-wx * uy + wy * ux, -vx * uy + vy * ux, -distance, distance);
    if (clipLow <= clipHigh) {
      if (clipLow < low) low = clipLow;
      if (clipHigh > high) high = clipHigh;
    }
  }
  if (low > high) return false;
  out[0] = low;
  out[1] = high;
  return true;
}
