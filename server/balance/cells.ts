// Cells of split parents: when a compound is represented by its buildings, each building unit gets a CELL — its
// share of the compound's outline — as the geometry for adjacency and compactness. Building footprints stand well
// inside the compound wall (54 m in the demo data's Q003), so adjacency measured between footprints would cut a
// compound off from the compound next door; the cells tile the compound, reach its wall, and touch each other.
//
// The partition is a power diagram (a Voronoi diagram with additive weights) of the footprints' centroids, clipped
// to the parent's outline. Plain Voronoi cells of centroids need not contain their footprints (a long slab beside
// a small tower pokes into the tower's cell); the weights are the smallest ones that keep every footprint inside
// its own cell — difference constraints w_i − w_j ≥ max over F_i's vertices of |v − c_i|² − |v − c_j|², solved by
// Bellman-Ford. A power diagram tiles the plane whatever the weights, so the clipped cells tile the outline.
// When no weights exist (a power boundary is perpendicular to the line joining two sites, so long slabs in
// staggered rows cannot always be separated), plain Voronoi cells are corrected with polygon operations: each
// cell takes its own footprint and gives up everyone else's.
// Everything is planar (metres of the local projection) and pure TypeScript; a non-convex, holed or multipart
// outline is intersected with Turf (polyclip), a convex one by Sutherland-Hodgman.
import { difference } from '@turf/difference';
import { featureCollection } from '@turf/helpers';
import { intersect } from '@turf/intersect';
import { union } from '@turf/union';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { projectShape, type PlanarShape, type Projection } from './geometry';

/** Margin around the convex hull of a parent's units when no outline of the parent is given, metres. */
export const DERIVED_OUTLINE_MARGIN_M = 5;

/** Identity "projection": planar coordinates in, planar coordinates out. */
const PLANAR: Projection = { lon0: 0, lat0: 0, metresPerDegreeX: 1, metresPerDegreeY: 1 };

/** Planar polygons: polygon → rings → [x, y] positions (closed rings). */
export type PlanarPolygons = number[][][][];

export function shapeOfPolygons(polygons: PlanarPolygons): PlanarShape {
  return projectShape({ type: 'MultiPolygon', coordinates: polygons }, PLANAR);
}

/** The polygons of a projected shape (rings assigned to polygons by position: outer ring first, then its holes). */
function ringsToPositions(ring: Float64Array): number[][] {
  const positions: number[][] = [];
  for (let i = 0; i + 1 < ring.length; i += 2) positions.push([ring[i], ring[i + 1]]);
  return positions;
}

const cross = (ox: number, oy: number, ax: number, ay: number, bx: number, by: number): number =>
  (ax - ox) * (by - oy) - (ay - oy) * (bx - ox);

/** Adds `p` to a hull chain, first dropping the last points that would not turn left (counter-clockwise) to it. */
function extendHull(chain: number[][], p: number[]): void {
  const turn = () => {
    const [a, b] = [chain[chain.length - 2], chain[chain.length - 1]];
    return cross(a[0], a[1], b[0], b[1], p[0], p[1]);
  };
  while (chain.length >= 2 && turn() <= 0) chain.pop();
  chain.push(p);
}

/** Convex hull (Andrew's monotone chain), counter-clockwise, not closed. */
export function convexHull(points: number[][]): number[][] {
  const sorted = points.slice().sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (sorted.length < 3) return sorted;
  const lower: number[][] = [];
  for (const p of sorted) extendHull(lower, p);
  const upper: number[][] = [];
  for (let i = sorted.length - 1; i >= 0; i--) extendHull(upper, sorted[i]);
  lower.pop();
  upper.pop();
  return lower.concat(upper);
}

/**
 * The outline a parent is given when none is known: the convex hull of its units, grown by `margin` metres
 * (the hull of every vertex moved by the margin in 16 directions: a convex polygon within 2 % of the true buffer).
 */
export function derivedOutline(footprints: readonly PlanarShape[], margin = DERIVED_OUTLINE_MARGIN_M): PlanarPolygons {
  const points: number[][] = [];
  const directions = 16;
  for (const shape of footprints) {
    for (const ring of shape.rings) {
      for (let i = 0; i + 1 < ring.length; i += 2) {
        for (let k = 0; k < directions; k++) {
          const angle = (2 * Math.PI * k) / directions;
          points.push([ring[i] + margin * Math.cos(angle), ring[i + 1] + margin * Math.sin(angle)]);
        }
      }
    }
  }
  const hull = convexHull(points);
  return [[[...hull, hull[0]]]];
}

/** A single ring without holes whose turns all go one way (collinear vertices allowed). */
function convexRing(polygons: PlanarPolygons): number[][] | null {
  if (polygons.length !== 1 || polygons[0].length !== 1) return null;
  const ring = polygons[0][0];
  const open =
    ring.length > 1 && ring[0][0] === ring[ring.length - 1][0] && ring[0][1] === ring[ring.length - 1][1]
      ? ring.slice(0, -1)
      : ring.slice();
  if (open.length < 3) return null;
  let sign = 0;
  for (let i = 0; i < open.length; i++) {
    const a = open[i];
    const b = open[(i + 1) % open.length];
    const c = open[(i + 2) % open.length];
    const turn = cross(a[0], a[1], b[0], b[1], c[0], c[1]);
    const scale = Math.hypot(b[0] - a[0], b[1] - a[1]) * Math.hypot(c[0] - b[0], c[1] - b[1]);
    if (Math.abs(turn) <= 1e-9 * scale) continue;
    if (sign === 0) sign = Math.sign(turn);
    else if (Math.sign(turn) !== sign) return null;
  }
  if (sign === 0) return null;
  return sign > 0 ? open : open.reverse();
}

/** Keeps the part of a convex polygon (open ring) where nx·x + ny·y ≤ c (one Sutherland-Hodgman step). */
function clipHalfPlane(ring: number[][], nx: number, ny: number, c: number): number[][] {
  const out: number[][] = [];
  const count = ring.length;
  for (let i = 0; i < count; i++) {
    const p = ring[i];
    const q = ring[(i + 1) % count];
    const sp = nx * p[0] + ny * p[1] - c;
    const sq = nx * q[0] + ny * q[1] - c;
    if (sp <= 0) out.push(p);
    if ((sp < 0 && sq > 0) || (sp > 0 && sq < 0)) {
      const t = sp / (sp - sq);
      out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
    }
  }
  return out;
}

/** Convex ∩ convex: clips `ring` by every edge of `clip` (both counter-clockwise, open). */
function clipConvex(ring: number[][], clip: number[][]): number[][] {
  let result = ring;
  for (let i = 0; i < clip.length && result.length >= 3; i++) {
    const a = clip[i];
    const b = clip[(i + 1) % clip.length];
    // Inside is to the left of a→b: cross(b − a, p − a) ≥ 0 ⇔ (ay − by)·x + (bx − ax)·y ≤ … ; written as n·p ≤ c.
    const nx = b[1] - a[1];
    const ny = a[0] - b[0];
    result = clipHalfPlane(result, nx, ny, nx * a[0] + ny * a[1]);
  }
  return result;
}

/**
 * Weights of the power diagram: the least w ≥ 0 with w_i − w_j ≥ a_ij (every footprint inside its own cell).
 * Null when the constraints admit no solution (footprints interlocked so that no power diagram separates them).
 */
function powerWeights(sites: number[][], vertices: number[][][]): Float64Array | null {
  const n = sites.length;
  const need = new Float64Array(n * n).fill(-Infinity);
  for (let i = 0; i < n; i++) {
    const [cx, cy] = sites[i];
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const [dx, dy] = sites[j];
      let most = -Infinity;
      for (const [x, y] of vertices[i]) {
        const value = (x - cx) ** 2 + (y - cy) ** 2 - (x - dx) ** 2 - (y - dy) ** 2;
        if (value > most) most = value;
      }
      need[i * n + j] = most;
    }
  }
  const weight = new Float64Array(n);
  for (let round = 0; round <= n; round++) {
    let changed = false;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        // A little slack (1 cm² per m² of the larger term) keeps the footprint strictly inside despite rounding.
        const required = weight[j] + need[i * n + j];
        if (required > weight[i] + 1e-9 * (1 + Math.abs(required))) {
          weight[i] = required + 1e-6 * (1 + Math.abs(need[i * n + j]));
          changed = true;
        }
      }
    }
    if (!changed) return weight;
  }
  return null;
}

export interface CellsResult {
  /** One shape per footprint: its cell, or the footprint itself when its cell came out empty. */
  cells: PlanarShape[];
  /** False when a footprint may stick out of its cell: no power diagram separates the footprints and their
   * polygons were not given to hand each footprint to its own cell. */
  containsFootprints: boolean;
  /** True when the cells are power cells (each footprint inside its own); false when plain Voronoi cells were
   * corrected with polygon operations (or not at all, see containsFootprints). */
  powerDiagram: boolean;
}

/**
 * Partitions `outline` among `footprints`: power cells of the footprints' centroids clipped to the outline.
 * The cells tile the outline (up to floating-point noise); each holds its footprint where the outline does.
 */
export function parentCells(
  footprints: readonly PlanarShape[],
  outline: PlanarPolygons,
  footprintPolygons?: readonly PlanarPolygons[],
): CellsResult {
  const n = footprints.length;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const extend = (x: number, y: number): void => {
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  };
  for (const polygon of outline) for (const [x, y] of polygon[0] ?? []) extend(x, y);
  for (const shape of footprints) {
    extend(shape.minX, shape.minY);
    extend(shape.maxX, shape.maxY);
  }
  // Local origin: squares of county-wide coordinates would lose centimetres.
  const ox = (minX + maxX) / 2;
  const oy = (minY + maxY) / 2;
  const sites = footprints.map((shape) => [shape.centroidX - ox, shape.centroidY - oy]);
  // Coinciding centroids (duplicated footprints) would give coinciding cells: nudge them apart by a millimetre.
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (Math.hypot(sites[i][0] - sites[j][0], sites[i][1] - sites[j][1]) < 1e-3)
        sites[i] = [sites[i][0] + 1e-3 * (i + 1), sites[i][1]];
    }
  }
  const vertices = footprints.map((shape) =>
    shape.rings[0] ? ringsToPositions(shape.rings[0]).map(([x, y]) => [x - ox, y - oy]) : [],
  );
  // Outer rings of every part of a multipart footprint count.
  footprints.forEach((shape, i) => {
    for (let r = 1; r < shape.rings.length; r++)
      vertices[i].push(...ringsToPositions(shape.rings[r]).map(([x, y]) => [x - ox, y - oy]));
  });
  const weights = powerWeights(sites, vertices);
  const w = weights ?? new Float64Array(n);

  const local: PlanarPolygons = outline.map((polygon) => polygon.map((ring) => ring.map(([x, y]) => [x - ox, y - oy])));
  const convex = convexRing(local);
  const pad = 1 + Math.max(maxX - minX, maxY - minY);
  const box = [
    [minX - ox - pad, minY - oy - pad],
    [maxX - ox + pad, minY - oy - pad],
    [maxX - ox + pad, maxY - oy + pad],
    [minX - ox - pad, maxY - oy + pad],
  ];

  const multi = (polygons: PlanarPolygons): Feature<MultiPolygon> => ({
    type: 'Feature',
    properties: {},
    geometry: { type: 'MultiPolygon', coordinates: polygons },
  });
  const toPolygons = (piece: Feature<Polygon | MultiPolygon> | null): PlanarPolygons =>
    !piece ? [] : piece.geometry.type === 'Polygon' ? [piece.geometry.coordinates] : piece.geometry.coordinates;
  const millimetres = (polygons: PlanarPolygons): PlanarPolygons =>
    polygons.map((polygon) =>
      polygon.map((ring) => ring.map(([x, y]) => [Math.round(x * 1000) / 1000, Math.round(y * 1000) / 1000])),
    );
  // polyclip can fail on nearly degenerate input ("Unable to complete output ring"): retried on coordinates
  // rounded to the millimetre; null when it still fails.
  const safely = (
    operation: (features: Feature<MultiPolygon>[]) => Feature<Polygon | MultiPolygon> | null,
    inputs: PlanarPolygons[],
  ): PlanarPolygons | null => {
    for (const attempt of [inputs, inputs.map(millimetres)]) {
      try {
        return toPolygons(operation(attempt.map(multi)));
      } catch {
        // next attempt
      }
    }
    return null;
  };
  const intersection = (features: Feature<MultiPolygon>[]): Feature<Polygon | MultiPolygon> | null =>
    intersect(featureCollection(features));
  let failed = false;
  const cellPolygons: PlanarPolygons[] = footprints.map((_, i) => {
    // Power cell: |p − c_i|² − w_i ≤ |p − c_j|² − w_j ⇔ 2 p·(c_j − c_i) ≤ |c_j|² − |c_i|² + w_i − w_j.
    let ring = box;
    const [cx, cy] = sites[i];
    for (let j = 0; j < n && ring.length >= 3; j++) {
      if (j === i) continue;
      const [dx, dy] = sites[j];
      ring = clipHalfPlane(ring, 2 * (dx - cx), 2 * (dy - cy), dx * dx + dy * dy - cx * cx - cy * cy + w[i] - w[j]);
    }
    if (ring.length < 3) return [];
    if (convex) {
      const clipped = clipConvex(ring, convex);
      return clipped.length >= 3 ? [[[...clipped, clipped[0]]]] : [];
    }
    const clipped = safely(intersection, [[[[...ring, ring[0]]]], local]);
    if (clipped === null) failed = true; // this unit keeps its footprint
    return clipped ?? [];
  });

  // No power diagram separates the footprints (e.g. long slabs in staggered rows: a power boundary between two
  // buildings is perpendicular to the line joining their sites). Then each footprint is handed to its own cell:
  // cell_i ∪ F_i minus every other footprint, within the outline — still a tiling when footprints do not overlap.
  // Should polyclip fail on any of them, the parent keeps its plain Voronoi cells (a tiling that may cut a footprint).
  if (!weights && footprintPolygons) {
    const feet = footprintPolygons.map((polygons) =>
      polygons.map((polygon) => polygon.map((ring) => ring.map(([x, y]) => [x - ox, y - oy]))),
    );
    const boxes = feet.map((polygons) => {
      let x0 = Infinity,
        y0 = Infinity,
        x1 = -Infinity,
        y1 = -Infinity;
      for (const polygon of polygons)
        for (const [x, y] of polygon[0] ?? []) {
          x0 = Math.min(x0, x);
          y0 = Math.min(y0, y);
          x1 = Math.max(x1, x);
          y1 = Math.max(y1, y);
        }
      return [x0, y0, x1, y1];
    });
    const insideConvexOutline = (polygons: PlanarPolygons): boolean => {
      if (!convex) return false;
      for (const polygon of polygons) {
        for (const [x, y] of polygon[0] ?? []) {
          for (let k = 0; k < convex.length; k++) {
            const a = convex[k];
            const b = convex[(k + 1) % convex.length];
            if (cross(a[0], a[1], b[0], b[1], x, y) < -1e-9 * Math.hypot(b[0] - a[0], b[1] - a[1])) return false;
          }
        }
      }
      return true;
    };
    const handOver = (features: Feature<MultiPolygon>[]): Feature<Polygon | MultiPolygon> | null => {
      const [cell, own, ...others] = features;
      const piece = union(featureCollection([cell, own]));
      return piece && others.length ? difference(featureCollection([piece, ...others])) : piece;
    };
    let corrected: PlanarPolygons[] | null = [];
    for (let i = 0; i < n && corrected; i++) {
      const polygons = cellPolygons[i];
      if (polygons.length === 0 || feet[i].length === 0) {
        corrected.push(polygons);
        continue;
      }
      let x0 = boxes[i][0],
        y0 = boxes[i][1],
        x1 = boxes[i][2],
        y1 = boxes[i][3];
      for (const polygon of polygons)
        for (const [x, y] of polygon[0]) {
          x0 = Math.min(x0, x);
          y0 = Math.min(y0, y);
          x1 = Math.max(x1, x);
          y1 = Math.max(y1, y);
        }
      const others = feet.filter(
        (polygonsJ, j) =>
          j !== i &&
          polygonsJ.length > 0 &&
          boxes[j][0] <= x1 &&
          boxes[j][2] >= x0 &&
          boxes[j][1] <= y1 &&
          boxes[j][3] >= y0,
      );
      let piece = safely(handOver, [polygons, feet[i], ...others]);
      if (piece && !insideConvexOutline(feet[i])) piece = safely(intersection, [piece, local]);
      if (piece === null) corrected = null;
      else corrected.push(piece);
    }
    if (corrected)
      corrected.forEach((polygons, i) => {
        cellPolygons[i] = polygons;
      });
    else failed = true;
  }

  const cells = footprints.map((footprint, i) => {
    const shape = shapeOfPolygons(
      cellPolygons[i].map((polygon) => polygon.map((r) => r.map(([x, y]) => [x + ox, y + oy]))),
    );
    return shape.area > 1e-6 ? shape : footprint;
  });
  return {
    cells,
    containsFootprints: !failed && (weights !== null || footprintPolygons !== undefined),
    powerDiagram: weights !== null,
  };
}
