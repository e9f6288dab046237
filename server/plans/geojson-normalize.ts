// An uploaded GeoJSON is parsed in Node and written again with only what the import needs — features, their
// properties and geometries, and a CRS named by EPSG code — before GDAL reads it: a "crs" that links to a URL or
// names a file (GDAL would fetch or read it), or any other member, never reaches GDAL. Every check is a loop over
// a known depth (no recursion over user input), so a deeply nested file cannot exhaust the stack.
import { ImportRefused } from './import-errors.ts';

const CRS_NAME =
  /^(?:EPSG:\d{1,6}|urn:ogc:def:crs:EPSG::\d{1,6}|urn:ogc:def:crs:OGC:1\.3:CRS84|urn:ogc:def:crs:OGC::CRS84)$/;
/** How deep a nested property value (an object or array, kept as JSON text by GDAL) may go. */
const PROPERTY_DEPTH = 16;
/** How deep the whole document may nest: a MultiPolygon in a feature in a collection is 7; JSON.parse of
 * millions of nested brackets takes seconds of the event loop, so that is refused before parsing. */
const DOCUMENT_DEPTH = 32;

/** Whether the JSON text nests deeper than `limit`, by one linear scan that skips strings. */
function nestsDeeper(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const isObject = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

function refuse(where: string, what: string): never {
  throw new ImportRefused(`GeoJSON ${where}: ${what}`);
}

function position(p: unknown, where: string): void {
  if (!Array.isArray(p) || p.length < 2 || p.length > 4 || !p.every((n) => typeof n === 'number' && Number.isFinite(n)))
    refuse(where, 'a position is an array of 2 to 4 numbers');
}
function positions(list: unknown, where: string): void {
  if (!Array.isArray(list)) refuse(where, 'coordinates of the wrong shape');
  for (const p of list) position(p, where);
}
function positionLists(list: unknown, where: string): void {
  if (!Array.isArray(list)) refuse(where, 'coordinates of the wrong shape');
  for (const l of list) positions(l, where);
}

const SIMPLE = ['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon'];

/** A geometry with exactly the nesting its type has; a GeometryCollection of simple geometries only. */
function geometry(g: unknown, where: string, inCollection = false): Json {
  if (g === null && !inCollection) return null;
  if (!isObject(g) || typeof g.type !== 'string') refuse(where, 'a geometry is an object with a "type"');
  if (g.type === 'GeometryCollection' && !inCollection) {
    if (!Array.isArray(g.geometries)) refuse(where, 'a GeometryCollection has "geometries"');
    return { type: g.type, geometries: g.geometries.map((m) => geometry(m, where, true)) };
  }
  if (!SIMPLE.includes(g.type))
    refuse(where, `geometry type ${JSON.stringify(String(g.type).slice(0, 40))} is not accepted`);
  const c = g.coordinates;
  switch (g.type) {
    case 'Point':
      position(c, where);
      break;
    case 'MultiPoint':
    case 'LineString':
      positions(c, where);
      break;
    case 'MultiLineString':
    case 'Polygon':
      positionLists(c, where);
      break;
    default:
      if (!Array.isArray(c)) refuse(where, 'coordinates of the wrong shape');
      for (const polygon of c) positionLists(polygon, where);
  }
  return { type: g.type, coordinates: c };
}

/** Depth of a JSON value, measured with an explicit stack; stops past `limit`. */
function depthOver(value: Json, limit: number): boolean {
  const stack: [Json, number][] = [[value, 1]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (d > limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, d + 1]);
  }
  return false;
}

function properties(p: unknown, where: string): Json {
  if (p === null || p === undefined) return null;
  if (!isObject(p)) refuse(where, '"properties" is an object');
  for (const value of Object.values(p)) {
    if (typeof value === 'object' && value !== null && depthOver(value, PROPERTY_DEPTH))
      refuse(where, `property values nest deeper than ${PROPERTY_DEPTH} levels`);
  }
  return p;
}

function crs(c: unknown): Json | undefined {
  if (c === undefined || c === null) return undefined;
  const name = isObject(c) && c.type === 'name' && isObject(c.properties) ? c.properties.name : undefined;
  if (typeof name !== 'string' || !CRS_NAME.test(name))
    refuse(
      '"crs"',
      'only a CRS named by its EPSG code (e.g. {"type":"name","properties":{"name":"EPSG:3857"}}) is accepted',
    );
  return { type: 'name', properties: { name } };
}

/** Parses and rewrites an uploaded GeoJSON (a FeatureCollection or one Feature) for GDAL. */
export function normalizeGeoJson(bytes: Buffer): string {
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (nestsDeeper(text, DOCUMENT_DEPTH))
    throw new ImportRefused(`the GeoJSON file nests deeper than ${DOCUMENT_DEPTH} levels`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new ImportRefused('the GeoJSON file is not valid JSON');
  }
  if (!isObject(doc)) refuse('file', 'the top level is an object');
  const list =
    doc.type === 'FeatureCollection'
      ? doc.features
      : doc.type === 'Feature'
        ? [doc]
        : refuse('file', 'the top level is a FeatureCollection or a Feature');
  if (!Array.isArray(list)) refuse('file', 'a FeatureCollection has a "features" array');
  const features = list.map((f, i) => {
    const where = `feature ${i + 1}`;
    if (!isObject(f) || f.type !== 'Feature') refuse(where, 'a feature is an object of type "Feature"');
    const out: Record<string, Json> = {
      type: 'Feature',
      properties: properties(f.properties, where),
      geometry: geometry(f.geometry, where),
    };
    if (typeof f.id === 'string' || (typeof f.id === 'number' && Number.isFinite(f.id))) out.id = f.id;
    return out;
  });
  const named = crs(doc.crs);
  return JSON.stringify(
    named ? { type: 'FeatureCollection', crs: named, features } : { type: 'FeatureCollection', features },
  );
}
