import type { Request } from 'express';

/** Origin of the request as the client sees it (scheme://host[:port]), for absolute links. */
export function originOf(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}
