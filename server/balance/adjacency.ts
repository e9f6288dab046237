// Adjacency of units: two units are adjacent when their boundaries come within `gap` metres (touching counts).
// Each edge carries the length of boundary the two units share or face across the gap, the quantity that
// compactness of a union depends on: perimeter(A ∪ B) ≈ perimeter(A) + perimeter(B) − 2·shared(A, B).
import Flatbush from 'flatbush';
import { nearInterval, type PlanarShape } from './geometry';
import { graphFromEdges, type Edge, type WeightedGraph } from './graph';

/** Below a millimetre two boundaries coincide (floating-point noise of converted data). */
const TOUCH_TOLERANCE_M = 1e-3;
/** Cells of one tiling computed separately (and clipped by polyclip) meet within a centimetre. */
const TILE_TOLERANCE_M = 1e-2;
/** Segments within 45° of parallel face each other. */
const FACING_COSINE = Math.SQRT1_2;

export interface AdjacencyOptions {
  gap: number;
  /**
   * Tiling of each unit, −1 for none: units of one tiling (the cells of one parent, which tile its outline) are
   * adjacent only where they touch, and share exactly their common boundary — `gap` does not reach across a cell.
   */
  tileOf?: ArrayLike<number>;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Builds the unit adjacency graph. Candidate segment pairs come from a Flatbush index of all boundary segments;
 * for each segment of A the part lying within the tolerance of B's boundary is measured exactly (capsule
 * clipping). Where one stretch of A faces several neighbours, A's lengths are scaled down so that their sum never
 * exceeds the length of A's boundary that faces anything, which keeps every union perimeter non-negative.
 */
export function buildAdjacency(shapes: readonly PlanarShape[], options: AdjacencyOptions): WeightedGraph {
  const size = shapes.length;
  const gapTolerance = Math.max(options.gap, 0) + TOUCH_TOLERANCE_M;
  const tileOf = options.tileOf;

  let segmentCount = 0;
  for (const shape of shapes) for (const ring of shape.rings) segmentCount += ring.length / 2 - 1;
  if (segmentCount === 0 || size < 2) return graphFromEdges(size, []);

  const segments = new Float64Array(segmentCount * 4);
  const segmentUnit = new Int32Array(segmentCount);
  const unitFirstSegment = new Int32Array(size + 1);
  const index = new Flatbush(segmentCount);
  let s = 0;
  shapes.forEach((shape, unit) => {
    unitFirstSegment[unit] = s;
    for (const ring of shape.rings) {
      for (let i = 0; i + 3 < ring.length; i += 2) {
        const x1 = ring[i];
        const y1 = ring[i + 1];
        const x2 = ring[i + 2];
        const y2 = ring[i + 3];
        segments.set([x1, y1, x2, y2], s * 4);
        segmentUnit[s] = unit;
        index.add(Math.min(x1, x2), Math.min(y1, y2), Math.max(x1, x2), Math.max(y1, y2));
        s++;
      }
    }
  });
  unitFirstSegment[size] = s;
  index.finish();

  const facing = new Map<number, number>(); // a * size + b → length of a's boundary within tolerance of b
  const interval: [number, number] = [0, 0];
  const hitUnit: number[] = [];
  const hitFrom: number[] = [];
  const hitTo: number[] = [];
  const order: number[] = [];
  const byUnitThenStart = (i: number, j: number): number => hitUnit[i] - hitUnit[j] || hitFrom[i] - hitFrom[j];
  const byStart = (i: number, j: number): number => hitFrom[i] - hitFrom[j];

  for (let a = 0; a < size; a++) {
    const tileA = tileOf ? tileOf[a] : -1;
    const searchTolerance = tileA >= 0 ? Math.max(gapTolerance, TILE_TOLERANCE_M) : gapTolerance;
    const lengthTo = new Map<number, number>();
    let facingAnything = 0;
    for (let t = unitFirstSegment[a]; t < unitFirstSegment[a + 1]; t++) {
      const ax = segments[t * 4];
      const ay = segments[t * 4 + 1];
      const bx = segments[t * 4 + 2];
      const by = segments[t * 4 + 3];
      const segmentLength = Math.hypot(bx - ax, by - ay);
      hitUnit.length = 0;
      hitFrom.length = 0;
      hitTo.length = 0;
      const found = index.search(
        Math.min(ax, bx) - searchTolerance,
        Math.min(ay, by) - searchTolerance,
        Math.max(ax, bx) + searchTolerance,
        Math.max(ay, by) + searchTolerance,
      );
      for (const candidate of found) {
        const b = segmentUnit[candidate];
        if (b === a) continue;
        const tolerance = tileA >= 0 && tileOf && tileOf[b] === tileA ? TILE_TOLERANCE_M : gapTolerance;
        const o = candidate * 4;
        const cx = segments[o];
        const cy = segments[o + 1];
        const dx = segments[o + 2];
        const dy = segments[o + 3];
        if (!nearInterval(ax, ay, bx, by, cx, cy, dx, dy, tolerance, interval)) continue;
        if (!lengthTo.has(b)) lengthTo.set(b, 0); // adjacent, whatever the angle
        // Only boundaries that face each other (roughly parallel) count as shared: the end of a wall meeting
        // the side of a compound across a road is not a common boundary.
        const otherLength = Math.hypot(dx - cx, dy - cy);
        const cosine =
          segmentLength > 0 && otherLength > 0
            ? ((bx - ax) * (dx - cx) + (by - ay) * (dy - cy)) / (segmentLength * otherLength)
            : 0;
        if (Math.abs(cosine) < FACING_COSINE) continue;
        // … and only where they lie straight across from each other: collinear walls either side of a road
        // end do not face each other.
        if (!nearInterval(ax, ay, bx, by, cx, cy, dx, dy, tolerance, interval, true)) continue;
        hitUnit.push(b);
        hitFrom.push(interval[0]);
        hitTo.push(interval[1]);
      }
      if (hitUnit.length === 0) continue;
      order.length = 0;
      for (let i = 0; i < hitUnit.length; i++) order.push(i);
      // Per neighbour: length of the union of its intervals on this segment.
      order.sort(byUnitThenStart);
      for (let i = 0; i < order.length;) {
        const b = hitUnit[order[i]];
        let end = i + 1;
        while (end < order.length && hitUnit[order[end]] === b) end++;
        lengthTo.set(b, (lengthTo.get(b) ?? 0) + unionLength(order, i, end, hitFrom, hitTo) * segmentLength);
        i = end;
      }
      // All neighbours together: length of this segment that faces anything.
      order.sort(byStart);
      facingAnything += unionLength(order, 0, order.length, hitFrom, hitTo) * segmentLength;
    }
    let total = 0;
    for (const length of lengthTo.values()) total += length;
    const scale = total > facingAnything && total > 0 ? facingAnything / total : 1;
    for (const [b, length] of lengthTo) facing.set(a * size + b, length * scale);
    if (options.onProgress && (a % 500 === 499 || a === size - 1)) options.onProgress(a + 1, size);
  }

  const edges: Edge[] = [];
  for (const [key, length] of facing) {
    const a = Math.floor(key / size);
    const b = key - a * size;
    const reverse = facing.get(b * size + a);
    if (reverse === undefined) edges.push({ a, b, shared: length / 2 });
    else if (a < b) edges.push({ a, b, shared: (length + reverse) / 2 });
  }
  return graphFromEdges(size, edges);
}

/** Length of the union of the intervals `order[start..end)` (each from[k]..to[k]), given sorted by their start. */
function unionLength(order: number[], start: number, end: number, from: number[], to: number[]): number {
  let low = from[order[start]];
  let high = to[order[start]];
  let covered = 0;
  for (let j = start + 1; j < end; j++) {
    const k = order[j];
    if (from[k] > high) {
      covered += high - low;
      low = from[k];
      high = to[k];
    } else if (to[k] > high) high = to[k];
  }
  return covered + high - low;
}
