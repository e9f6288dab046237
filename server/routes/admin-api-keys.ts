import type { Router } from 'express';
import type { Pool } from '../postgres/pool.ts';
import { listApiKeys } from '../db/api-keys-repo.ts';
import type { Auth } from '../auth/gate.ts';
import { createApiKeyFor, revokeApiKeyById } from '../auth/credentials-service.ts';
import { CreateApiKeyBody } from '../../shared/api/admin.ts';
import { credentialRoutes } from './admin-credentials.ts';

/**
 * Open311 api keys (server/open311/README.md): admins create one for a reporter account (the key is shown
 * once), list and revoke them; each write one transaction with its audit row.
 */
export function adminApiKeyRoutes(pool: Pool, countyCode: string, auth: Auth): Router {
  return credentialRoutes(pool, countyCode, auth, {
    path: '/api/admin/api-keys',
    permission: 'users:manage',
    plural: 'api keys',
    idMessage: 'must be an api key id',
    listKey: 'apiKeys',
    list: listApiKeys,
    body: CreateApiKeyBody,
    create: async (db, county, caller, body) => {
      const { row, secret } = await createApiKeyFor(db, county, caller, body);
      return { ...row, apiKey: secret };
    },
    revoke: revokeApiKeyById,
  });
}
