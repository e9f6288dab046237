// The planner (/plan): the units a plan assigns, and draft plans (create from the current grids, list,
// read, autosave the assignment, delete, copy). Planners and admins only. Published plans are read-only (409).
import { Router } from 'express';
import type { Pool } from '../postgres/pool.ts';
import { HttpError, idParams, noQuery, validate } from '../http-error.ts';
import type { Auth } from '../auth/gate.ts';
import { findPlan, listPlans, queryPlanUnitsGeoJson } from '../db/plans-repo.ts';
import { CreatePlanBody, PlanAssignmentsBody } from '../../shared/api/plans.ts';
import { createDraft, removeDraft, saveDraft } from '../plans/drafts-service.ts';

const IdParams = idParams('must be a plan id');

export function planRoutes(pool: Pool, countyCode: string, auth: Auth): Router {
  const router = Router();
  const planners = auth.requirePermission('plans:write');

  router.get('/api/plan/units', planners, noQuery, async (_req, res) => {
    res
      .set('Cache-Control', 'no-store')
      .type('application/geo+json')
      .send(await queryPlanUnitsGeoJson(pool, countyCode));
  });

  router.get('/api/plans', planners, noQuery, async (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ plans: await listPlans(pool, countyCode) });
  });

  router.post('/api/plans', planners, async (req, res) => {
    const { name, copyOf } = validate(CreatePlanBody, req.body, 'body');
    const principal = await auth.principalOf(req);
    if (principal.kind !== 'user') throw new HttpError(403, 'only an account may create plans');
    const plan = await createDraft(pool, countyCode, { principal, ip: req.ip }, name, copyOf);
    res.status(201).set('Cache-Control', 'no-store').json(plan);
  });

  router.get('/api/plans/:id', planners, noQuery, async (req, res) => {
    const { id } = validate(IdParams, req.params, 'params');
    const plan = await findPlan(pool, countyCode, id);
    if (!plan) throw new HttpError(404, `no plan ${id}`);
    res.set('Cache-Control', 'no-store').json(plan);
  });

  router.put('/api/plans/:id/assignments', planners, async (req, res) => {
    const { id } = validate(IdParams, req.params, 'params');
    const { assignments, locks } = validate(PlanAssignmentsBody, req.body, 'body');
    const caller = { principal: await auth.principalOf(req), ip: req.ip };
    res.json(await saveDraft(pool, countyCode, caller, id, assignments, locks));
  });

  router.delete('/api/plans/:id', planners, async (req, res) => {
    const { id } = validate(IdParams, req.params, 'params');
    await removeDraft(pool, countyCode, { principal: await auth.principalOf(req), ip: req.ip }, id);
    res.status(204).end();
  });

  return router;
}
