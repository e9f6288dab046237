import { Router } from 'express';
import type { Pool } from '../postgres/pool.ts';
import { inTransaction } from '../postgres/pool.ts';
import { HttpError, idParams, noQuery, validate } from '../http-error.ts';
import { createApiKey, findApiKey, listApiKeys, revokeApiKey } from '../db/api-keys-repo.ts';
import { findUser } from '../db/users-repo.ts';
import { audit } from '../auth/audit.ts';
import type { Auth } from '../auth/gate.ts';
import { hashToken, newToken } from '../auth/tokens.ts';
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
    const admin = await auth.principalOf(req);
    if (admin.kind !== 'user') throw new HttpError(403, 'only an account may create api keys');
    const key = newToken();
    const created = await inTransaction(pool, async (db) => {
      const user = await findUser(db, countyCode, body.user_id);
      if (!user) throw new HttpError(404, `no user ${body.user_id}`);
      if (user.role !== 'reporter' || user.disabled)
        throw new HttpError(
          400,
          `an api key reports as an enabled reporter account; user ${body.user_id} is a ${user.disabled ? 'disabled ' : ''}${user.role}`,
          'InvalidUser',
        );
      const row = await createApiKey(db, countyCode, hashToken(key), body.user_id, body.name, admin.userId);
      await audit(db, countyCode, admin, {
        action: 'api_key.create',
        target: `api_key:${row.id}`,
        after: row,
        ip: req.ip,
      });
      return row;
    });
    res
      .status(201)
      .set('Cache-Control', 'no-store')
      .json({ ...created, apiKey: key });
  });

  router.delete('/api/admin/api-keys/:id', adminOnly, async (req, res) => {
    const { id } = validate(IdParams, req.params, 'params');
    const admin = await auth.principalOf(req);
    const after = await inTransaction(pool, async (db) => {
      const before = await findApiKey(db, countyCode, id);
      if (!before) throw new HttpError(404, `no api key ${id}`);
      const revoked = await revokeApiKey(db, countyCode, id);
      await audit(db, countyCode, admin, {
        action: 'api_key.revoke',
        target: `api_key:${id}`,
        before,
        after: revoked,
        ip: req.ip,
      });
      return revoked;
    });
    res.json(after);
  });

  return router;
}
