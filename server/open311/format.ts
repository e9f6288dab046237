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
