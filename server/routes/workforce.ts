// The community workforce (server/community/README.md): staff by team with post, rank and allowance, the
// allowance table, mentors, and the figures per community. Leaders and dispatchers read inside their area
// (scoped in SQL; names masked, no phones); only admins write, each write one transaction with an audit row.
// The figures are open like the inspection card.
import { Router } from 'express';
import type { Config } from '../config.ts';
import type { Pool } from '../postgres/pool.ts';
import { inTransaction } from '../postgres/pool.ts';
import { announceFigures } from '../db/data-version.ts';
import type { Auth } from '../auth/gate.ts';
import { can, COUNTY_WIDE } from '../../shared/roles.ts';
import { audit } from '../auth/audit.ts';
import { maskName } from '../auth/masking.ts';
import { HttpError, noQuery, validate } from '../http-error.ts';
import { MIN_GROUP_FOR_PUBLIC_MEAN, mentorProblem, staffChangeProblem } from '../community/workforce.ts';
import {
  findStaff,
  hasSyntheticStaff,
  listAllowances,
  listStaff,
  lockAllowance,
  setAllowance,
  setMentor,
  updateStaff,
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
    const { principal, scope } = await scopeOf(req);
    await inTransaction(pool, async (db) => {
      await announceFigures(db, county);
      const before = await findStaff(db, county, id, scope, true);
      if (!before) throw new HttpError(404, `no staff member ${id}`);
      const change = {
        post: body.post ?? before.post,
        rankClass: body.rank_class === undefined ? before.rankClass : body.rank_class,
        level: body.level === undefined ? before.level : body.level,
      };
      const problem = staffChangeProblem(before.team, change);
      if (problem) throw new HttpError(422, problem, 'InvalidStaffChange');
      await updateStaff(db, county, id, change);
      await audit(db, county, principal, {
        action: 'workforce.staff_update',
        target: `person:${id}`,
        before: { post: before.post, rankClass: before.rankClass, level: before.level },
        after: change,
        ip: req.ip,
      });
    });
    res.json(shown((await findStaff(pool, county, id))!));
  });

  router.put('/api/workforce/staff/:personId/mentor', admins, async (req, res) => {
    const { personId: id } = validate(PersonParams, req.params, 'params');
    const body = validate(MentorBody, req.body, 'body');
    const { principal, scope } = await scopeOf(req);
    await inTransaction(pool, async (db) => {
      await announceFigures(db, county);
      const mentee = await findStaff(db, county, id, scope, true);
      if (!mentee) throw new HttpError(404, `no staff member ${id}`);
      if (body.mentor_id !== null) {
        const mentor = await findStaff(db, county, body.mentor_id, scope, true);
        if (!mentor) throw new HttpError(422, `no staff member ${body.mentor_id} to be the mentor`, 'InvalidMentor');
        const problem = mentorProblem(mentee, mentor);
        if (problem) throw new HttpError(422, problem, 'InvalidMentor');
      }
      await setMentor(db, county, id, body.mentor_id);
      await audit(db, county, principal, {
        action: 'workforce.mentor_assign',
        target: `person:${id}`,
        before: { mentorId: mentee.mentorId },
        after: { mentorId: body.mentor_id },
        ip: req.ip,
      });
    });
    res.json(shown((await findStaff(pool, county, id))!));
  });

  router.get('/api/workforce/allowances', readers, noQuery, async (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ allowances: await listAllowances(pool, county) });
  });

  router.put('/api/workforce/allowances/:rankClass/:level', admins, async (req, res) => {
    const cell = validate(AllowanceParams, req.params, 'params');
    const body = validate(AllowanceBody, req.body, 'body');
    const { principal } = await scopeOf(req);
    await inTransaction(pool, async (db) => {
      await announceFigures(db, county);
      const before = await lockAllowance(db, county, cell.rankClass, cell.level);
      if (before === undefined) throw new HttpError(404, `no allowance for ${cell.rankClass} level ${cell.level}`);
      await setAllowance(db, county, cell.rankClass, cell.level, body.monthly_yuan);
      await audit(db, county, principal, {
        action: 'workforce.allowance_set',
        target: `allowance:${cell.rankClass}:${cell.level}`,
        before: { monthlyYuan: before },
        after: { monthlyYuan: body.monthly_yuan },
        ip: req.ip,
      });
    });
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
