import { Router } from 'express';
import type { Pool } from '../postgres/pool.ts';
import { HttpError, idParams, noQuery, validate } from '../http-error.ts';
import { listDisplayTokens } from '../db/sessions-repo.ts';
import type { Auth } from '../auth/gate.ts';
import { createDisplayTokenFor, revokeDisplayTokenById } from '../auth/credentials-service.ts';
import { originOf } from './request-url.ts';
import { CreateDisplayTokenBody } from '../../shared/api/admin.ts';
const IdParams = idParams('must be a token id');

/** Wall display tokens: admins create (the token is shown once), list and revoke them; each write audited. */
export function adminDisplayTokenRoutes(pool: Pool, countyCode: string, auth: Auth): Router {
  const router = Router();
  const adminOnly = auth.requirePermission('display-tokens:manage');

  router.get('/api/admin/display-tokens', adminOnly, noQuery, async (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ displayTokens: await listDisplayTokens(pool, countyCode) });
  });

  router.post('/api/admin/display-tokens', adminOnly, async (req, res) => {
    const { screen } = validate(CreateDisplayTokenBody, req.body, 'body');
    const principal = await auth.principalOf(req);
    if (principal.kind !== 'user') throw new HttpError(403, 'only an account may create display tokens');
    const { row, secret } = await createDisplayTokenFor(pool, countyCode, { principal, ip: req.ip }, screen);
    res
      .status(201)
      .set('Cache-Control', 'no-store')
      .json({ ...row, token: secret, url: `${originOf(req)}/wall?token=${secret}` });
  });

  router.delete('/api/admin/display-tokens/:id', adminOnly, async (req, res) => {
    const { id } = validate(IdParams, req.params, 'params');
    const caller = { principal: await auth.principalOf(req), ip: req.ip };
    res.json(await revokeDisplayTokenById(pool, countyCode, caller, id));
  });

  return router;
}
