// The planner (/plan): the units a plan assigns, and draft plans (create from the current grids, list,
// read, autosave the assignment, delete, copy). Planners and admins only. Published plans are read-only (409).
import { Router } from 'express';
import type { Pool } from '../postgres/pool.ts';
import { HttpError, idParams, noQuery, validate } from '../http-error.ts';
import type { Auth } from '../auth/gate.ts';
import {
  deleteDraft,
  findPlan,
  insertDraftFromCurrentGrids,
  listPlans,
  queryPlanUnitsGeoJson,
  saveAssignments,
} from '../db/plans-repo.ts';
import { audit } from '../auth/audit.ts';
import { insertDraftCopy } from '../db/plan-history-repo.ts';
import { inTransaction } from '../postgres/pool.ts';
import { CreatePlanBody, PlanAssignmentsBody } from '../../shared/api/plans.ts';
import { publishedPlanError } from '../plans/plan-errors.ts';

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
    const id = await inTransaction(pool, async (client) => {
      const created =
        copyOf === undefined
          ? await insertDraftFromCurrentGrids(client, countyCode, name, principal.userId)
          : await insertDraftCopy(client, countyCode, copyOf, principal.userId, {
              name: () => name,
              publishedOnly: false,
              restoredFrom: false,
            });
      if (created !== undefined)
        await audit(client, countyCode, principal, {
          action: 'plan.create',
          target: `plan:${created}`,
          after: { name, copyOf: copyOf ?? null },
          ip: req.ip,
        });
      return created;
    });
    if (id === undefined) throw new HttpError(404, `no plan ${copyOf} to copy`);
    res
      .status(201)
      .set('Cache-Control', 'no-store')
      .json(await findPlan(pool, countyCode, id));
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
    const principal = await auth.principalOf(req);
    // An autosave that changes nothing writes no audit row.
    const saved = await saveAssignments(pool, countyCode, id, assignments, locks, (client, change) =>
      Object.keys(change.moved).length || change.locks
        ? audit(client, countyCode, principal, { action: 'plan.save', target: `plan:${id}`, after: change, ip: req.ip })
        : Promise.resolve(),
    );
    if (saved.ok) {
      res.json({ id, updatedAt: saved.updatedAt });
      return;
    }
    if (saved.reason === 'not-found') throw new HttpError(404, `no plan ${id}`);
    if (saved.reason === 'not-draft') throw publishedPlanError(id, 'its assignment and locks do not change');
    const shown = (ids: string[]) =>
      ids.slice(0, 10).join(', ') + (ids.length > 10 ? ` … ${ids.length - 10} more` : '');
    const problems = [
      saved.unknown.length ? `unknown units: ${shown(saved.unknown)}` : '',
      saved.missing.length ? `units missing: ${shown(saved.missing)}` : '',
    ].filter(Boolean);
    throw new HttpError(400, `invalid request body: ${problems.join('; ')}`, 'InvalidBody', {
      unknown: saved.unknown,
      missing: saved.missing,
    });
  });

  router.delete('/api/plans/:id', planners, async (req, res) => {
    const { id } = validate(IdParams, req.params, 'params');
    const principal = await auth.principalOf(req);
    const deleted = await inTransaction(pool, async (client) => {
      const result = await deleteDraft(client, countyCode, id);
      if (result.outcome === 'deleted')
        await audit(client, countyCode, principal, {
          action: 'plan.delete',
          target: `plan:${id}`,
          before: { name: result.name, units: result.units },
          ip: req.ip,
        });
      return result.outcome;
    });
    if (deleted === 'not-found') throw new HttpError(404, `no plan ${id}`);
    if (deleted === 'not-draft') throw publishedPlanError(id, 'it stays in the history');
    res.status(204).end();
  });

  return router;
}
