// Open311 GeoReport v2 (server/open311/README.md): services from the category taxonomy; requests posted
// through the same intake as POST /api/issues; requests read with the public fields only. Errors in
// Open311's format (server/open311/format.ts, mounted in app.ts).
import crypto from 'node:crypto';
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Config } from '../config.ts';
import type { Pool } from '../postgres/pool.ts';
import type { Auth } from '../auth/gate.ts';
import { can, type UserPrincipal } from '../../shared/roles.ts';
import { HttpError, validate } from '../http-error.ts';
import { findCategory, listCategories, type Category } from '../db/issues-categories-repo.ts';
import { idSchema } from '../../shared/ids.ts';
import { findServiceRequests, postServiceRequest, reporterByApiKey } from '../open311/requests-service.ts';
import { discoveryJson, requestJson, serviceJson } from '../open311/format.ts';
import { formBody } from '../open311/form-body.ts';
import { isDecimalText } from '../open311/decimal.ts';
import { originOf } from './request-url.ts';

const V2 = '/open311/v2';
const code = idSchema('a code');
const list = (item: z.ZodType<string, string>) =>
  z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item).min(1).max(200));
const dateTime = z.iso
  .datetime({ offset: true })
  .or(z.iso.date())
  .transform((s) => new Date(s));
const apiKey = z.string().min(16).max(200);

const Jurisdiction = { jurisdiction_id: z.string().max(40).optional() };
const ServicesQuery = z.strictObject(Jurisdiction);
const RequestsQuery = z.strictObject({
  ...Jurisdiction,
  service_request_id: list(code).optional(),
  service_code: list(code).optional(),
  start_date: dateTime.optional(),
  end_date: dateTime.optional(),
  status: list(z.enum(['open', 'closed'])).optional(),
});
/** A number, or its decimal text (form values are strings); not true, [37], "0x10" or "" as z.coerce would take. */
const decimal = z.union([z.number(), z.string().trim().refine(isDecimalText).transform(Number)], {
  error: 'a decimal number',
});
const coordinate = (min: number, max: number) => decimal.pipe(z.number().min(min).max(max));
/** Text; NUL (JSON's \u0000, a form's %00) is refused before (server/nul-check.ts). */
const text = (max: number) => z.string().trim().max(max);
/** The fields of GeoReport v2 POST requests; form values arrive as strings, JSON ones may be numbers. */
const PostBody = z.strictObject({
  ...Jurisdiction,
  api_key: apiKey.optional(),
  service_code: code,
  lat: coordinate(-90, 90).optional(),
  long: coordinate(-180, 180).optional(),
  address_string: text(500).optional(),
  address_id: text(100).optional(),
  email: text(200).optional(),
  device_id: text(200).optional(),
  account_id: text(200).optional(),
  first_name: text(25).optional(),
  last_name: text(25).optional(),
  phone: z
    .string()
    .regex(/^\+?[0-9 -]{5,20}$/, 'a phone number')
    .optional(),
  description: text(2000).optional(),
  // Never fetched (the server makes no outbound request) nor stored: only a web address is accepted.
  media_url: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .optional(),
});
const ServiceParams = z.strictObject({ code });
const RequestParams = z.strictObject({ id: code });
const idempotencyHeader = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{8,100}$/, 'an Idempotency-Key is 8–100 letters, digits, ".", "_", ":" or "-"');

export function open311Routes(pool: Pool, config: Config, auth: Auth): Router {
  const router = Router();
  const county = config.countyCode;
  router.use(V2, formBody('100kb', 30));

  const checkJurisdiction = (id: string | undefined) => {
    if (id !== undefined && id !== county)
      throw new HttpError(404, `no jurisdiction "${id}"; this server serves ${county}`);
  };

  /** The reporting account: a session cookie, or an api_key that belongs to a reporter account. */
  async function reporterOf(req: Request, key: string | undefined): Promise<UserPrincipal> {
    if (key !== undefined) return reporterByApiKey(pool, county, key);
    const principal = await auth.principalOf(req);
    if (principal.kind === 'anonymous') throw new HttpError(401, 'give an api_key or log in (POST /api/auth/login)');
    if (principal.kind !== 'user' || !can(principal, 'reports:submit'))
      throw new HttpError(403, 'your role may not submit reports');
    return principal;
  }

  router.get(`${V2}/discovery.json`, auth.publicRead, (req, res) => {
    checkJurisdiction(validate(ServicesQuery, req.query, 'query').jurisdiction_id);
    res.json(discoveryJson(originOf(req)));
  });

  router.get(`${V2}/services.json`, auth.publicRead, async (req, res) => {
    checkJurisdiction(validate(ServicesQuery, req.query, 'query').jurisdiction_id);
    const categories = await listCategories(pool, county);
    const majors = new Map(categories.filter((c) => c.parentId === null).map((c) => [c.id, c] as [string, Category]));
    res.json(categories.filter((c) => c.parentId !== null).map((c) => serviceJson(c, majors)));
  });

  router.get(`${V2}/services/:code.json`, auth.publicRead, async (req, res) => {
    checkJurisdiction(validate(ServicesQuery, req.query, 'query').jurisdiction_id);
    const { code: serviceCode } = validate(ServiceParams, req.params, 'params');
    const category = await findCategory(pool, county, serviceCode);
    if (!category || category.parentId === null)
      throw new HttpError(404, `no service "${serviceCode}" (GET ${V2}/services.json lists them)`);
    // No service asks for extra attributes (metadata: false): the definition is empty.
    res.json({ service_code: category.id, attributes: [] });
  });

  router.post(`${V2}/requests.json`, async (req, res) => {
    const raw = (req.body ?? {}) as Record<string, unknown>;
    const key =
      typeof raw.api_key === 'string'
        ? raw.api_key
        : typeof req.query.api_key === 'string'
          ? req.query.api_key
          : undefined;
    const principal = await reporterOf(req, key);
    const body = validate(PostBody, raw, 'body');
    checkJurisdiction(body.jurisdiction_id);
    if (body.lat === undefined || body.long === undefined)
      throw new HttpError(400, 'give the location as lat and long (WGS84); address_string alone is not geocoded here');
    const headerKey = req.get('idempotency-key');
    // Without an Idempotency-Key, the same request from the same account on the same (UTC) day is the same report.
    const idempotencyKey =
      headerKey !== undefined
        ? validate(idempotencyHeader, headerKey, 'params')
        : 'o311-' +
          crypto
            .createHash('sha256')
            .update(
              JSON.stringify([
                new Date().toISOString().slice(0, 10),
                body.service_code,
                body.lat,
                body.long,
                body.description ?? '',
                body.media_url ?? '',
              ]),
            )
            .digest('hex')
            .slice(0, 40);
    const name = [body.last_name, body.first_name].filter(Boolean).join('');
    try {
      const posted = await postServiceRequest(pool, county, config.issues.reportsPerHour, principal, {
        serviceCode: body.service_code,
        lat: body.lat,
        long: body.long,
        description: body.description ?? '',
        idempotencyKey,
        contact: name ? { name, phone: body.phone ?? null } : null,
        mediaUrl: body.media_url !== undefined,
      });
      res
        .status(posted.replayed ? 200 : 201)
        .json([{ service_request_id: posted.code, service_notice: posted.notice, account_id: null }]);
    } catch (e) {
      if (e instanceof HttpError && e.status === 429)
        res.set('Retry-After', String((e.details as { retryAfterSeconds: number }).retryAfterSeconds));
      throw e;
    }
  });

  router.get(`${V2}/requests.json`, auth.publicRead, async (req, res) => {
    const q = validate(RequestsQuery, req.query, 'query');
    checkJurisdiction(q.jurisdiction_id);
    const rows = await findServiceRequests(pool, county, await auth.principalOf(req), {
      ids: q.service_request_id,
      serviceCodes: q.service_code,
      statuses: q.status as ('open' | 'closed')[] | undefined,
      start: q.start_date,
      end: q.end_date,
    });
    res.set('Cache-Control', 'no-store').json(rows.map(requestJson));
  });

  router.get(`${V2}/requests/:id.json`, auth.publicRead, async (req, res) => {
    checkJurisdiction(validate(ServicesQuery, req.query, 'query').jurisdiction_id);
    const { id } = validate(RequestParams, req.params, 'params');
    const rows = await findServiceRequests(pool, county, await auth.principalOf(req), { ids: [id], limit: 1 });
    if (!rows.length) throw new HttpError(404, `no service request "${id}"`);
    res.set('Cache-Control', 'no-store').json(rows.map(requestJson));
  });

  return router;
}
