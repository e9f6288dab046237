// The planner's files (/plan): export a plan as GeoJSON, GeoPackage or zipped Shapefile (units, and the grids
// unioned per label), and import an assignment from such a file — preview (fields, a sample, the problems), then
// apply into a new draft in one transaction, streaming progress lines. Planners and admins only. One import runs
// at a time per process (a second gets 429): reading a file spawns GDAL and holds the whole upload in memory.
import { Router, type Request, type RequestHandler, type Response } from 'express';
import multer from 'multer';
import type { Pool } from '../postgres/pool.ts';
import { HttpError, idParams, validate } from '../http-error.ts';
import type { Auth } from '../auth/gate.ts';
import { PlanExportQuery, PlanImportBody } from '../../shared/api/plans.ts';
import { applyImport, exportPlan, importPreview, prepareImport, requireLoadable } from '../plans/import-service.ts';
import { accountOf } from './account-of.ts';

export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;
/** Seconds a caller turned away because another import runs is told to wait. */
export const IMPORT_RETRY_AFTER_SECONDS = 10;
/** An upload not received within this time is cut off: a slow sender must not hold the one import slot. */
export const IMPORT_UPLOAD_SECONDS = 120;

const IdParams = idParams('must be a plan id');
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

  const prepare = (req: Request) =>
    prepareImport(pool, countyCode, req.file!.buffer, validate(PlanImportBody, req.body ?? {}, 'body'));

  router.get('/api/plans/:id/export', planners, async (req, res) => {
    const { id } = validate(IdParams, req.params, 'params');
    const { name, type, body } = await exportPlan(pool, countyCode, id, validate(PlanExportQuery, req.query, 'query'));
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
      res.set('Cache-Control', 'no-store').json(importPreview(await prepare(req)));
    }),
  );

  router.post(
    '/api/plan-files/apply',
    planners,
    oneImport,
    receiveFile,
    held(async (req, res) => {
      const principal = await accountOf(auth, req, 'create plans');
      const prepared = await prepare(req);
      requireLoadable(prepared);
      // Checked: from here the answer is 200 and progress lines follow, the last one naming the new draft.
      res
        .status(200)
        .set({ 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' })
        .type('application/x-ndjson');
      const line = (value: unknown) => res.write(`${JSON.stringify(value)}\n`);
      const total = prepared.extracted.rows.length;
      line({ stage: 'checked', done: 0, total });
      const name = prepared.body.name ?? `${req.file!.originalname || 'import'}`.slice(0, 100);
      try {
        const planId = await applyImport(pool, countyCode, { principal, ip: req.ip }, prepared, name, (done) =>
          line({ stage: 'writing', done, total }),
        );
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
