import { Router } from 'express';
import type { Pool } from '../postgres/pool.ts';
import { validate } from '../http-error.ts';
import { listAudit } from '../db/audit-repo.ts';
import type { Auth } from '../auth/gate.ts';
import { AuditQuery } from '../../shared/api/admin.ts';

/** The audit log for admins: filtered by actor, action (or its family), entity (or its kind) and time; newest first. */
export function adminAuditRoutes(pool: Pool, countyCode: string, auth: Auth): Router {
  const router = Router();
  router.get('/api/admin/audit', auth.requirePermission('audit:read'), async (req, res) => {
    const { limit, offset, ...filter } = validate(AuditQuery, req.query, 'query');
    const page = await listAudit(pool, countyCode, filter, { limit, offset });
    res.set('Cache-Control', 'no-store').json({ ...page, limit, offset });
  });
  return router;
}
