/**
 * Open311 GeoReport v2 shapes (https://wiki.open311.org/GeoReport_v2): services from the category
 * taxonomy, requests with the public fields only, errors as an array of {code, description}.
 */
import type { ErrorRequestHandler } from 'express';
import { errorHandler } from '../http-error.ts';
import type { Category } from '../db/issues-categories-repo.ts';
import type { PublicRequest } from '../db/open311-repo.ts';

/** A service per minor class; `group` is its major class. */
export function serviceJson(category: Category, majors: Map<string, Category>) {
  const major = category.parentId ? majors.get(category.parentId) : undefined;
  return {
    service_code: category.id,
    service_name: category.name,
    description: `${category.nameEn}${category.timeLimitHours ? ` — time limit ${Number(category.timeLimitHours)} working hours` : ''}`,
    metadata: false,
    type: 'realtime',
    keywords: category.nameEn,
    group: major ? major.name : null,
  };
}

/** When the API's routes or answers last changed (GeoReport v2 `changeset`): move it with every such change. */
export const API_CHANGESET = '2026-11-26T00:00:00Z';
/** The formats the API answers in: JSON only (an `.xml` address is a 404). */
export const FORMATS = ['application/json'];

/**
 * The discovery document (GeoReport v2 "Service Discovery"): one production endpoint at `origin` (the
 * server as the caller reached it, so that a proxy or a second host names itself).
 */
export function discoveryJson(origin: string) {
  return {
    changeset: API_CHANGESET,
    contact: '本 gridlink 服务器的管理员 · the administrators of this gridlink server',
    key_service:
      `An api_key is issued to a reporter account by an administrator of gridlink (POST ${origin}/api/admin/api-keys) ` +
      'and shown once. A logged-in session that may submit reports needs no key; reading needs neither.',
    endpoints: [
      {
        specification: 'http://wiki.open311.org/GeoReport_v2',
        url: `${origin}/open311/v2`,
        changeset: API_CHANGESET,
        type: 'production',
        formats: FORMATS,
      },
    ],
  };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A request as any caller may read it: never a person, the description or a photo. */
export function requestJson(r: PublicRequest) {
  return {
    service_request_id: r.code,
    status: r.open ? 'open' : 'closed',
    status_notes: r.state,
    service_name: r.categoryName,
    service_code: r.categoryId,
    requested_datetime: iso(r.createdAt),
    updated_datetime: iso(r.updatedAt),
    expected_datetime: iso(r.deadline),
    lat: r.lat,
    long: r.lon,
  };
}

/** The API's one error handler, answering in Open311's error format: `[{"code": status, "description"}]`. */
export const open311Errors: ErrorRequestHandler = (err, req, res, next) => {
  const json = res.json.bind(res);
  res.json = (body: unknown) => {
    const error = (body as { error?: { message: string } } | null)?.error;
    return json(error ? [{ code: res.statusCode, description: error.message }] : body);
  };
  errorHandler(err, req, res, next);
};
