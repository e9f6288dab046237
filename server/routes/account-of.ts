import type { Request } from 'express';
import type { Auth } from '../auth/gate.ts';
import { HttpError } from '../http-error.ts';
import type { UserPrincipal } from '../../shared/roles.ts';

/** The calling account; 403 for a wall display (a route's guard has turned anonymous callers away already). */
export async function accountOf(auth: Auth, req: Request, may = 'do this'): Promise<UserPrincipal> {
  const principal = await auth.principalOf(req);
  if (principal.kind !== 'user') throw new HttpError(403, `only an account may ${may}`);
  return principal;
}
