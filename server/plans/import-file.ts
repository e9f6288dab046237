// Reads an uploaded GeoJSON, GeoPackage or zipped Shapefile with ogr2ogr into GeoJSON in WGS84 (reprojected from
// the file's CRS; GCJ-02 converted on request). Throws ImportRefused for a file that is not geodata or is empty.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import { gcj02ToWgs84 } from './gcj02.ts';
import { ogr, OgrFailed } from './ogr.ts';

export class ImportRefused extends Error {}

export interface ReadFile {
  format: 'GeoJSON' | 'GeoPackage' | 'Shapefile';
  layer: string;
  layers: string[];
  /** The file's CRS as GDAL names it; null when the file has none (WGS84 assumed). */
  crs: string | null;
  features: Feature<Geometry | null, Record<string, unknown>>[];
}

function sniff(bytes: Buffer): { format: ReadFile['format']; name: string } {
  if (bytes.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))) return { format: 'Shapefile', name: 'upload.zip' };
  if (bytes.subarray(0, 16).toString('latin1') === 'SQLite format 3\0') return { format: 'GeoPackage', name: 'upload.gpkg' };
  if (/^\s*\{/.test(bytes.subarray(0, 64).toString('utf8').replace(/^\uFEFF/, ''))) return { format: 'GeoJSON', name: 'upload.geojson' };
  throw new ImportRefused('not a geodata file: send GeoJSON, a GeoPackage or a zipped Shapefile');
}

function mapPositions(geometry: Geometry, fn: (p: Position) => Position): Geometry {
  const deep = (c: unknown): unknown => (typeof (c as unknown[])[0] === 'number' ? fn(c as Position) : (c as unknown[]).map(deep));
  if (geometry.type === 'GeometryCollection') return { ...geometry, geometries: geometry.geometries.map((g) => mapPositions(g, fn)) };
  return { ...geometry, coordinates: deep(geometry.coordinates) } as Geometry;
}

/** Reads the upload (in `dir`, a temp dir the caller removes); the layer named "units" wins, else the first. */
export async function readGeodata(dir: string, bytes: Buffer, gcj02: boolean): Promise<ReadFile> {
  if (!bytes.length) throw new ImportRefused('the file is empty');
  const { format, name } = sniff(bytes);
  await writeFile(path.join(dir, name), bytes);
  const source = format === 'Shapefile' ? `/vsizip/${path.join(dir, name)}` : path.join(dir, name);
  let listing: string;
  try {
    listing = await ogr('ogrinfo', ['-ro', '-q', source]);
  } catch (error) {
    if (error instanceof OgrFailed) throw new ImportRefused(`GDAL cannot read the ${format} file: ${error.message}`);
    throw error;
  }
  const layers = [...listing.matchAll(/^\d+: (.+?)(?: \(.*\))?$/gm)].map((m) => m[1]);
  if (!layers.length) throw new ImportRefused(`the ${format} file holds no layer`);
  const layer = layers.includes('units') ? 'units' : layers[0];
  // A layer name is passed to GDAL as an argument: one that reads as an option is refused.
  if (layer.startsWith('-')) throw new ImportRefused(`the layer name "${layer}" is not accepted; rename the layer`);
  const summary = await ogr('ogrinfo', ['-ro', '-so', source, layer]);
  const crsMatch = /Layer SRS WKT:\n(\S[^\n]*)/.exec(summary);
  const crs = !crsMatch || crsMatch[1] === '(unknown)' ? null : (/^\w+\["([^"]+)"/.exec(crsMatch[1])?.[1] ?? crsMatch[1]);
  const reproject = crs ? ['-t_srs', 'EPSG:4326'] : [];
  const text = await ogr('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', source, layer, ...reproject, '-lco', 'RFC7946=NO']);
  const collection = JSON.parse(text) as FeatureCollection<Geometry | null, Record<string, unknown> | null>;
  if (!collection.features?.length) throw new ImportRefused(`layer "${layer}" of the ${format} file has no features`);
  const features = collection.features.map((f) => ({
    ...f,
    properties: f.properties ?? {},
    geometry: f.geometry && gcj02 ? mapPositions(f.geometry, (p) => [...gcj02ToWgs84([p[0], p[1]]), ...p.slice(2)]) : f.geometry,
  }));
  return { format, layer, layers, crs, features };
}
