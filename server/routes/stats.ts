// GET /api/stats: the issue KPIs of domain.md for an area and a period, counts only. Accounts see their own
// area scope (enforced in SQL); wall displays the county. `area` narrows to a grid, community or street.
// The period is the last `days` days, or the Beijing calendar days `from` … `to` (both included).
import { Router } from 'express';
import type { Pool } from '../postgres/pool.ts';
import type { Auth } from '../auth/gate.ts';
import { HttpError, validate } from '../http-error.ts';
import { areaIdExists, queryIssueStats } from '../db/issue-stats-repo.ts';
import { StatsQuery } from '../../shared/api/stats.ts';

const DAY_MS = 86_400_000;

const WHOLE_COUNTY = { streetId: null, communityId: null, gridId: null };

export function statsRoutes(pool: Pool, county: string, auth: Auth): Router {
  const router = Router();
  router.get('/api/stats', auth.requirePermission('aggregates:read'), async (req, res) => {
    const q = validate(StatsQuery, req.query, 'query');
    if (q.area && !(await areaIdExists(pool, county, q.area)))
      throw new HttpError(404, `no grid, community or street "${q.area}"`);
    const principal = await auth.principalOf(req);
    const scope = principal.kind === 'user' ? principal.scope : WHOLE_COUNTY;
    const now = new Date();
    const period =
      q.from && q.to
        ? { start: q.from, end: new Date(q.to.getTime() + DAY_MS) }
        : { start: new Date(now.getTime() - (q.days ?? 30) * DAY_MS), end: now };
    res.set('Cache-Control', 'no-store').json(await queryIssueStats(pool, county, scope, q.area ?? null, period, now));
  });
  return router;
}
