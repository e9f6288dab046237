// Publishing plans (/plan, issue 8): publish a draft (re-validated by the balancing engine, one transaction, new
// grid polygons, data version bumped with NOTIFY), the history of published plans, restore one, and rebase a draft
// that a later publication made stale. Planners and admins only.
import { Router } from 'express';
import type { Pool } from '../postgres/pool.ts';
import { inTransaction } from '../postgres/pool.ts';
import { HttpError, idParams, noQuery, validate } from '../http-error.ts';
import type { Auth } from '../auth/gate.ts';
import { audit } from '../auth/audit.ts';
import type { Principal } from '../../shared/roles.ts';
import {
  publishPlan,
  PublishRefused,
  type PlanValidator,
  type PublishRefusal,
  type PublishResult,
} from '../db/plan-publish-repo.ts';
import { createRestoreDraft, listPublished, rebaseDraft } from '../db/plan-history-repo.ts';
import { queryDataVersion } from '../db/tiles-repo.ts';
import { publishedPlanError } from './plans.ts';
import { planViolations, unitsOfAssignment, type PlanUnitsGeoJson } from '../plans/validate-plan.ts';
import type { PoolClient } from 'pg';

const IdParams = idParams('must be a plan id');

/** The draft must name every unit of today's data exactly once (a compound or all its buildings), then pass every
 * rule of the engine. */
const validator: PlanValidator = (unitsGeoJson, assignment) => {
  const units = JSON.parse(unitsGeoJson) as PlanUnitsGeoJson;
  const ids = new Set(unitsOfAssignment(units, assignment).features.map((f) => f.properties.id));
  const unknown = Object.keys(assignment)
    .filter((id) => !ids.has(id))
    .sort();
  const missing = [...ids].filter((id) => !(id in assignment)).sort();
  if (unknown.length || missing.length) return { reason: 'units', unknown, missing };
  const violations = planViolations(units, assignment);
  if (!violations.length) return null;
  return {
    reason: 'invalid',
    violations: violations.map(({ kind, message, grid, parent, unitIds }) => ({
      kind,
      message,
      grid,
      parent,
      unitIds,
    })),
  };
};

function refusalError(id: number, refusal: PublishRefusal): HttpError {
  switch (refusal.reason) {
    case 'not-found':
      return new HttpError(404, `no plan ${id}`);
    case 'not-draft':
      return publishedPlanError(id, 'it is published already');
    case 'stale': {
      const list = refusal.publishedSince.map((p) => `"${p.name}" (${p.author}, ${p.publishedAt})`).join(', ');
      return new HttpError(
        409,
        `the grids changed after this draft began: ${list} was published since. Rebase the draft onto the current grids (POST /api/plans/${id}/rebase), check it, then publish`,
        'StalePlan',
        refusal,
      );
    }
    case 'units':
      return new HttpError(
        409,
        `the units changed since this draft began (${refusal.unknown.length} unknown, ${refusal.missing.length} missing): rebase the draft`,
        'StalePlan',
        refusal,
      );
    case 'scope':
      return new HttpError(
        403,
        `the plan changes grids of communities outside your area: ${refusal.communities.join(', ')}`,
        'Forbidden',
        refusal,
      );
    case 'invalid': {
      const shown = refusal.violations
        .slice(0, 3)
        .map((v) => v.message)
        .join('; ');
      const more = refusal.violations.length > 3 ? ` … and ${refusal.violations.length - 3} more` : '';
      return new HttpError(
        422,
        `the plan breaks ${refusal.violations.length} rule(s): ${shown}${more}`,
        'InvalidPlan',
        refusal,
      );
    }
    case 'geometry':
      return new HttpError(
        500,
        `the derived grid polygons failed their checks; nothing was published`,
        'GeometryCheckFailed',
        refusal,
      );
  }
}

export interface PlanPublishOptions {
  /** Test-only: hold the publishing transaction open this long before commit (crash-safety tests). */
  publishPauseMs: number;
  /** Called after a publish or restore commits, with the new data version. */
  onPublished?: (dataVersion: number) => void;
}

export function planPublishRoutes(pool: Pool, countyCode: string, auth: Auth, options: PlanPublishOptions): Router {
  const router = Router();
  const planners = auth.requirePermission('plans:write');

  async function accountOf(req: Parameters<Auth['principalOf']>[0]): Promise<Principal & { kind: 'user' }> {
    const principal = await auth.principalOf(req);
    if (principal.kind !== 'user') throw new HttpError(403, 'only an account may publish plans');
    return principal;
  }

  /** Runs a publish in one transaction with its audit row; a refusal rolls everything back. */
  async function publishing(id: number, body: (client: PoolClient) => Promise<PublishResult>): Promise<PublishResult> {
    try {
      const result = await inTransaction(pool, async (client) => {
        const outcome = await body(client);
        if (options.publishPauseMs > 0) await client.query('select pg_sleep($1)', [options.publishPauseMs / 1000]);
        return outcome;
      });
      // This process's tiles take the new version at once; other processes follow the NOTIFY.
      options.onPublished?.(result.dataVersion);
      return result;
    } catch (error) {
      if (error instanceof PublishRefused) throw refusalError(id, error.refusal);
      throw error;
    }
  }

  router.post('/api/plans/:id/publish', planners, async (req, res) => {
    const { id } = validate(IdParams, req.params, 'params');
    const principal = await accountOf(req);
    const result = await publishing(id, async (client) => {
      const before = { state: 'draft', dataVersion: await queryDataVersion(client, countyCode) };
      const published = await publishPlan(client, countyCode, id, principal, validator);
      await audit(client, countyCode, principal, {
        action: 'plan.publish',
        target: `plan:${id}`,
        before,
        after: { state: 'published', dataVersion: published.dataVersion, ...published.summary },
        ip: req.ip,
      });
      return published;
    });
    res.set('Cache-Control', 'no-store').json(result);
  });

  router.post('/api/plans/:id/restore', planners, async (req, res) => {
    const { id } = validate(IdParams, req.params, 'params');
    const principal = await accountOf(req);
    const result = await publishing(id, async (client) => {
      const before = { dataVersion: await queryDataVersion(client, countyCode) };
      const draft = await createRestoreDraft(client, countyCode, id, principal.userId);
      if (draft === undefined) throw new PublishRefused({ reason: 'not-found' });
      const published = await publishPlan(client, countyCode, draft, principal, validator);
      await audit(client, countyCode, principal, {
        action: 'plan.restore',
        target: `plan:${id}`,
        before,
        after: { plan: draft, dataVersion: published.dataVersion, ...published.summary },
        ip: req.ip,
      });
      return published;
    });
    res.status(201).set('Cache-Control', 'no-store').json(result);
  });

  router.post('/api/plans/:id/rebase', planners, async (req, res) => {
    const { id } = validate(IdParams, req.params, 'params');
    const principal = await accountOf(req);
    const result = await inTransaction(pool, async (client) => {
      const rebased = await rebaseDraft(client, countyCode, id);
      if (rebased.ok)
        await audit(client, countyCode, principal, {
          action: 'plan.rebase',
          target: `plan:${id}`,
          after: {
            baseDataVersion: rebased.baseDataVersion,
            kept: rebased.kept,
            conflicts: rebased.conflicts.length,
            dropped: rebased.dropped.length,
          },
          ip: req.ip,
        });
      return rebased;
    });
    if (!result.ok && result.reason === 'not-found') throw new HttpError(404, `no plan ${id}`);
    if (!result.ok) throw publishedPlanError(id, 'only drafts are rebased');
    res.set('Cache-Control', 'no-store').json(result);
  });

  router.get('/api/plan/history', planners, noQuery, async (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ plans: await listPublished(pool, countyCode) });
  });

  return router;
}
