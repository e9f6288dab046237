// The planner's files (/plan): export a plan as GeoJSON, GeoPackage or zipped Shapefile (units, and the grids
// unioned per label), and import an assignment from such a file — preview (fields, a sample, the problems), then
// apply into a new draft in one transaction, streaming progress lines. Planners and admins only. One import runs
// at a time per process (a second gets 429): reading a file spawns GDAL and holds the whole upload in memory.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import multer from 'multer';
import { z } from 'zod';
import type { Pool } from '../postgres/pool.ts';
import { inTransaction } from '../postgres/pool.ts';
import { HttpError, idParams, validate } from '../http-error.ts';
import type { Auth } from '../auth/gate.ts';
import { audit } from '../auth/audit.ts';
import { checkImport, createImportedDraft, planFilesGeoJson, type ImportCheck } from '../db/plan-files-repo.ts';
import { ogr, withTempDir } from '../plans/ogr.ts';
import { ImportRefused, readGeodata, type ReadFile } from '../plans/import-file.ts';
import type { Driver } from '../plans/gdal-env.ts';
import { extractRows, guessMapping, listFields, type FieldMapping } from '../plans/import-mapping.ts';

export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;
/** Seconds a caller turned away because another import runs is told to wait. */
export const IMPORT_RETRY_AFTER_SECONDS = 10;
/** An upload not received within this time is cut off: a slow sender must not hold the one import slot. */
export const IMPORT_UPLOAD_SECONDS = 120;

const IdParams = idParams('must be a plan id');
const ExportQuery = z.strictObject({
  format: z.enum(['geojson', 'gpkg', 'shp']),
  layer: z.enum(['units', 'grids']).default('units'),
});
const flag = z
  .enum(['true', 'false'])
  .default('false')
  .transform((v) => v === 'true');
const fieldName = z.string().min(1).max(100).optional();
const ImportBody = z.strictObject({
  unitField: fieldName,
  labelField: fieldName,
  householdsField: fieldName,
  repair: flag,
  gcj02: flag,
  name: z.string().trim().min(1).max(100).optional(),
});

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

interface Prepared {
  file: ReadFile;
  mapping: FieldMapping;
  body: z.output<typeof ImportBody>;
  extracted: ReturnType<typeof extractRows>;
  check: ImportCheck;
}

export function planFileRoutes(pool: Pool, countyCode: string, auth: Auth): Router {
  const router = Router();
  const planners = auth.requirePermission('plans:write');

  // One import at a time in this process, taken before the upload is received and given back when the answer is
  // sent, or, when the caller goes away first, once the work begun for it (GDAL, the transaction) is over.
  let importing = false;
  const oneImport: RequestHandler = (_req, res, next) => {
    if (importing) {
      res.set('Retry-After', String(IMPORT_RETRY_AFTER_SECONDS));
      return next(
        new HttpError(
          429,
          `another file is being imported; try again in ${IMPORT_RETRY_AFTER_SECONDS} s`,
          'TooManyRequests',
          { retryAfterSeconds: IMPORT_RETRY_AFTER_SECONDS },
        ),
      );
    }
    importing = true;
    res.once('finish', () => (importing = false));
    res.once(
      'close',
      () =>
        void Promise.resolve(res.locals.importWork)
          .catch(() => undefined)
          .finally(() => (importing = false)),
    );
    next();
  };
  /** The route's work, recorded so that the slot outlives a caller who disconnects while it runs. */
  const held = (handler: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response) => {
    // A caller gone during the upload has given the slot back already: no work starts without it.
    if (req.socket.destroyed) return;
    return (res.locals.importWork = handler(req, res));
  };

  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 10, fieldSize: 1024 },
  }).single('file');
  const receiveFile: RequestHandler = (req, res, next) => {
    if (!req.is('multipart/form-data'))
      return next(new HttpError(400, 'send multipart/form-data with the file in the field "file"'));
    const cutOff = setTimeout(() => req.destroy(), IMPORT_UPLOAD_SECONDS * 1000);
    upload(req, res, (err: unknown) => {
      clearTimeout(cutOff);
      if (!err) return req.file ? next() : next(new HttpError(400, 'no file: send it in the field "file"'));
      if (err instanceof multer.MulterError && err.code === 'LIMIT_FILE_SIZE')
        return next(new HttpError(413, `the file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB`));
      next(new HttpError(400, `bad upload: ${(err as Error).message}`));
    });
  };

  /** Reads and checks the upload; nothing is written. */
  async function prepare(bytes: Buffer, rawBody: unknown): Promise<Prepared> {
    const body = validate(ImportBody, rawBody ?? {}, 'body');
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

  router.get('/api/plans/:id/export', planners, async (req, res) => {
    const { id } = validate(IdParams, req.params, 'params');
    const { format, layer } = validate(ExportQuery, req.query, 'query');
    const layers = await planFilesGeoJson(pool, countyCode, id);
    if (!layers) throw new HttpError(404, `no plan ${id}`);
    const { type, ext } = EXPORTS[format];
    const name = format === 'geojson' ? `plan-${id}-${layer}.${ext}` : `plan-${id}.${ext}`;
    const body = format === 'geojson' ? layers[layer] : await withTempDir((dir) => convert(dir, layers, format));
    res
      .set({ 'Cache-Control': 'no-store', 'Content-Disposition': `attachment; filename="${name}"` })
      .type(type)
      .send(body);
  });

  router.post(
    '/api/plan-files/preview',
    planners,
    oneImport,
    receiveFile,
    held(async (req, res) => {
      const { file, mapping, extracted, check } = await prepare(req.file!.buffer, req.body);
      res.set('Cache-Control', 'no-store').json({
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
      });
    }),
  );

  router.post(
    '/api/plan-files/apply',
    planners,
    oneImport,
    receiveFile,
    held(async (req, res) => {
      const principal = await auth.principalOf(req);
      if (principal.kind !== 'user') throw new HttpError(403, 'only an account may create plans');
      const { file, mapping, body, extracted, check } = await prepare(req.file!.buffer, req.body);
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
      // Checked: from here the answer is 200 and progress lines follow, the last one naming the new draft.
      res
        .status(200)
        .set({ 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' })
        .type('application/x-ndjson');
      const line = (value: unknown) => res.write(`${JSON.stringify(value)}\n`);
      const total = extracted.rows.length;
      line({ stage: 'checked', done: 0, total });
      const name = body.name ?? `${req.file!.originalname || 'import'}`.slice(0, 100);
      try {
        const planId = await inTransaction(pool, async (client) => {
          const id = await createImportedDraft(client, countyCode, name, principal.userId, extracted.rows, (done) =>
            line({ stage: 'writing', done, total }),
          );
          await audit(client, countyCode, principal, {
            action: 'plan.import',
            target: `plan:${id}`,
            after: {
              name,
              format: file.format,
              layer: file.layer,
              crs: file.crs,
              gcj02: body.gcj02,
              repaired: body.repair ? check.invalid.length : 0,
              rows: total,
              mapping,
            },
            ip: req.ip,
          });
          return id;
        });
        line({ stage: 'done', done: total, total, planId });
      } catch (error) {
        line({
          stage: 'failed',
          error: { code: 'ServerError', message: error instanceof Error ? error.message : String(error) },
        });
      }
      res.end();
    }),
  );

  return router;
}
