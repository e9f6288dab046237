import { Router } from 'express';
import { z } from 'zod';
import type { Pool } from '../postgres/pool.ts';
import { validate } from '../http-error.ts';
import { listAudit } from '../db/audit-repo.ts';
import type { Auth } from '../auth/gate.ts';

/** The largest page of the audit viewer. */
export const AUDIT_PAGE_MAX = 200;

const text = z.string().trim().min(1).max(100).optional();
const instant = z.iso
  .datetime({ offset: true })
  .or(z.iso.date())
  .transform((s) => new Date(s))
  .optional();
const AuditQuery = z
  .strictObject({
    actor: text,
    action: text,
    entity: text,
    from: instant,
    to: instant,
    limit: z.coerce.number().int().min(1).max(AUDIT_PAGE_MAX).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, { message: 'from must be before to', path: ['to'] });

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
