import type { RequestHandler } from 'express';
import { HttpError } from './http-error.ts';

/**
 * Whether a parsed body holds NUL in a string or a key: PostgreSQL text and jsonb cannot, so such a request
 * is refused at the door rather than failing in a query. Iterative: a 100 kB body nests 50,000 deep.
 */
export function hasNul(body: unknown): boolean {
  const stack: unknown[] = [body];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (v.includes('\0')) return true;
    } else if (Array.isArray(v)) {
      for (const x of v) stack.push(x);
    } else if (v !== null && typeof v === 'object' && !Buffer.isBuffer(v)) {
      for (const [key, value] of Object.entries(v)) {
        if (key.includes('\0')) return true;
        stack.push(value);
      }
    }
  }
  return false;
}

/** After a body parser: refuses a body carrying NUL with a 400. */
export const refuseNulBody: RequestHandler = (req, _res, next) => {
  next(
    hasNul(req.body)
      ? new HttpError(400, 'the request body contains a NUL character (\\u0000 or %00)', 'InvalidBody')
      : undefined,
  );
};
