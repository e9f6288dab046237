/**
 * GeoReport v2 clients post forms (application/x-www-form-urlencoded). Read with URLSearchParams rather than
 * express.urlencoded, whose parser (qs) silently drops a `__proto__` field and turns `[name]` into `name`: here
 * each field is exactly the name sent, so that strict validation refuses every field it does not know. A field
 * sent twice becomes an array (refused by validation too). UTF-8 only, as the spec's examples are; NUL (%00)
 * refused as in JSON bodies.
 */
import express, { type RequestHandler } from 'express';
import { HttpError } from '../http-error.ts';
import { refuseNulBody } from '../nul-check.ts';

const FORM = 'application/x-www-form-urlencoded';

export function formBody(limit: string, maxFields: number): RequestHandler[] {
  const fields: RequestHandler = (req, _res, next) => {
    if (!Buffer.isBuffer(req.body)) return next();
    const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(req.get('content-type') ?? '')?.[1].toLowerCase();
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      throw new HttpError(415, `a form is read as UTF-8 only, not "${charset}"`, 'UnsupportedMediaType');
    }
    const body: Record<string, string | string[]> = Object.create(null);
    let count = 0;
    for (const [key, value] of new URLSearchParams(req.body.toString('utf8'))) {
      if (++count > maxFields) throw new HttpError(413, `a form has at most ${maxFields} fields`);
      const seen = body[key];
      body[key] = seen === undefined ? value : [...[seen].flat(), value];
    }
    req.body = body;
    next();
  };
  return [express.raw({ type: FORM, limit }), fields, refuseNulBody];
}
