// GET /api/stats: the issue KPIs of domain.md for an area and a period, counts only. Accounts see their own
// area scope (enforced in SQL); wall displays the county. `area` narrows to a grid, community or street.
// The period is the last `days` days, or the Beijing calendar days `from` … `to` (both included).
import { Router } from 'express';
import { z } from 'zod';
import type { Pool } from '../postgres/pool.ts';
import type { Auth } from '../auth/gate.ts';
import { HttpError, validate } from '../http-error.ts';
import { areaIdExists, queryIssueStats } from '../db/issue-stats-repo.ts';

/** The longest period asked for by dates: two years, so a year can be set against the year before. */
export const STATS_MAX_DAYS = 731;
const DAY_MS = 86_400_000;

/** A calendar day (YYYY-MM-DD) that exists, as the instant it starts in Beijing (UTC+8, no daylight saving). */
const beijingDay = z.iso.date('a date is YYYY-MM-DD').transform((s, ctx) => {
  const start = new Date(`${s}T00:00:00+08:00`);
  if (Number.isNaN(start.getTime()) || new Date(start.getTime() + 8 * 3_600_000).toISOString().slice(0, 10) !== s) {
    ctx.addIssue({ code: 'custom', message: `${s} is not a calendar day` });
    return z.NEVER;
  }
  return start;
});

const StatsQuery = z
  .strictObject({
    area: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,40}$/, 'an area is a grid, community or street id')
      .optional(),
    days: z.coerce.number().int('days must be whole days').min(1).max(366).optional(),
    from: beijingDay.optional(),
    to: beijingDay.optional(),
  })
  // zod runs these even when a field failed: they only judge days that parsed.
  .refine((q) => (q.from === undefined) === (q.to === undefined), { message: 'from and to go together', path: ['to'] })
  .refine((q) => q.days === undefined || q.from === undefined, {
    message: 'give either days or from and to',
    path: ['days'],
  })
  .refine((q) => !(q.from instanceof Date && q.to instanceof Date) || q.from <= q.to, {
    message: 'from must not be after to',
    path: ['to'],
  })
  .refine(
    (q) =>
      !(q.from instanceof Date && q.to instanceof Date) ||
      (q.to.getTime() - q.from.getTime()) / DAY_MS + 1 <= STATS_MAX_DAYS,
    {
      message: `a period is at most ${STATS_MAX_DAYS} days`,
      path: ['to'],
    },
  );

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
