// Reads an uploaded GeoJSON, GeoPackage or zipped Shapefile into GeoJSON features in WGS84 (reprojected from the
// file's CRS; GCJ-02 converted on request). Each format is checked in Node before GDAL sees it (GeoJSON rewritten,
// GeoPackage schema read, zip listed and one Shapefile extracted) and GDAL then runs with that one driver only,
// writing GeoJSON lines to a temp file that is read back line by line. Throws ImportRefused for a file that is not
// accepted geodata, is hostile, or is empty.
import { createReadStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Feature, Geometry, Position } from 'geojson';
import { gcj02ToWgs84 } from './gcj02.ts';
import type { Driver } from './gdal-env.ts';
import { normalizeGeoJson } from './geojson-normalize.ts';
import { checkGeoPackage } from './gpkg-check.ts';
import { ImportRefused } from './import-errors.ts';
import { layerNamesOf } from './ogr-listing.ts';
import { ogr, OgrFailed } from './ogr.ts';
import { extractShapefile, ZipRefused } from './zip-extract.ts';

export { ImportRefused };

export const IMPORT_LIMITS = {
  /** Features read from one file. */
  features: 200_000,
  /** Distinct attribute fields, and the length of a field name. */
  fields: 500,
  fieldNameLength: 255,
} as const;

export interface ReadFile {
  format: 'GeoJSON' | 'GeoPackage' | 'Shapefile';
  layer: string;
  layers: string[];
  /** The file's CRS as GDAL names it; null when the file has none (WGS84 assumed). */
  crs: string | null;
  features: Feature<Geometry | null, Record<string, unknown>>[];
}

function sniff(bytes: Buffer): ReadFile['format'] {
  if (bytes.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))) return 'Shapefile';
  if (bytes.subarray(0, 16).toString('latin1') === 'SQLite format 3\0') return 'GeoPackage';
  const head = bytes
    .subarray(0, 64)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (head.startsWith('{')) return 'GeoJSON';
  throw new ImportRefused('not a geodata file: send GeoJSON, a GeoPackage or a zipped Shapefile');
}

function mapPositions(geometry: Geometry, fn: (p: Position) => Position): Geometry {
  const deep = (c: unknown): unknown =>
    typeof (c as unknown[])[0] === 'number' ? fn(c as Position) : (c as unknown[]).map(deep);
  if (geometry.type === 'GeometryCollection')
    return { ...geometry, geometries: geometry.geometries.map((g) => mapPositions(g, fn)) };
  return { ...geometry, coordinates: deep(geometry.coordinates) } as Geometry;
}

interface Source {
  path: string;
  drivers: Driver[];
  readOnlySqlite: boolean;
  /** Names shown for the layers when GDAL only sees our fixed file names (zip). */
  shownLayer?: string;
  shownLayers?: string[];
}

/** Checks the upload in Node and writes what GDAL may open into `dir`. */
async function prepareSource(dir: string, bytes: Buffer, format: ReadFile['format']): Promise<Source> {
  if (format === 'GeoJSON') {
    const file = path.join(dir, 'upload.geojson');
    await writeFile(file, normalizeGeoJson(bytes), { flag: 'wx', mode: 0o600 });
    return { path: file, drivers: ['GeoJSON', 'GeoJSONSeq'], readOnlySqlite: false };
  }
  if (format === 'GeoPackage') {
    await checkGeoPackage(bytes);
    const file = path.join(dir, 'upload.gpkg');
    await writeFile(file, bytes, { flag: 'wx', mode: 0o600 });
    return { path: file, drivers: ['GPKG', 'GeoJSONSeq'], readOnlySqlite: true };
  }
  const folder = path.join(dir, 'shp');
  await mkdir(folder, { mode: 0o700 });
  try {
    const shp = await extractShapefile(bytes, folder);
    return {
      path: shp.shp,
      drivers: ['ESRI Shapefile', 'GeoJSONSeq'],
      readOnlySqlite: false,
      shownLayer: shp.chosen,
      shownLayers: shp.layers,
    };
  } catch (error) {
    throw error instanceof ZipRefused ? new ImportRefused(error.message) : error;
  }
}

/** Reads the GeoJSON lines GDAL wrote, within the feature and field limits. */
async function readLines(file: string): Promise<Feature<Geometry | null, Record<string, unknown>>[]> {
  const features: Feature<Geometry | null, Record<string, unknown>>[] = [];
  const fields = new Set<string>();
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      if (!line.trim()) continue;
      if (features.length >= IMPORT_LIMITS.features)
        throw new ImportRefused(`the file holds more than ${IMPORT_LIMITS.features} features`);
      let f: Feature<Geometry | null, Record<string, unknown> | null>;
      try {
        f = JSON.parse(line);
      } catch {
        throw new ImportRefused('GDAL wrote a feature that cannot be read back');
      }
      const properties = f.properties ?? {};
      for (const key of Object.keys(properties)) {
        if (fields.has(key)) continue;
        if (key.length > IMPORT_LIMITS.fieldNameLength)
          throw new ImportRefused(`a field name is longer than ${IMPORT_LIMITS.fieldNameLength} characters`);
        fields.add(key);
        if (fields.size > IMPORT_LIMITS.fields)
          throw new ImportRefused(`the file has more than ${IMPORT_LIMITS.fields} fields`);
      }
      features.push({ ...f, properties });
    }
  } finally {
    lines.close();
  }
  return features;
}

/**
 * Reads the upload (in `dir`, a private temp dir the caller removes); the layer named "units" wins, else the first.
 * `sourceCrs` (e.g. "EPSG:4526"), when given, is what the coordinates of a file with a CRS of its own are really in:
 * GDAL reprojects from it instead (a county's manifest correcting a wrong .prj).
 */
export async function readGeodata(dir: string, bytes: Buffer, gcj02: boolean, sourceCrs?: string): Promise<ReadFile> {
  if (!bytes.length) throw new ImportRefused('the file is empty');
  const format = sniff(bytes);
  const source = await prepareSource(dir, bytes, format);
  const run = (tool: 'ogr2ogr' | 'ogrinfo', args: string[]) =>
    ogr(tool, args, { drivers: source.drivers, dir, readOnlySqlite: source.readOnlySqlite }).catch((error: unknown) => {
      if (!(error instanceof OgrFailed)) throw error;
      if (error.reason === 'timeout') throw new ImportRefused(`the ${format} file took too long to read`);
      if (error.reason === 'output') throw new ImportRefused(`the ${format} file is too large once converted`);
      throw new ImportRefused(`GDAL cannot read the ${format} file: ${error.message}`);
    });
  const listing = await run('ogrinfo', ['-ro', '-q', source.path]);
  const layers = layerNamesOf(listing);
  if (!layers.length) throw new ImportRefused(`the ${format} file holds no layer`);
  const layer = layers.includes('units') ? 'units' : layers[0];
  // A layer name is passed to GDAL as an argument: one that reads as an option is refused.
  if (layer.startsWith('-'))
    throw new ImportRefused(`the layer name "${layer.slice(0, 80)}" is not accepted; rename the layer`);
  const summary = await run('ogrinfo', ['-ro', '-so', source.path, layer]);
  const crsMatch = /Layer SRS WKT:\n(\S[^\n]*)/.exec(summary);
  const crs =
    !crsMatch || crsMatch[1] === '(unknown)' ? null : (/^\w+\["([^"]+)"/.exec(crsMatch[1])?.[1] ?? crsMatch[1]);
  const reproject = crs ? [...(sourceCrs ? ['-s_srs', sourceCrs] : []), '-t_srs', 'EPSG:4326'] : [];
  const out = path.join(dir, 'features.geojsonl');
  await run('ogr2ogr', ['-f', 'GeoJSONSeq', out, source.path, layer, ...reproject, '-lco', 'COORDINATE_PRECISION=15']);
  const read = await readLines(out);
  if (!read.length) throw new ImportRefused(`layer "${layer.slice(0, 80)}" of the ${format} file has no features`);
  const features = read.map((f) => ({
    ...f,
    geometry:
      f.geometry && gcj02
        ? mapPositions(f.geometry, (p) => [...gcj02ToWgs84([p[0], p[1]]), ...p.slice(2)])
        : f.geometry,
  }));
  return { format, layer: source.shownLayer ?? layer, layers: source.shownLayers ?? layers, crs, features };
}
