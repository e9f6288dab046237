import type { Router } from 'express';
import type { Pool } from '../postgres/pool.ts';
import { listDisplayTokens } from '../db/sessions-repo.ts';
import type { Auth } from '../auth/gate.ts';
import { createDisplayTokenFor, revokeDisplayTokenById } from '../auth/credentials-service.ts';
import { originOf } from './request-url.ts';
import { CreateDisplayTokenBody } from '../../shared/api/admin.ts';
import { credentialRoutes } from './admin-credentials.ts';

/** Wall display tokens: admins create (the token is shown once), list and revoke them; each write audited. */
export function adminDisplayTokenRoutes(pool: Pool, countyCode: string, auth: Auth): Router {
  return credentialRoutes(pool, countyCode, auth, {
    path: '/api/admin/display-tokens',
    permission: 'display-tokens:manage',
    plural: 'display tokens',
    idMessage: 'must be a token id',
    listKey: 'displayTokens',
    list: listDisplayTokens,
    body: CreateDisplayTokenBody,
    create: async (db, county, caller, { screen }, req) => {
      const { row, secret } = await createDisplayTokenFor(db, county, caller, screen);
      return { ...row, token: secret, url: `${originOf(req)}/wall?token=${secret}` };
    },
    revoke: revokeDisplayTokenById,
  });
}
