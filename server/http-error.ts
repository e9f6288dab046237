import type { ErrorRequestHandler, RequestHandler } from 'express';

/** The one error type routes throw; the error middleware turns it into a JSON response. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code = status === 404 ? 'NotFound' : status < 500 ? 'InvalidParameterValue' : 'ServerError',
  ) {
    super(message);
  }
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, `no such resource: ${req.method} ${req.originalUrl.split('?')[0]}`));
};

/** One place that logs and writes every error; a request never crashes the server. */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  let status = 500;
  let code = 'ServerError';
  let description = 'internal server error';
  if (err instanceof HttpError) {
    ({ status, code } = err);
    description = err.message;
  } else if (err && typeof err === 'object' && 'type' in err && err.type === 'entity.parse.failed') {
    status = 400;
    code = 'InvalidBody';
    description = 'request body is not valid JSON';
  } else if (err && typeof err === 'object' && 'status' in err && typeof err.status === 'number' && err.status < 500) {
    status = err.status;
    code = 'BadRequest';
    description = String((err as { message?: unknown }).message ?? 'bad request');
  }
  if (status >= 500) console.error(`[gridlink] ${req.method} ${req.originalUrl} failed:`, err);
  if (res.headersSent) return;
  res.status(status).json({ code, description });
};
