// Which of the planner's units lie under the pointer, under a round brush, or inside a drawn lasso / polygon.
// One Flatbush index of unit bounding boxes per unit set (cached), then exact tests in a local metric frame.
// Pure: no map, no Vue — unit tests call it directly.
import Flatbush from 'flatbush';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import type { PlanUnitFeature, PlanUnits } from '../api/plans';

interface HitIndex {
  index: Flatbush;
  features: PlanUnitFeature[];
  /** Interior point of each unit (the centre of its bounding box, or a point inside when that misses it). */
  inner: [number, number][];
}

const cache = new WeakMap<PlanUnits, HitIndex>();

const METRES_PER_DEGREE = 111_320;

/** The polygons of a unit, each as its rings (the outer one first). */
export function ringsOf(geometry: Polygon | MultiPolygon): Position[][][] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

function hitIndex(data: PlanUnits): HitIndex {
  let hit = cache.get(data);
  if (hit) return hit;
  const features = data.features;
  const index = new Flatbush(Math.max(1, features.length));
  const inner: [number, number][] = [];
  for (const feature of features) {
    let [west, south, east, north] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const [x, y] of ringsOf(feature.geometry).flatMap((p) => p[0])) {
      west = Math.min(west, x);
      east = Math.max(east, x);
      south = Math.min(south, y);
      north = Math.max(north, y);
    }
    index.add(west, south, east, north);
    inner.push(interiorPoint(feature.geometry, [(west + east) / 2, (south + north) / 2]));
  }
  if (!features.length) index.add(0, 0, 0, 0);
  index.finish();
  hit = { index, features, inner };
  cache.set(data, hit);
  return hit;
}

/** The centre when it lies inside, else the midpoint of the widest horizontal run through the centre's latitude. */
function interiorPoint(geometry: Polygon | MultiPolygon, centre: [number, number]): [number, number] {
  if (inGeometry(geometry, centre[0], centre[1])) return centre;
  const y = centre[1];
  const crossings: number[] = [];
  for (const rings of ringsOf(geometry)) {
    for (const ring of rings) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i];
        const [xj, yj] = ring[j];
        if (yi > y !== yj > y) crossings.push(((xj - xi) * (y - yi)) / (yj - yi) + xi);
      }
    }
  }
  crossings.sort((a, b) => a - b);
  let best: [number, number] = [ringsOf(geometry)[0][0][0][0], ringsOf(geometry)[0][0][0][1]];
  let width = -1;
  for (let k = 0; k + 1 < crossings.length; k += 2) {
    if (crossings[k + 1] - crossings[k] > width) {
      width = crossings[k + 1] - crossings[k];
      best = [(crossings[k] + crossings[k + 1]) / 2, y];
    }
  }
  return best;
}

/** Which unit lies under a point (longitude, latitude); buildings before compounds. */
export function unitAt(data: PlanUnits, lng: number, lat: number): PlanUnitFeature | null {
  const { index, features } = hitIndex(data);
  let found: PlanUnitFeature | null = null;
  for (const i of index.search(lng, lat, lng, lat)) {
    const feature = features[i];
    if (!inGeometry(feature.geometry, lng, lat)) continue;
    if (feature.properties.kind === 'building') return feature;
    found ??= feature;
  }
  return found;
}

/** Units a round brush of `radiusMetres` centred on (lng, lat) touches: inside it, or within the radius of an edge. */
export function unitsUnderBrush(data: PlanUnits, lng: number, lat: number, radiusMetres: number): string[] {
  const { index, features } = hitIndex(data);
  const kx = METRES_PER_DEGREE * Math.cos((lat * Math.PI) / 180);
  const ky = METRES_PER_DEGREE;
  const dx = radiusMetres / kx;
  const dy = radiusMetres / ky;
  const out: string[] = [];
  for (const i of index.search(lng - dx, lat - dy, lng + dx, lat + dy)) {
    const feature = features[i];
    if (inGeometry(feature.geometry, lng, lat) || nearBoundary(feature.geometry, lng, lat, kx, ky, radiusMetres))
      out.push(feature.properties.id);
  }
  return out;
}

/** Units whose interior point lies inside a drawn polygon (lasso or clicked polygon). */
export function unitsInPolygon(data: PlanUnits, polygon: Polygon): string[] {
  const { index, features, inner } = hitIndex(data);
  let [west, south, east, north] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of polygon.coordinates[0]) {
    west = Math.min(west, x);
    east = Math.max(east, x);
    south = Math.min(south, y);
    north = Math.max(north, y);
  }
  return index
    .search(west, south, east, north)
    .filter((i) => inGeometry(polygon, inner[i][0], inner[i][1]))
    .map((i) => features[i].properties.id);
}

function nearBoundary(
  geometry: Polygon | MultiPolygon,
  lng: number,
  lat: number,
  kx: number,
  ky: number,
  radius: number,
): boolean {
  const r2 = radius * radius;
  for (const rings of ringsOf(geometry)) {
    for (const ring of rings) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        // The segment in metres, relative to the brush centre.
        const ax = (ring[j][0] - lng) * kx;
        const ay = (ring[j][1] - lat) * ky;
        const bx = (ring[i][0] - lng) * kx;
        const by = (ring[i][1] - lat) * ky;
        const vx = bx - ax;
        const vy = by - ay;
        const length2 = vx * vx + vy * vy;
        const t = length2 > 0 ? Math.max(0, Math.min(1, -(ax * vx + ay * vy) / length2)) : 0;
        const px = ax + t * vx;
        const py = ay + t * vy;
        if (px * px + py * py <= r2) return true;
      }
    }
  }
  return false;
}

export function inGeometry(geometry: Polygon | MultiPolygon, x: number, y: number): boolean {
  return ringsOf(geometry).some((rings) =>
    rings.reduce((inside, ring, i) => (inRing(ring, x, y) ? (i === 0 ? true : !inside) : inside), false),
  );
}

function inRing(ring: Position[], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
