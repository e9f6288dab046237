// The routes of a credential an admin issues (Open311 api keys, wall display tokens): list, create (the secret is
// shown once), revoke. Parse → one call of server/auth/credentials-service.ts → respond, never cached.
import { Router, type Request } from 'express';
import type { z } from 'zod';
import type { Pool } from '../postgres/pool.ts';
import { idParams, noQuery, validate } from '../http-error.ts';
import type { Auth } from '../auth/gate.ts';
import type { AccountCaller, AdminCaller } from '../auth/credentials-service.ts';
import type { Permission } from '../../shared/roles.ts';
import { accountOf } from './account-of.ts';

export interface Credential<S extends z.ZodType> {
  /** The collection's path: `/api/admin/…`, and `…/:id` for one. */
  path: string;
  permission: Permission;
  /** What the 403 for a wall display and the 400 for a bad id call them. */
  plural: string;
  idMessage: string;
  /** The key of the list in the answer of GET. */
  listKey: string;
  list(pool: Pool, countyCode: string): Promise<unknown[]>;
  body: S;
  /** The answer of POST (201): the row and its secret. */
  create(pool: Pool, countyCode: string, caller: AccountCaller, body: z.output<S>, req: Request): Promise<object>;
  revoke(pool: Pool, countyCode: string, caller: AdminCaller, id: number): Promise<unknown>;
}

export function credentialRoutes<S extends z.ZodType>(
  pool: Pool,
  countyCode: string,
  auth: Auth,
  credential: Credential<S>,
): Router {
  const router = Router();
  const adminOnly = auth.requirePermission(credential.permission);
  const IdParams = idParams(credential.idMessage);

  router.get(credential.path, adminOnly, noQuery, async (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ [credential.listKey]: await credential.list(pool, countyCode) });
  });

  router.post(credential.path, adminOnly, async (req, res) => {
    const body = validate(credential.body, req.body, 'body');
    const principal = await accountOf(auth, req, `create ${credential.plural}`);
    const created = await credential.create(pool, countyCode, { principal, ip: req.ip }, body, req);
    res.status(201).set('Cache-Control', 'no-store').json(created);
  });

  router.delete(`${credential.path}/:id`, adminOnly, async (req, res) => {
    const { id } = validate(IdParams, req.params, 'params');
    res.json(await credential.revoke(pool, countyCode, { principal: await auth.principalOf(req), ip: req.ip }, id));
  });

  return router;
}
