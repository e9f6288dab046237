// GET /api/stats: the issue KPIs of domain.md for an area and a period, counts only. Accounts see their own
// area scope (enforced in SQL); wall displays the county. `area` narrows to a grid, community or street.
import { Router } from 'express';
import { z } from 'zod';
import type { Pool } from '../db/pool.ts';
import type { Auth } from '../auth/gate.ts';
import { HttpError, validate } from '../http-error.ts';
import { areaIdExists, queryIssueStats } from '../db/issue-stats-repo.ts';

const StatsQuery = z.strictObject({
  area: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'an area is a grid, community or street id').optional(),
  days: z.coerce.number().int('days must be whole days').min(1).max(366).default(30),
});

const WHOLE_COUNTY = { streetId: null, communityId: null, gridId: null };

export function statsRoutes(pool: Pool, county: string, auth: Auth): Router {
  const router = Router();
  router.get('/api/stats', auth.requirePermission('aggregates:read'), async (req, res) => {
    const q = validate(StatsQuery, req.query, 'query');
    if (q.area && !(await areaIdExists(pool, county, q.area))) throw new HttpError(404, `no grid, community or street "${q.area}"`);
    const principal = await auth.principalOf(req);
    const scope = principal.kind === 'user' ? principal.scope : WHOLE_COUNTY;
    res.set('Cache-Control', 'no-store').json(await queryIssueStats(pool, county, scope, q.area ?? null, q.days));
  });
  return router;
}
