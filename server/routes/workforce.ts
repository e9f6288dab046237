// The community workforce (server/community/README.md): staff by team with post, rank and allowance, the
// allowance table, mentors, and the figures per community. Leaders and dispatchers read inside their area
// (scoped in SQL; names masked, no phones); only admins write, each write one transaction with an audit row.
// The figures are open like the inspection card.
import { Router } from 'express';
import type { Config } from '../config.ts';
import type { Pool } from '../postgres/pool.ts';
import type { Auth } from '../auth/gate.ts';
import { can, COUNTY_WIDE } from '../../shared/roles.ts';
import { maskName } from '../auth/masking.ts';
import { noQuery, validate } from '../http-error.ts';
import { MIN_GROUP_FOR_PUBLIC_MEAN } from '../community/workforce.ts';
import { assignMentor, changeAllowance, changeStaff } from '../community/workforce-service.ts';
import {
  findStaff,
  hasSyntheticStaff,
  listAllowances,
  listStaff,
  workforceFigures,
  type StaffMember,
} from '../db/workforce-repo.ts';
import {
  AllowanceBody,
  AllowanceParams,
  FiguresQuery,
  MentorBody,
  PersonParams,
  StaffBody,
  StaffQuery,
} from '../../shared/api/workforce.ts';

/** What leaves the server about a person: the name masked (张*), never a phone. */
const shown = (s: StaffMember) => ({ ...s, name: maskName(s.name) });

export function workforceRoutes(pool: Pool, config: Config, auth: Auth): Router {
  const router = Router();
  const county = config.countyCode;
  const readers = auth.requireRole('leader', 'dispatcher');
  const admins = auth.requireRole('admin');

  const scopeOf = async (req: Parameters<typeof auth.principalOf>[0]) => {
    const principal = await auth.principalOf(req);
    return { principal, scope: principal.kind === 'user' ? principal.scope : COUNTY_WIDE };
  };
  const callerOf = async (req: Parameters<typeof auth.principalOf>[0]) => ({ ...(await scopeOf(req)), ip: req.ip });

  router.get('/api/workforce/staff', readers, async (req, res) => {
    const q = validate(StaffQuery, req.query, 'query');
    const { scope } = await scopeOf(req);
    const { total, staff } = await listStaff(pool, county, scope, {
      communityId: q.community,
      team: q.team,
      limit: q.limit,
      offset: q.offset,
    });
    res.set('Cache-Control', 'no-store').json({
      total,
      limit: q.limit,
      offset: q.offset,
      synthetic: staff.some((s) => s.synthetic),
      staff: staff.map(shown),
    });
  });

  router.patch('/api/workforce/staff/:personId', admins, async (req, res) => {
    const { personId: id } = validate(PersonParams, req.params, 'params');
    const body = validate(StaffBody, req.body, 'body');
    await changeStaff(pool, county, await callerOf(req), id, body);
    res.json(shown((await findStaff(pool, county, id))!));
  });

  router.put('/api/workforce/staff/:personId/mentor', admins, async (req, res) => {
    const { personId: id } = validate(PersonParams, req.params, 'params');
    const body = validate(MentorBody, req.body, 'body');
    await assignMentor(pool, county, await callerOf(req), id, body.mentor_id);
    res.json(shown((await findStaff(pool, county, id))!));
  });

  router.get('/api/workforce/allowances', readers, noQuery, async (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ allowances: await listAllowances(pool, county) });
  });

  router.put('/api/workforce/allowances/:rankClass/:level', admins, async (req, res) => {
    const cell = validate(AllowanceParams, req.params, 'params');
    const body = validate(AllowanceBody, req.body, 'body');
    await changeAllowance(pool, county, await callerOf(req), cell, body.monthly_yuan);
    res.json({ allowances: await listAllowances(pool, county) });
  });

  // Counts and means per community, open like the inspection card it belongs to (REQUIRE_LOGIN closes it with
  // the rest). Callers who may not see staff get no mean over fewer than five people (small-groups.ts).
  router.get('/api/workforce/figures', async (req, res) => {
    const q = validate(FiguresQuery, req.query, 'query');
    const { principal, scope } = await scopeOf(req);
    const minGroup = can(principal, 'people:read-masked') ? 1 : MIN_GROUP_FOR_PUBLIC_MEAN;
    const [figures, synthetic] = await Promise.all([
      workforceFigures(pool, county, scope, q.area ?? null, minGroup),
      hasSyntheticStaff(pool, county),
    ]);
    res.set('Cache-Control', 'no-store').json({ area: q.area ?? null, synthetic, ...figures });
  });

  return router;
}
