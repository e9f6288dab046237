import { Router } from 'express';
import type { Pool } from '../postgres/pool.ts';
import { HttpError, idParams, noQuery, validate } from '../http-error.ts';
import { listApiKeys } from '../db/api-keys-repo.ts';
import type { Auth } from '../auth/gate.ts';
import { createApiKeyFor, revokeApiKeyById } from '../auth/credentials-service.ts';
import { CreateApiKeyBody } from '../../shared/api/admin.ts';
const IdParams = idParams('must be an api key id');

/**
 * Open311 api keys (server/open311/README.md): admins create one for a reporter account (the key is shown
 * once), list and revoke them; each write one transaction with its audit row.
 */
export function adminApiKeyRoutes(pool: Pool, countyCode: string, auth: Auth): Router {
  const router = Router();
  const adminOnly = auth.requirePermission('users:manage');

  router.get('/api/admin/api-keys', adminOnly, noQuery, async (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ apiKeys: await listApiKeys(pool, countyCode) });
  });

  router.post('/api/admin/api-keys', adminOnly, async (req, res) => {
    const body = validate(CreateApiKeyBody, req.body, 'body');
    const principal = await auth.principalOf(req);
    if (principal.kind !== 'user') throw new HttpError(403, 'only an account may create api keys');
    const { row, secret } = await createApiKeyFor(pool, countyCode, { principal, ip: req.ip }, body);
    res
      .status(201)
      .set('Cache-Control', 'no-store')
      .json({ ...row, apiKey: secret });
  });

  router.delete('/api/admin/api-keys/:id', adminOnly, async (req, res) => {
    const { id } = validate(IdParams, req.params, 'params');
    res.json(await revokeApiKeyById(pool, countyCode, { principal: await auth.principalOf(req), ip: req.ip }, id));
  });

  return router;
}
