// Issues (事件): the snap report, the work queue, the lifecycle transitions, photos, ratings, categories.
// Thin: parse → call server/issues/*-service.ts or server/db/issues-* → respond. The lifecycle is shared/issue-states.ts.
import path from 'node:path';
import { Router, type Request, type RequestHandler } from 'express';
import multer from 'multer';
import { z } from 'zod';
import type { Config } from '../config.ts';
import type { Pool } from '../postgres/pool.ts';
import type { Auth } from '../auth/gate.ts';
import { HttpError, idParams, noQuery, validate } from '../http-error.ts';
import { pageQuery } from '../../shared/api/fragments.ts';
import { audit } from '../auth/audit.ts';
import { contactFor } from '../auth/masking.ts';
import { ISSUE_STATES, nextStates, VERIFICATION_RESULTS, type IssueState } from '../../shared/issue-states.ts';
import { calendarFromConfig } from '../issues/working-hours.ts';
import { MAX_PHOTOS_PER_ISSUE, PhotoRejected, processPhoto } from '../issues/photos.ts';
import { listCategories } from '../db/issues-categories-repo.ts';
import { setCategoryTimeLimit } from '../issues/categories-service.ts';
import {
  findIssue,
  findRating,
  findReporterContact,
  listAssignments,
  listEvents,
  listIssues,
  suggestedUnits,
} from '../db/issues-repo.ts';
import { countPhotos, findPhotoFile, listPhotos } from '../db/issues-photos-repo.ts';
import {
  addPhoto,
  applyTransition,
  rateIssue,
  requireIssueAccess,
  submitReport,
  type UserPrincipal,
} from '../issues/workflow-service.ts';

const categoryId = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'a category id is 1–40 letters, digits, "_" or "-"');
const unitId = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'a member unit id is 1–40 letters, digits, "_" or "-"');
const issueState = z.enum(ISSUE_STATES);
const idempotencyKey = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{8,100}$/, 'an idempotency key is 8–100 letters, digits, ".", "_", ":" or "-"');

const ReportBody = z.strictObject({
  category: categoryId,
  description: z.string().trim().min(1, 'describe the problem').max(2000),
  lon: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  /** Chosen by the client once per report and sent again with every retry. */
  idempotency_key: idempotencyKey.optional(),
  contact: z
    .strictObject({
      name: z.string().trim().min(1).max(50),
      phone: z
        .string()
        .regex(/^\+?[0-9 -]{5,20}$/, 'a phone number')
        .optional(),
    })
    .optional(),
  join: z.boolean().optional(),
  duplicate_of: z.number().int().positive().optional(),
});

const TransitionBody = z.strictObject({
  to: issueState,
  reason: z.string().trim().max(1000).optional(),
  unit_ids: z.array(unitId).max(20).optional(),
  note: z.string().trim().max(2000).optional(),
  result: z.enum(VERIFICATION_RESULTS).optional(),
  severity: z.number().int().min(1).max(3).optional(),
  duplicate_of: z.number().int().positive().optional(),
});

const RatingBody = z.strictObject({
  rating: z.enum(['satisfied', 'basically_satisfied', 'unsatisfied']),
  comment: z.string().trim().max(1000).optional(),
});

const CategoryBody = z.strictObject({ time_limit_hours: z.number().positive().max(2000) });

const ListQuery = z.strictObject({
  state: z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(issueState).min(1))
    .optional(),
  category: categoryId.optional(),
  area: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/, 'an area is a grid, community or street id')
    .optional(),
  overdue: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  ...pageQuery(500, 100),
});

const IdParams = idParams('an issue id is a number');
const CategoryParams = z.strictObject({ id: categoryId });
const PhotoFields = z.strictObject({
  kind: z.enum(['report', 'after']).optional(),
  /** Chosen by the client once per photo and sent again with every retry. */
  idempotency_key: idempotencyKey.optional(),
});
const PhotoParams = z.strictObject({
  id: z
    .string()
    .regex(/^\d{1,15}$/, 'an issue id is a number')
    .transform(Number),
  photoId: z
    .string()
    .regex(/^\d{1,15}$/, 'a photo id is a number')
    .transform(Number),
});
/** Photos never change once stored: cached a day by the browser only (they are scoped per caller). */
const PHOTO_CACHE = 'private, max-age=86400, immutable';

export function issueRoutes(pool: Pool, config: Config, auth: Auth): Router {
  const router = Router();
  const county = config.countyCode;
  const weekly = calendarFromConfig(config.issues);
  const uploadsDir = config.issues.uploadsDir ?? path.join(config.dataDir, 'uploads');
  const reporters = auth.requirePermission('reports:submit');
  const readers = auth.requireRole('leader', 'dispatcher', 'grid_worker', 'reporter', 'member_unit');
  const actors = auth.requireRole('dispatcher', 'grid_worker', 'reporter', 'member_unit');

  const userOf = async (req: Request): Promise<UserPrincipal> => {
    const principal = await auth.principalOf(req);
    if (principal.kind !== 'user') throw new HttpError(403, 'only an account may do this');
    return principal;
  };

  const upload = multer({
    storage: multer.memoryStorage(),
    // Checked while the upload streams in: one file of at most maxPhotoBytes, a few short fields, few part headers.
    limits: {
      fileSize: config.issues.maxPhotoBytes,
      files: 1,
      fields: 4,
      parts: 5,
      fieldSize: 1024,
      fieldNameSize: 100,
      headerPairs: 20,
    },
  }).single('photo');
  const receivePhoto: RequestHandler = (req, res, next) => {
    if (!req.is('multipart/form-data'))
      return next(new HttpError(400, 'send multipart/form-data with one image in the field "photo"'));
    upload(req, res, (err: unknown) => {
      if (!err) return next();
      if (err instanceof multer.MulterError) {
        if (err.code === 'LIMIT_FILE_SIZE')
          return next(new HttpError(413, `the photo is larger than ${config.issues.maxPhotoBytes / 1024 / 1024} MB`));
        return next(
          new HttpError(
            400,
            `bad upload: ${err.message}${err.field ? ` (${err.field})` : ''}; send one image in the field "photo"`,
          ),
        );
      }
      next(new HttpError(400, `bad upload: ${(err as Error).message}`));
    });
  };

  router.get('/api/categories', noQuery, async (_req, res) => {
    res.json({ categories: await listCategories(pool, county) });
  });

  router.put('/api/admin/categories/:id', auth.requireRole(), async (req, res) => {
    const { id } = validate(CategoryParams, req.params, 'params');
    const { time_limit_hours: hours } = validate(CategoryBody, req.body, 'body');
    const after = await setCategoryTimeLimit(
      pool,
      county,
      { principal: await auth.principalOf(req), ip: req.ip },
      id,
      hours,
    );
    res.json(after);
  });

  router.post('/api/issues', reporters, async (req, res) => {
    const body = validate(ReportBody, req.body, 'body');
    const principal = await userOf(req);
    try {
      const outcome = await submitReport(
        pool,
        county,
        principal,
        {
          categoryId: body.category,
          description: body.description,
          lon: body.lon,
          lat: body.lat,
          idempotencyKey: body.idempotency_key ?? null,
          contact: body.contact ? { name: body.contact.name, phone: body.contact.phone ?? null } : null,
          join: body.join,
          duplicateOf: body.duplicate_of,
        },
        config.issues.reportsPerHour,
      );
      res
        .status(outcome.kind === 'replayed' ? 200 : 201)
        .json({ ...outcome.issue, replayed: outcome.kind === 'replayed', joined: outcome.kind === 'joined' });
    } catch (e) {
      if (e instanceof HttpError && e.status === 429)
        res.set('Retry-After', String((e.details as { retryAfterSeconds: number }).retryAfterSeconds));
      throw e;
    }
  });

  router.get('/api/issues', readers, async (req, res) => {
    const query = validate(ListQuery, req.query, 'query');
    const principal = await userOf(req);
    const own = principal.role === 'reporter';
    const unit = principal.role === 'member_unit';
    const result = await listIssues(
      pool,
      county,
      own || unit ? { streetId: null, communityId: null, gridId: null } : principal.scope,
      {
        memberUnitId: unit ? (principal.scope.memberUnitId ?? null) : undefined,
        states: query.state as IssueState[] | undefined,
        categoryId: query.category,
        areaId: query.area,
        overdue: query.overdue,
        reporterUserId: own ? principal.userId : undefined,
        limit: query.limit,
        offset: query.offset,
      },
    );
    res.set('Cache-Control', 'no-store').json({ ...result, limit: query.limit, offset: query.offset });
  });

  router.get('/api/issues/:id', readers, noQuery, async (req, res) => {
    const { id } = validate(IdParams, req.params, 'params');
    const principal = await userOf(req);
    const issue = await findIssue(pool, county, id);
    if (!issue) throw new HttpError(404, `no issue ${id}`);
    requireIssueAccess(principal, issue);
    const contact = await findReporterContact(pool, county, id);
    let reporter: { name: string; phone: string | null; masked: boolean } | null = null;
    if (contact.name !== null) {
      if (principal.role === 'reporter') reporter = { name: contact.name, phone: contact.phone, masked: false };
      else {
        reporter = contactFor(principal, { name: contact.name, phone: contact.phone });
        // The dispatcher handling the case (inside their area, checked above) sees it in full: audited.
        if (!reporter.masked) {
          await audit(pool, county, principal, {
            action: 'people.view_unmasked',
            target: `issue:${id}:reporter`,
            after: { fields: ['name', 'phone'] },
            ip: req.ip,
          });
        }
      }
    }
    const [events, assignments, photos, rating, units] = await Promise.all([
      listEvents(pool, county, id),
      listAssignments(pool, county, id),
      listPhotos(pool, county, id),
      findRating(pool, county, id),
      principal.role === 'reporter' || principal.role === 'member_unit'
        ? Promise.resolve([])
        : suggestedUnits(pool, county, id),
    ]);
    res.set('Cache-Control', 'no-store').json({
      ...issue,
      reporter,
      events,
      assignments,
      photos,
      rating: rating ?? null,
      nextStates: nextStates(issue.state, principal.role),
      suggestedUnits: units,
    });
  });

  router.post('/api/issues/:id/transitions', actors, async (req, res) => {
    const { id } = validate(IdParams, req.params, 'params');
    const body = validate(TransitionBody, req.body, 'body');
    const issue = await applyTransition(
      pool,
      county,
      await userOf(req),
      id,
      {
        to: body.to,
        reason: body.reason,
        unitIds: body.unit_ids,
        note: body.note,
        result: body.result,
        severity: body.severity,
        duplicateOf: body.duplicate_of,
      },
      weekly,
    );
    res.json(issue);
  });

  router.post('/api/issues/:id/rating', auth.requireRole('reporter'), async (req, res) => {
    const { id } = validate(IdParams, req.params, 'params');
    const body = validate(RatingBody, req.body, 'body');
    res.json(await rateIssue(pool, county, await userOf(req), id, body.rating, body.comment ?? null));
  });

  router.post('/api/issues/:id/photos', actors, receivePhoto, async (req, res) => {
    const { id } = validate(IdParams, req.params, 'params');
    const { kind, idempotency_key: key } = validate(PhotoFields, req.body ?? {}, 'body');
    const file = req.file;
    if (!file) throw new HttpError(400, 'no image: send one file in the multipart field "photo"');
    const { photo, replayed } = await addPhoto(
      pool,
      county,
      await userOf(req),
      id,
      kind,
      key ?? null,
      uploadsDir,
      async () => {
        // Called once access is checked, before anything is decoded: a full issue costs no decoding.
        if ((await countPhotos(pool, county, id)) >= MAX_PHOTOS_PER_ISSUE)
          throw new HttpError(409, `an issue has at most ${MAX_PHOTOS_PER_ISSUE} photos`);
        try {
          return await processPhoto(file.buffer, config.issues.maxPhotoBytes);
        } catch (e) {
          if (e instanceof PhotoRejected)
            throw new HttpError(e.status, e.message, e.status === 413 ? 'PayloadTooLarge' : 'InvalidImage');
          throw e;
        }
      },
    );
    res.status(replayed ? 200 : 201).json({ ...photo, replayed });
  });

  // A photo or its thumbnail, to whoever may see the issue (reporters their own, others inside their area).
  const servePhoto =
    (variant: 'image' | 'thumbnail'): RequestHandler =>
    async (req, res) => {
      const { id, photoId } = validate(PhotoParams, req.params, 'params');
      const issue = await findIssue(pool, county, id);
      if (!issue) throw new HttpError(404, `no issue ${id}`);
      requireIssueAccess(await userOf(req), issue);
      const file = await findPhotoFile(pool, county, id, photoId);
      if (!file) throw new HttpError(404, `issue ${id} has no photo ${photoId}`);
      const relative = variant === 'image' ? file.path : file.thumbnailPath;
      res.set('Cache-Control', PHOTO_CACHE).type(variant === 'image' ? file.mediaType : 'image/jpeg');
      await new Promise<void>((resolve, reject) =>
        res.sendFile(
          relative,
          { root: uploadsDir, dotfiles: 'deny', cacheControl: false, lastModified: true },
          (err) => {
            if (!err) return resolve();
            if (res.headersSent) return resolve();
            reject(
              (err as NodeJS.ErrnoException).code === 'ENOENT'
                ? new HttpError(404, `the file of photo ${photoId} is missing`)
                : err,
            );
          },
        ),
      );
    };
  router.get('/api/issues/:id/photos/:photoId', readers, noQuery, servePhoto('image'));
  router.get('/api/issues/:id/photos/:photoId/thumbnail', readers, noQuery, servePhoto('thumbnail'));

  return router;
}
