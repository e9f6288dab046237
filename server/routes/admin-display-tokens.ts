import { Router } from 'express';
import type { Pool } from '../postgres/pool.ts';
import { HttpError, idParams, noQuery, validate } from '../http-error.ts';
import { createDisplayToken, findDisplayToken, listDisplayTokens, revokeDisplayToken } from '../db/sessions-repo.ts';
import { audit } from '../auth/audit.ts';
import type { Auth } from '../auth/gate.ts';
import { hashToken, newToken } from '../auth/tokens.ts';
import { originOf } from './request-url.ts';
import { CreateDisplayTokenBody } from '../../shared/api/admin.ts';
const IdParams = idParams('must be a token id');

/** Wall display tokens: admins create (the token is shown once), list and revoke them. */
export function adminDisplayTokenRoutes(pool: Pool, countyCode: string, auth: Auth): Router {
  const router = Router();
  const adminOnly = auth.requirePermission('display-tokens:manage');

  router.get('/api/admin/display-tokens', adminOnly, noQuery, async (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ displayTokens: await listDisplayTokens(pool, countyCode) });
  });

  router.post('/api/admin/display-tokens', adminOnly, async (req, res) => {
    const { screen } = validate(CreateDisplayTokenBody, req.body, 'body');
    const admin = await auth.principalOf(req);
    if (admin.kind !== 'user') throw new HttpError(403, 'only an account may create display tokens');
    const token = newToken();
    const created = await createDisplayToken(pool, countyCode, hashToken(token), screen, admin.userId);
    await audit(pool, countyCode, admin, {
      action: 'display_token.create',
      target: `display_token:${created.id}`,
      after: created,
      ip: req.ip,
    });
    res
      .status(201)
      .set('Cache-Control', 'no-store')
      .json({ ...created, token, url: `${originOf(req)}/wall?token=${token}` });
  });

  router.delete('/api/admin/display-tokens/:id', adminOnly, async (req, res) => {
    const { id } = validate(IdParams, req.params, 'params');
    const admin = await auth.principalOf(req);
    const before = await findDisplayToken(pool, countyCode, id);
    if (!before) throw new HttpError(404, `no display token ${id}`);
    const after = await revokeDisplayToken(pool, countyCode, id);
    await audit(pool, countyCode, admin, {
      action: 'display_token.revoke',
      target: `display_token:${id}`,
      before,
      after,
      ip: req.ip,
    });
    res.json(after);
  });

  return router;
}
