// Coordinate systems of county files. GDAL reprojects a file that names its own CRS (.prj, GeoPackage SRS) to
// WGS84 when it is read; a file without one takes the manifest's EPSG code (PostGIS ST_Transform when staged); the
// Chinese web-map offsets GCJ-02 and BD-09 are converted here. Points given in plain lon/lat inside China also get
// their GCJ-02-converted twin, so that the report can tell when a file lines up with the others only once converted.
import type { Geometry, Position } from 'geojson';
import type { CrsName } from '../../shared/county-manifest.ts';
import { gcj02ToWgs84, outOfChina, type LngLat } from '../plans/gcj02.ts';

const X_PI = (Math.PI * 3000.0) / 180.0;

/** BD-09 (Baidu) → GCJ-02: the published inverse of Baidu's offset on top of GCJ-02. */
export function bd09ToGcj02([lng, lat]: LngLat): LngLat {
  const x = lng - 0.0065;
  const y = lat - 0.006;
  const z = Math.sqrt(x * x + y * y) - 0.00002 * Math.sin(y * X_PI);
  const theta = Math.atan2(y, x) - 0.000003 * Math.cos(x * X_PI);
  return [z * Math.cos(theta), z * Math.sin(theta)];
}

export function bd09ToWgs84(point: LngLat): LngLat {
  return gcj02ToWgs84(bd09ToGcj02(point));
}

/** How a file's coordinates reach WGS84. */
export interface CrsPlan {
  /** The SRID the coordinates are staged with (4326, or the manifest's EPSG code for a file without its own). */
  srid: number;
  /** An offset converted in Node before staging. */
  offset: 'gcj02' | 'bd09' | null;
  /** As the report shows it. */
  label: string;
}

/** The EPSG code a manifest's CRS names (wgs84: 4326); null for none and for the offsets GCJ-02 and BD-09. */
export function manifestEpsg(manifest: CrsName | undefined): number | null {
  if (manifest === undefined || manifest === 'gcj02' || manifest === 'bd09') return null;
  if (manifest === 'wgs84') return 4326;
  return typeof manifest === 'number' ? manifest : Number(manifest.slice(5));
}

/**
 * The plan for a file: `fileCrs` is what GDAL read from the file (null: none, or a table). GDAL reprojects a file
 * with a CRS of its own — from the manifest's code when the manifest names one, the county knowing better than a
 * .prj; a file without one is staged in the manifest's code.
 */
export function crsPlan(manifest: CrsName | undefined, fileCrs: string | null): CrsPlan {
  if (manifest === 'gcj02' || manifest === 'bd09') return { srid: 4326, offset: manifest, label: manifest };
  const code = manifestEpsg(manifest);
  if (fileCrs)
    return {
      srid: 4326,
      offset: null,
      label: code === null ? `${fileCrs} (file)` : `EPSG:${code} (manifest; the file says ${fileCrs})`,
    };
  return { srid: code ?? 4326, offset: null, label: `EPSG:${code ?? 4326}` };
}

export function convertPoint(p: LngLat, offset: CrsPlan['offset']): LngLat {
  if (offset === 'gcj02') return gcj02ToWgs84(p);
  if (offset === 'bd09') return bd09ToWgs84(p);
  return p;
}

export function mapGeometry(geometry: Geometry, fn: (p: LngLat) => LngLat): Geometry {
  const deep = (c: unknown): unknown =>
    typeof (c as unknown[])[0] === 'number'
      ? [...fn([(c as Position)[0], (c as Position)[1]]), ...(c as Position).slice(2)]
      : (c as unknown[]).map(deep);
  if (geometry.type === 'GeometryCollection')
    return { ...geometry, geometries: geometry.geometries.map((g) => mapGeometry(g, fn)) };
  return { ...geometry, coordinates: deep(geometry.coordinates) } as Geometry;
}

/** Calls `fn` with every position of the geometry, copying nothing (a county's layers hold millions). */
export function eachPosition(geometry: Geometry, fn: (p: Position) => void): void {
  const deep = (c: unknown): void => {
    if (typeof (c as unknown[])[0] === 'number') fn(c as Position);
    else for (const inner of c as unknown[]) deep(inner);
  };
  if (geometry.type === 'GeometryCollection') for (const g of geometry.geometries) eachPosition(g, fn);
  else deep(geometry.coordinates);
}

/** The centre of a geometry's bounding box (its positions' extremes). */
export function boxCentre(geometry: Geometry): LngLat | null {
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  eachPosition(geometry, ([x, y]) => {
    [minX, minY, maxX, maxY] = [Math.min(minX, x), Math.min(minY, y), Math.max(maxX, x), Math.max(maxY, y)];
  });
  return Number.isFinite(minX) ? [(minX + maxX) / 2, (minY + maxY) / 2] : null;
}

/**
 * The GCJ-02-converted twin of a point read as plain WGS84 inside China, for the offset hint; null when the
 * file's CRS was named (then the county said what it is) or the point is outside China.
 */
export function gcj02Twin(point: LngLat | null, plan: CrsPlan, named: boolean): LngLat | null {
  if (!point || named || plan.srid !== 4326 || plan.offset || outOfChina(point)) return null;
  return gcj02ToWgs84(point);
}
