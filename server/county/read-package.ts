// Reads a county package folder (docs/county-package.md): the manifest, then per role the file the manifest names
// or `<role>.<ext>`, each through the reader of its format — GeoJSON, GeoPackage and zipped Shapefile by the
// planner's hardened reader, CSV and XLSX as tables whose columns are mapped to our fields. Sizes and counts are
// checked before a byte is parsed; only regular files directly in the folder are opened (no links).
import { constants } from 'node:fs';
import { lstat, open, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Feature, Geometry } from 'geojson';
import { CountyManifest, PACKAGE_ROLES, type PackageRole } from '../../shared/county-manifest.ts';
import type { LayerReport, Problem } from '../../shared/api/county-report.ts';
import { ImportRefused, readGeodata } from '../plans/import-file.ts';
import { withTempDir } from '../plans/ogr.ts';
import { TableRefused, readCsv, type Table } from './csv.ts';
import { guessMapping, type Field } from './columns.ts';
import { crsPlan, convertPoint, manifestEpsg, mapGeometry } from './crs.ts';
import { problem } from './problems.ts';
import { layerRows, tableRows, type StageRow } from './rows.ts';
import { readXlsx } from './xlsx.ts';

export const PACKAGE_LIMITS = {
  /** Entries of the folder (files of any kind). */
  entries: 500,
  manifestBytes: 64 * 1024,
  /** One file, and all files read. */
  fileBytes: 256 * 1024 * 1024,
  totalBytes: 1024 * 1024 * 1024,
} as const;

const EXTENSIONS = ['geojson', 'json', 'gpkg', 'zip', 'csv', 'xlsx'] as const;

/** Fields a table must have for its role to be read (tables carry points, not outlines). */
const TABLE_NEEDS: Partial<Record<PackageRole, Field[]>> = {
  compounds: ['lon', 'lat', 'households'],
  buildings: ['lon', 'lat'],
  stations: ['lon', 'lat'],
  people: ['name'],
  'member-units': ['name'],
};

const DERIVED: Partial<Record<PackageRole, string>> = {
  communities: 'derived from the compounds of each community',
  grids: 'made by the balancing engine within the bounds',
  buildings: 'none: the compounds are the units',
  county: 'the outline of all compounds',
  streets: 'derived from the communities',
};

export interface ReadPackage {
  manifest: CountyManifest | null;
  layers: LayerReport[];
  rows: StageRow[];
  problems: Problem[];
}

async function readSmallFile(file: string, limit: number): Promise<Buffer> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new ImportRefused('not a regular file');
    if (stat.size > limit) throw new ImportRefused(`larger than ${Math.round(limit / 1024 / 1024)} MB`);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

async function readManifest(dir: string, problems: Problem[]): Promise<CountyManifest | null> {
  let bytes: Buffer;
  try {
    bytes = await readSmallFile(path.join(dir, 'county.json'), PACKAGE_LIMITS.manifestBytes);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    problems.push(problem(missing ? 'manifest_missing' : 'manifest_invalid', 'block', {}, { message: `${error}` }));
    return null;
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    problems.push(problem('manifest_invalid', 'block', {}, { message: (error as Error).message.slice(0, 200) }));
    return null;
  }
  const parsed = CountyManifest.safeParse(json);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues.slice(0, 20))
    problems.push(problem('manifest_invalid', 'block', {}, { field: issue.path.join('.'), message: issue.message }));
  return null;
}

/** The file of each role: the manifest's name, else `<role>.<ext>` (the first extension found). */
function filesByRole(manifest: CountyManifest, names: string[], problems: Problem[]): Map<PackageRole, string> {
  const found = new Map<PackageRole, string>();
  const lower = new Map(names.map((n) => [n.toLowerCase(), n]));
  for (const role of PACKAGE_ROLES) {
    const given = manifest.files?.[role];
    if (given !== undefined) {
      if (names.includes(given)) found.set(role, given);
      else problems.push(problem('file_missing', 'block', { layer: role }, { file: given }));
      continue;
    }
    const name = EXTENSIONS.map((ext) => lower.get(`${role}.${ext}`)).find(
      (n) => n !== undefined && n !== 'county.json',
    );
    if (name) found.set(role, name);
  }
  return found;
}

type Format = NonNullable<LayerReport['format']>;

function readTable(bytes: Buffer, ext: string): { table: Table; format: Format } {
  if (ext === 'xlsx') return { table: readXlsx(bytes), format: 'XLSX' };
  return { table: readCsv(bytes), format: 'CSV' };
}

async function readRole(
  manifest: CountyManifest,
  role: PackageRole,
  file: string,
  bytes: Buffer,
  seq: { next: number },
): Promise<{ layer: LayerReport; rows: StageRow[]; problems: Problem[] }> {
  const ext = path.extname(file).slice(1).toLowerCase();
  const given = manifest.crs?.[role];
  const manifestFields = manifest.fields?.[role] ?? {};
  const layer: LayerReport = {
    role,
    file,
    status: 'read',
    format: null,
    features: 0,
    crs: null,
    mapping: {},
    approximate: 0,
    derivation: null,
  };
  if (ext === 'csv' || ext === 'xlsx') {
    if (!TABLE_NEEDS[role]) throw new ImportRefused(`a ${ext.toUpperCase()} table cannot hold ${role} outlines`);
    const { table, format } = readTable(bytes, ext);
    const plan = crsPlan(given, null);
    const mapping = guessMapping(table.header, manifestFields);
    Object.assign(layer, { format, crs: plan.label, mapping: mapping.fields, columns: table.header.slice(0, 200) });
    const problems: Problem[] = mapping.missing.map((column) =>
      problem('column_missing', 'block', { layer: role }, { column, columns: table.header.join(', ').slice(0, 300) }),
    );
    const lacking = (TABLE_NEEDS[role] ?? []).filter((f) => !mapping.fields[f]);
    if (lacking.length || problems.length) {
      if (lacking.length)
        problems.push(
          problem(
            'columns_unmapped',
            'block',
            { layer: role },
            {
              fields: lacking.join(', '),
              columns: table.header.join(', ').slice(0, 300),
            },
          ),
        );
      return { layer: { ...layer, status: 'failed' }, rows: [], problems };
    }
    const read = tableRows(role, table, mapping.fields, plan, seq);
    layer.features = read.rows.length;
    layer.approximate = read.rows.filter((r) => r.geometry?.type === 'Point' && r.role !== 'stations').length;
    return { layer, rows: read.rows, problems: [...problems, ...read.problems] };
  }
  const epsg = manifestEpsg(given);
  const geodata = await withTempDir((dir) =>
    readGeodata(dir, bytes, given === 'gcj02', epsg === null ? undefined : `EPSG:${epsg}`),
  );
  const plan = crsPlan(given, geodata.crs);
  const seen = new Set<string>();
  for (const f of geodata.features) for (const key in f.properties) seen.add(key);
  const columns = [...seen];
  const mapping = guessMapping(columns, manifestFields);
  Object.assign(layer, {
    format: geodata.format,
    crs: plan.label,
    mapping: mapping.fields,
    columns: columns.slice(0, 200),
  });
  const problems = mapping.missing.map((column) =>
    problem('column_missing', 'block', { layer: role }, { column, columns: columns.join(', ').slice(0, 300) }),
  );
  if (role === 'compounds' && !mapping.fields.households)
    problems.push(
      problem(
        'columns_unmapped',
        'block',
        { layer: role },
        {
          fields: 'households',
          columns: columns.join(', ').slice(0, 300),
        },
      ),
    );
  const features: Feature<Geometry | null, Record<string, unknown>>[] =
    plan.offset === 'bd09'
      ? geodata.features.map((f) => ({
          ...f,
          geometry: f.geometry && mapGeometry(f.geometry, (p) => convertPoint(p, 'bd09')),
        }))
      : geodata.features;
  const read = layerRows(role, features, mapping.fields, plan, geodata.crs !== null || given !== undefined, seq);
  layer.features = read.rows.length;
  layer.approximate = read.rows.filter((r) => r.geometry?.type === 'Point' && r.role !== 'stations').length;
  return { layer, rows: read.rows, problems: [...problems, ...read.problems] };
}

function refusal(role: PackageRole, file: string, error: unknown): Problem {
  if (error instanceof TableRefused)
    return problem(error.code, 'block', { layer: role }, { file, message: error.message.slice(0, 300) });
  if (error instanceof ImportRefused)
    return problem('file_unreadable', 'block', { layer: role }, { file, message: error.message.slice(0, 300) });
  throw error;
}

/**
 * Reads every file of the package in `dir`; problems found while reading are returned with the rows. `progress`
 * gets a line per layer read.
 */
export async function readPackage(dir: string, progress?: (line: string) => void): Promise<ReadPackage> {
  const problems: Problem[] = [];
  const entries = await readdir(dir);
  if (entries.length > PACKAGE_LIMITS.entries) {
    problems.push(problem('file_refused', 'block', {}, { message: `more than ${PACKAGE_LIMITS.entries} files` }));
    return { manifest: null, layers: [], rows: [], problems };
  }
  const manifest = await readManifest(dir, problems);
  if (!manifest) return { manifest, layers: [], rows: [], problems };
  const files = filesByRole(manifest, entries, problems);
  let total = 0;
  for (const [role, file] of files) {
    const stat = await lstat(path.join(dir, file));
    total += stat.size;
    const why = !stat.isFile()
      ? 'not a regular file (links and folders are not read)'
      : stat.size > PACKAGE_LIMITS.fileBytes
        ? `larger than ${PACKAGE_LIMITS.fileBytes / 1024 / 1024} MB`
        : total > PACKAGE_LIMITS.totalBytes
          ? `the package is larger than ${PACKAGE_LIMITS.totalBytes / 1024 / 1024} MB`
          : null;
    if (why) {
      problems.push(problem('file_refused', 'block', { layer: role }, { file, message: why }));
      files.delete(role);
    }
  }
  const layers: LayerReport[] = [];
  const rows: StageRow[] = [];
  const seq = { next: 1 };
  for (const role of PACKAGE_ROLES) {
    const file = files.get(role);
    const missing: LayerReport = {
      role,
      file: file ?? null,
      status: file ? 'failed' : DERIVED[role] ? 'derived' : 'missing',
      format: null,
      features: 0,
      crs: null,
      mapping: {},
      approximate: 0,
      derivation: file ? null : (DERIVED[role] ?? null),
    };
    if (!file) {
      if (role === 'compounds')
        problems.push(problem('file_missing', 'block', { layer: role }, { file: 'compounds.*' }));
      layers.push(missing);
      continue;
    }
    try {
      const t0 = Date.now();
      const bytes = await readSmallFile(path.join(dir, file), PACKAGE_LIMITS.fileBytes);
      const read = await readRole(manifest, role, file, bytes, seq);
      layers.push(read.layer);
      // One at a time: a spread of 200,000 rows overflows the call stack.
      for (const row of read.rows) rows.push(row);
      for (const p of read.problems) problems.push(p);
      progress?.(`    read ${role}: ${read.layer.features} features of ${file}, ${Date.now() - t0} ms`);
      if (read.layer.status === 'read' && read.layer.features === 0)
        problems.push(problem('layer_empty', role === 'compounds' ? 'block' : 'warn', { layer: role }, { file }));
    } catch (error) {
      layers.push(missing);
      const p = refusal(role, file, error);
      // The planner's reader refuses a layer without features; for the report that is an empty layer.
      problems.push(/has no features$/.test(String(p.details.message)) ? { ...p, code: 'layer_empty' } : p);
    }
  }
  return { manifest, layers, rows, problems };
}
