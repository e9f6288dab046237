// The public position of a report, computed here independently of the server's SQL: the centre of the XYZ
// tile of zoom 18 (the wall's heat cell, ≈120 m at Yanchi) that holds the exact point.
import { tileOf } from './xyz.ts';

export const CELL_ZOOM = 18;

export function cellCentreOf(lon: number, lat: number): [number, number] {
  const n = 2 ** CELL_ZOOM;
  const [x, y] = tileOf(lon, lat, CELL_ZOOM);
  const centreLon = ((x + 0.5) / n) * 360 - 180;
  const centreLat = (Math.atan(Math.sinh(Math.PI * (1 - (2 * (y + 0.5)) / n))) * 180) / Math.PI;
  return [centreLon, centreLat];
}

/** Ground distance in metres between two [lon, lat] points (haversine). */
export function metresBetween(a: readonly number[], b: readonly number[]): number {
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLon = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(h));
}
