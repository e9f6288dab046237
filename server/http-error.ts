import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable, logUnavailable } from './db/unavailable.ts';
import { redactUrl } from './redact-url.ts';

function defaultCode(status: number): string {
  switch (status) {
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'NotFound';
    case 413:
      return 'PayloadTooLarge';
    case 429:
      return 'TooManyRequests';
    default:
      return status < 500 ? 'InvalidParameterValue' : 'ServerError';
  }
}

/**
 * The one error type routes throw; the error middleware turns it into the one error shape of the API,
 * `{"error":{"code","message","details"}}` (details: null, or whatever helps the caller, e.g. zod issues).
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code = defaultCode(status),
    readonly details: unknown = null,
  ) {
    super(message);
  }
}

/** Parses a request part with a zod schema, or throws a 400 naming every problem. */
export function validate<S extends z.ZodType>(
  schema: S,
  value: unknown,
  part: 'body' | 'query' | 'params',
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  const summary = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
  throw new HttpError(
    400,
    `invalid request ${part}: ${summary}`,
    part === 'body' ? 'InvalidBody' : 'InvalidParameterValue',
    issues,
  );
}

/** A route that takes no query parameters refuses any (a misspelt parameter must not be silently ignored). */
export const noQuery: RequestHandler = (req, _res, next) => {
  validate(z.strictObject({}), req.query, 'query');
  next();
};

/** Route parameters `{ id }` of a numeric row id; `message` says what the id names when it is not one. */
export function idParams(message: string) {
  return z.strictObject({
    id: z
      .string()
      .regex(/^\d{1,15}$/, message)
      .transform(Number),
  });
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, `no such resource: ${req.method} ${req.originalUrl.split('?')[0]}`));
};

/** One place that logs and writes every error; a request never crashes the server. */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  let status = 500;
  let code = 'ServerError';
  let message = 'internal server error';
  let details: unknown = null;
  const type = err && typeof err === 'object' && 'type' in err ? err.type : undefined;
  if (err instanceof HttpError) {
    ({ status, code, message, details } = err);
  } else if (type === 'entity.parse.failed') {
    status = 400;
    code = 'InvalidBody';
    message = 'request body is not valid JSON';
  } else if (type === 'entity.too.large') {
    status = 413;
    code = 'PayloadTooLarge';
    message = 'request body is too large';
  } else if (isDatabaseUnavailable(err)) {
    // PostgreSQL stopped or restarting: the pool reconnects by itself; the caller retries.
    status = 503;
    code = 'DatabaseUnavailable';
    message = `the database is unavailable (stopped or restarting); retry in ${DATABASE_RETRY_AFTER_SECONDS} s`;
    if (!res.headersSent) res.set('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
  } else if (err && typeof err === 'object' && 'status' in err && typeof err.status === 'number' && err.status < 500) {
    status = err.status;
    code = 'BadRequest';
    message = String((err as { message?: unknown }).message ?? 'bad request');
  }
  if (status === 503) logUnavailable((err as Error).message);
  else if (status >= 500) console.error(`[gridlink] ${req.method} ${redactUrl(req.originalUrl)} failed:`, err);
  if (res.headersSent) return;
  if (status === 401 && !res.get('WWW-Authenticate')) res.set('WWW-Authenticate', 'Cookie realm="gridlink"');
  res.status(status).json({ error: { code, message, details } });
};
