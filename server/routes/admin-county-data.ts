// The admin data page's API (/admin/data), admins only: upload a county package and get its report, check it
// again with another manifest (a changed column mapping), apply it with progress lines. One upload, check or
// import at a time per process (a second gets 429): a package is held in memory while it is received.
import path from 'node:path';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import multer from 'multer';
import { z } from 'zod';
import type { Pool } from '../postgres/pool.ts';
import type { Config } from '../config.ts';
import type { Auth } from '../auth/gate.ts';
import { HttpError, validate } from '../http-error.ts';
import { ManifestForm, type ApplyLine } from '../../shared/api/county-data.ts';
import { PACKAGE_ROLES } from '../../shared/county-manifest.ts';
import { PACKAGE_LIMITS } from '../county/read-package.ts';
import { CountyHasRecords } from '../county/import.ts';
import { mergedManifest, packageFiles, UploadRefused } from '../county/upload-files.ts';
import { CountyUploads, UploadBlocked, UploadGone } from '../county/upload-service.ts';
import { accountOf } from './account-of.ts';

/** An upload not received within this time is cut off: a slow sender must not hold the one slot. */
export const UPLOAD_SECONDS = 600;
const RETRY_AFTER_SECONDS = 10;
/** Room for the multipart framing and the form around the files. */
const FRAMING_BYTES = 1024 * 1024;

const IdParams = z.strictObject({ id: z.uuid('must be an upload id') });

/** Our errors as HTTP answers. */
function asHttp(error: unknown): unknown {
  if (error instanceof UploadRefused) return new HttpError(error.status, error.message, undefined, error.details);
  if (error instanceof UploadGone) return new HttpError(404, error.message);
  if (error instanceof UploadBlocked) return new HttpError(409, error.message, 'PackageBlocked');
  if (error instanceof CountyHasRecords)
    return new HttpError(409, error.message, 'CountyHasRecords', { records: error.records });
  return error;
}

export function adminCountyDataRoutes(pool: Pool, config: Config, auth: Auth): Router {
  const router = Router();
  const admins = auth.requirePermission('county:import');
  const uploads = new CountyUploads(path.join(config.dataDir, 'county-uploads'));

  let busy = false;
  /** Runs the route's work alone; the slot is held until the work ends, even when the caller has gone. */
  const alone =
    (work: (req: Request, res: Response) => Promise<void>): RequestHandler =>
    async (req, res, next) => {
      if (busy) {
        res.set('Retry-After', String(RETRY_AFTER_SECONDS));
        return next(
          new HttpError(429, `another package is being checked or imported; try again in ${RETRY_AFTER_SECONDS} s`),
        );
      }
      busy = true;
      try {
        await work(req, res);
      } catch (error) {
        next(asHttp(error));
      } finally {
        busy = false;
      }
    };

  const upload = multer({
    storage: multer.memoryStorage(),
    limits: {
      files: PACKAGE_ROLES.length + 1,
      fileSize: PACKAGE_LIMITS.fileBytes,
      fields: 2,
      fieldSize: PACKAGE_LIMITS.manifestBytes,
      parts: PACKAGE_ROLES.length + 3,
    },
  }).any();
  const receive = (req: Request, res: Response) =>
    new Promise<void>((resolve, reject) => {
      if (!req.is('multipart/form-data'))
        return reject(new HttpError(400, 'send multipart/form-data: the files by role, or the package as one zip'));
      // The declared length bounds what is held in memory (Node stops a body at its declared length); browsers
      // always declare it for a form.
      if (req.get('content-length') === undefined)
        return reject(new HttpError(411, 'send the Content-Length of the upload', 'LengthRequired'));
      const declared = Number(req.get('content-length'));
      if (declared > PACKAGE_LIMITS.totalBytes + FRAMING_BYTES)
        return reject(new HttpError(413, `the upload is larger than ${PACKAGE_LIMITS.totalBytes / 1024 / 1024} MB`));
      const cutOff = setTimeout(() => req.destroy(), UPLOAD_SECONDS * 1000);
      upload(req, res, (err: unknown) => {
        clearTimeout(cutOff);
        if (!err) return resolve();
        if (err instanceof multer.MulterError && err.code === 'LIMIT_FILE_SIZE')
          return reject(new HttpError(413, `a file is larger than ${PACKAGE_LIMITS.fileBytes / 1024 / 1024} MB`));
        if (err instanceof multer.MulterError && err.code === 'LIMIT_FILE_COUNT')
          return reject(new HttpError(413, `at most ${PACKAGE_ROLES.length + 1} files: one per role and county.json`));
        reject(new HttpError(400, `bad upload: ${(err as Error).message}`));
      });
    });

  const formOf = (text: unknown) => {
    if (text === undefined) return null;
    let json: unknown;
    try {
      json = JSON.parse(String(text));
    } catch {
      throw new HttpError(400, 'the field "manifest" must hold JSON');
    }
    return validate(ManifestForm, json, 'body');
  };

  router.post(
    '/api/admin/county-data',
    admins,
    alone(async (req, res) => {
      await receive(req, res);
      const sent = (req.files ?? []) as Express.Multer.File[];
      const total = sent.reduce((sum, f) => sum + f.size, 0);
      if (total > PACKAGE_LIMITS.totalBytes)
        throw new HttpError(413, `the upload is larger than ${PACKAGE_LIMITS.totalBytes / 1024 / 1024} MB`);
      const extra = Object.keys(req.body ?? {}).filter((k) => k !== 'manifest');
      if (extra.length) throw new HttpError(400, `unknown field "${extra[0].slice(0, 40)}": only "manifest" is read`);
      const form = formOf(req.body?.manifest);
      const { manifest, files } = packageFiles(
        sent.map((f) => ({ field: f.fieldname, name: f.originalname, bytes: f.buffer })),
      );
      const kept = await uploads.create(mergedManifest(manifest, form), files);
      res.set('Cache-Control', 'no-store').json(await uploads.check(pool, kept));
    }),
  );

  router.post(
    '/api/admin/county-data/:id/check',
    admins,
    alone(async (req, res) => {
      const { id } = validate(IdParams, req.params, 'params');
      const form = validate(ManifestForm, req.body ?? {}, 'body');
      const kept = uploads.get(id);
      await uploads.remanifest(kept, mergedManifest({ ...kept.manifest }, form));
      res.set('Cache-Control', 'no-store').json(await uploads.check(pool, kept));
    }),
  );

  router.post(
    '/api/admin/county-data/:id/apply',
    admins,
    alone(async (req, res) => {
      const { id } = validate(IdParams, req.params, 'params');
      const actor = (await accountOf(auth, req, 'import a county')).username;
      const kept = uploads.get(id);
      await uploads.readyToApply(pool, kept);
      // Ready: from here the answer is 200 and progress lines follow, the last one saying how it ended.
      res
        .status(200)
        .set({ 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' })
        .type('application/x-ndjson');
      await uploads.apply(pool, kept, actor, (line: ApplyLine) => res.write(`${JSON.stringify(line)}\n`));
      res.end();
    }),
  );

  return router;
}
