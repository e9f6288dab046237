// GeoJSON geometries as well-known binary (little-endian, 2D), the form PostGIS reads fastest: a county package's
// hundreds of thousands of rows are staged as WKB rather than as GeoJSON text PostGIS would parse again.
import type { Geometry, Position } from 'geojson';

const TYPES = {
  Point: 1,
  LineString: 2,
  Polygon: 3,
  MultiPoint: 4,
  MultiLineString: 5,
  MultiPolygon: 6,
  GeometryCollection: 7,
} as const;

function size(g: Geometry): number {
  const ring = (r: Position[]) => 4 + 16 * r.length;
  switch (g.type) {
    case 'Point':
      return 5 + 16;
    case 'LineString':
      return 5 + ring(g.coordinates);
    case 'Polygon':
      return 9 + g.coordinates.reduce((n, r) => n + ring(r), 0);
    case 'MultiPoint':
      return 9 + g.coordinates.length * 21;
    case 'MultiLineString':
      return 9 + g.coordinates.reduce((n, r) => n + 5 + ring(r), 0);
    case 'MultiPolygon':
      return 9 + g.coordinates.reduce((n, p) => n + 9 + p.reduce((m, r) => m + ring(r), 0), 0);
    case 'GeometryCollection':
      return 9 + g.geometries.reduce((n, c) => n + size(c), 0);
  }
}

/** The geometry as WKB; an empty point (NaN coordinates) is written as WKB does. */
export function toWkb(geometry: Geometry): Buffer {
  const buf = Buffer.allocUnsafe(size(geometry));
  let at = 0;
  const u32 = (v: number) => (at = buf.writeUInt32LE(v, at));
  const head = (type: number) => {
    at = buf.writeUInt8(1, at);
    u32(type);
  };
  const point = (p: Position) => {
    at = buf.writeDoubleLE(p[0], at);
    at = buf.writeDoubleLE(p[1], at);
  };
  const ring = (r: Position[]) => {
    u32(r.length);
    r.forEach(point);
  };
  const polygon = (rings: Position[][]) => {
    u32(rings.length);
    rings.forEach(ring);
  };
  const write = (g: Geometry): void => {
    head(TYPES[g.type]);
    switch (g.type) {
      case 'Point':
        return point(g.coordinates);
      case 'LineString':
        return ring(g.coordinates);
      case 'Polygon':
        return polygon(g.coordinates);
      case 'MultiPoint':
        u32(g.coordinates.length);
        return g.coordinates.forEach((p) => {
          head(1);
          point(p);
        });
      case 'MultiLineString':
        u32(g.coordinates.length);
        return g.coordinates.forEach((l) => {
          head(2);
          ring(l);
        });
      case 'MultiPolygon':
        u32(g.coordinates.length);
        return g.coordinates.forEach((p) => {
          head(3);
          polygon(p);
        });
      case 'GeometryCollection':
        u32(g.geometries.length);
        return g.geometries.forEach(write);
    }
  };
  write(geometry);
  return buf;
}
