// The planner's files: export a plan as GeoJSON, GeoPackage or zipped Shapefile (units, and the grids unioned per
// label); import an assignment — read and check the file (nothing written), refuse what cannot be loaded, then write
// it into a new draft in one transaction with its audit row, reporting progress as rows are written.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Pool } from '../postgres/pool.ts';
import { inTransaction } from '../postgres/pool.ts';
import { HttpError } from '../http-error.ts';
import { audit } from '../auth/audit.ts';
import type { UserPrincipal } from '../../shared/roles.ts';
import type { PlanExportQuery, PlanImportBody } from '../../shared/api/plans.ts';
import { checkImport, createImportedDraft, planFilesGeoJson, type ImportCheck } from '../db/plan-files-repo.ts';
import { ogr, withTempDir } from './ogr.ts';
import { ImportRefused, readGeodata, type ReadFile } from './import-file.ts';
import type { Driver } from './gdal-env.ts';
import { extractRows, guessMapping, listFields, type FieldMapping } from './import-mapping.ts';
import { noPlan } from './plan-errors.ts';

const EXPORTS = {
  geojson: { type: 'application/geo+json', ext: 'geojson' },
  gpkg: { type: 'application/geopackage+sqlite3', ext: 'gpkg' },
  shp: { type: 'application/zip', ext: 'shp.zip' },
} as const;

/** Writes both layers with ogr2ogr: a GeoPackage with layers units and grids, or a zip of units.shp and grids.shp. */
async function convert(dir: string, layers: { units: string; grids: string }, format: 'gpkg' | 'shp'): Promise<Buffer> {
  for (const [name, text] of Object.entries(layers)) await writeFile(path.join(dir, `${name}.geojson`), text);
  const gpkg = path.join(dir, 'plan.gpkg');
  // Our own files, but the same hardened runner: the drivers each step needs and nothing else.
  const run = (drivers: Driver[], args: string[]) => ogr('ogr2ogr', args, { drivers, dir });
  await run(
    ['GeoJSON', 'GPKG'],
    ['-f', 'GPKG', gpkg, path.join(dir, 'units.geojson'), '-nln', 'units', '-nlt', 'MULTIPOLYGON'],
  );
  await run(
    ['GeoJSON', 'GPKG'],
    ['-f', 'GPKG', '-update', gpkg, path.join(dir, 'grids.geojson'), '-nln', 'grids', '-nlt', 'MULTIPOLYGON'],
  );
  if (format === 'gpkg') return readFile(gpkg);
  const zip = path.join(dir, 'plan.shp.zip');
  await run(['GPKG', 'ESRI Shapefile'], ['-f', 'ESRI Shapefile', zip, gpkg, '-lco', 'ENCODING=UTF-8']);
  return readFile(zip);
}

/** Plan `id` as a file: its name, media type and bytes. */
export async function exportPlan(pool: Pool, countyCode: string, id: number, { format, layer }: PlanExportQuery) {
  const layers = await planFilesGeoJson(pool, countyCode, id);
  if (!layers) throw noPlan(id);
  const { type, ext } = EXPORTS[format];
  const name = format === 'geojson' ? `plan-${id}-${layer}.${ext}` : `plan-${id}.${ext}`;
  const body = format === 'geojson' ? layers[layer] : await withTempDir((dir) => convert(dir, layers, format));
  return { name, type, body };
}

export interface PreparedImport {
  file: ReadFile;
  mapping: FieldMapping;
  body: PlanImportBody;
  extracted: ReturnType<typeof extractRows>;
  check: ImportCheck;
}

/** Reads and checks an upload; nothing is written. */
export async function prepareImport(
  pool: Pool,
  countyCode: string,
  bytes: Buffer,
  body: PlanImportBody,
): Promise<PreparedImport> {
  const file = await withTempDir((dir) => readGeodata(dir, bytes, body.gcj02)).catch((error: unknown) => {
    throw error instanceof ImportRefused ? new HttpError(400, error.message, 'InvalidFile') : error;
  });
  const fields = listFields(file.features);
  const guessed = guessMapping(fields);
  const mapping: FieldMapping = {
    unitField: body.unitField ?? guessed.unitField,
    labelField: body.labelField ?? guessed.labelField,
    householdsField: body.householdsField ?? guessed.householdsField,
  };
  const extracted = extractRows(file.features, fields, mapping);
  const check = await checkImport(pool, countyCode, extracted.rows, body.repair);
  return { file, mapping, body, extracted, check };
}

/** What the preview shows: the file, its fields, a sample, the mapping and every problem. */
export function importPreview({ file, mapping, extracted, check }: PreparedImport) {
  return {
    format: file.format,
    layer: file.layer,
    layers: file.layers,
    crs: file.crs,
    features: file.features.length,
    fields: extracted.fields,
    sample: file.features.slice(0, 10).map((f) => f.properties),
    mapping,
    problems: { ...extracted.problems, ...check },
    changes: extracted.rows.length,
  };
}

/** Refuses (422) a file that cannot be loaded: unmapped fields, wrong types, units twice or unknown, invalid
 * geometry without consent to repair it. */
export function requireLoadable({ body, extracted, check }: PreparedImport): void {
  const { typeErrors, duplicates, missingFields } = extracted.problems;
  if (missingFields.length)
    throw new HttpError(422, `map the fields first: ${missingFields.join(', ')}`, 'InvalidFile', { missingFields });
  if (typeErrors.length || duplicates.length || check.unknown.length) {
    const parts = [
      typeErrors.length
        ? `${typeErrors.length} value(s) of the wrong type (first: row ${typeErrors[0].row}, ${typeErrors[0].field}: ${typeErrors[0].message})`
        : '',
      duplicates.length ? `units named twice: ${duplicates.slice(0, 10).join(', ')}` : '',
      check.unknown.length
        ? `unknown units: ${check.unknown.slice(0, 10).join(', ')}${check.unknown.length > 10 ? ` … ${check.unknown.length - 10} more` : ''}`
        : '',
    ].filter(Boolean);
    throw new HttpError(422, `the file cannot be loaded: ${parts.join('; ')}`, 'InvalidFile', {
      typeErrors,
      duplicates,
      unknown: check.unknown,
    });
  }
  if (check.invalid.length && !body.repair) {
    throw new HttpError(
      422,
      `${check.invalid.length} feature(s) have invalid geometry (${check.invalid
        .slice(0, 5)
        .map((i) => `${i.unitId}: ${i.reason}`)
        .join('; ')}); repair them with consent (repair=true) or fix the file`,
      'InvalidGeometry',
      { invalid: check.invalid },
    );
  }
}

/** Writes a checked import into a new draft named `name`, in one transaction with its audit row; the new plan's id. */
export function applyImport(
  pool: Pool,
  countyCode: string,
  caller: { principal: UserPrincipal; ip: string | undefined },
  { file, mapping, body, extracted, check }: PreparedImport,
  name: string,
  progress: (done: number) => void,
): Promise<number> {
  return inTransaction(pool, async (client) => {
    const id = await createImportedDraft(client, countyCode, name, caller.principal.userId, extracted.rows, progress);
    await audit(client, countyCode, caller.principal, {
      action: 'plan.import',
      target: `plan:${id}`,
      after: {
        name,
        format: file.format,
        layer: file.layer,
        crs: file.crs,
        gcj02: body.gcj02,
        repaired: body.repair ? check.invalid.length : 0,
        rows: extracted.rows.length,
        mapping,
      },
      ip: caller.ip,
    });
    return id;
  });
}
