// Publishing plans (/plan): publish a draft, the history of published plans, restore one, and rebase a draft that a
// later publication made stale (server/plans/publish-service.ts). Planners and admins only.
import { Router, type Request } from 'express';
import type { Pool } from '../postgres/pool.ts';
import { idParams, noQuery, validate } from '../http-error.ts';
import type { Auth } from '../auth/gate.ts';
import {
  planHistory,
  publishDraft,
  rebasePlan,
  restorePublished,
  type PlanCaller,
  type PublishSettings,
} from '../plans/publish-service.ts';
import { accountOf } from './account-of.ts';

const IdParams = idParams('must be a plan id');

export function planPublishRoutes(pool: Pool, countyCode: string, auth: Auth, options: PublishSettings): Router {
  const router = Router();
  const planners = auth.requirePermission('plans:write');
  const callerOf = async (req: Request): Promise<PlanCaller> => ({
    principal: await accountOf(auth, req, 'publish plans'),
    ip: req.ip,
  });

  router.post('/api/plans/:id/publish', planners, async (req, res) => {
    const { id } = validate(IdParams, req.params, 'params');
    const result = await publishDraft(pool, countyCode, options, await callerOf(req), id);
    res.set('Cache-Control', 'no-store').json(result);
  });

  router.post('/api/plans/:id/restore', planners, async (req, res) => {
    const { id } = validate(IdParams, req.params, 'params');
    const result = await restorePublished(pool, countyCode, options, await callerOf(req), id);
    res.status(201).set('Cache-Control', 'no-store').json(result);
  });

  router.post('/api/plans/:id/rebase', planners, async (req, res) => {
    const { id } = validate(IdParams, req.params, 'params');
    const result = await rebasePlan(pool, countyCode, await callerOf(req), id);
    res.set('Cache-Control', 'no-store').json(result);
  });

  router.get('/api/plan/history', planners, noQuery, async (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ plans: await planHistory(pool, countyCode) });
  });

  return router;
}
