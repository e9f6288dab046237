// Publishing plans: publish a draft (re-validated by the balancing engine, one transaction with its audit row, new
// grid polygons, data version bumped with NOTIFY), restore a published plan, rebase a draft that a later publication
// made stale, and the history. A refusal rolls everything back and becomes the HttpError that says why.
import type { PoolClient } from 'pg';
import type { Pool } from '../postgres/pool.ts';
import { inTransaction } from '../postgres/pool.ts';
import { HttpError } from '../http-error.ts';
import { audit } from '../auth/audit.ts';
import type { UserPrincipal } from '../../shared/roles.ts';
import {
  holdTransaction,
  publishPlan,
  PublishRefused,
  type PlanValidator,
  type PublishRefusal,
  type PublishResult,
} from '../db/plan-publish-repo.ts';
import { createRestoreDraft, listPublished, rebaseDraft } from '../db/plan-history-repo.ts';
import { queryDataVersion } from '../db/tiles-repo.ts';
import type { PublishedPlan, Rebased } from '../../shared/api/plan-publish.ts';
import { noPlan, publishedPlanError } from './plan-errors.ts';
import { planViolations, unitsOfAssignment, type PlanUnitsGeoJson } from './validate-plan.ts';
import { requireCounty } from '../db/counties-repo.ts';
import type { HouseholdBounds } from '../../shared/plan-rules.ts';

export interface PublishSettings {
  /** Test-only: hold the publishing transaction open this long before commit (crash-safety tests). */
  publishPauseMs: number;
  /** Called after a publish or restore commits, with the new data version. */
  onPublished?: (dataVersion: number) => void;
}

/** Who asks, and from where (the audit row's ip). */
export interface PlanCaller {
  principal: UserPrincipal;
  ip: string | undefined;
}

/** The draft must name every unit of today's data exactly once (a compound or all its buildings), then pass every
 * rule of the engine within the county's grid bounds. */
const validator =
  (bounds: HouseholdBounds): PlanValidator =>
  (unitsGeoJson, assignment) => {
    const units = JSON.parse(unitsGeoJson) as PlanUnitsGeoJson;
    const ids = new Set(unitsOfAssignment(units, assignment).features.map((f) => f.properties.id));
    const unknown = Object.keys(assignment)
      .filter((id) => !ids.has(id))
      .sort();
    const missing = [...ids].filter((id) => !(id in assignment)).sort();
    if (unknown.length || missing.length) return { reason: 'units', unknown, missing };
    const violations = planViolations(units, assignment, bounds);
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
      return noPlan(id);
    case 'not-draft':
      return publishedPlanError(id, 'it is published already');
    case 'stale': {
      const list = refusal.publishedSince.map((p) => `"${p.name}" (${p.author}, ${p.publishedAt})`).join(', ');
      return new HttpError(
        409,
        `the grids changed after this draft began: ${list} was published since. ` +
          `Rebase the draft onto the current grids (POST /api/plans/${id}/rebase), check it, then publish`,
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

/** Runs a publish in one transaction with its audit row; a refusal rolls everything back. */
async function publishing(
  pool: Pool,
  settings: PublishSettings,
  id: number,
  body: (client: PoolClient) => Promise<PublishResult>,
): Promise<PublishResult> {
  try {
    const result = await inTransaction(pool, async (client) => {
      const outcome = await body(client);
      if (settings.publishPauseMs > 0) await holdTransaction(client, settings.publishPauseMs);
      return outcome;
    });
    // This process's tiles take the new version at once; other processes follow the NOTIFY.
    settings.onPublished?.(result.dataVersion);
    return result;
  } catch (error) {
    if (error instanceof PublishRefused) throw refusalError(id, error.refusal);
    throw error;
  }
}

/**
 * Publishes plan `planId` under the county's bounds and writes the audit row of `action` on plan `id`; `after`
 * adds to the new data version and the plan's summary.
 */
async function publishAudited(
  client: PoolClient,
  countyCode: string,
  { principal, ip }: PlanCaller,
  planId: number,
  row: { action: string; id: number; before: Record<string, unknown>; after: Record<string, unknown> },
): Promise<PublishResult> {
  const { bounds } = await requireCounty(client, countyCode);
  const published = await publishPlan(client, countyCode, planId, principal, validator(bounds));
  await audit(client, countyCode, principal, {
    action: row.action,
    target: `plan:${row.id}`,
    before: row.before,
    after: { ...row.after, dataVersion: published.dataVersion, ...published.summary },
    ip,
  });
  return published;
}

/** Publishes draft `id`: its grids become the county's. */
export function publishDraft(
  pool: Pool,
  countyCode: string,
  settings: PublishSettings,
  caller: PlanCaller,
  id: number,
): Promise<PublishResult> {
  return publishing(pool, settings, id, async (client) => {
    const before = { state: 'draft', dataVersion: await queryDataVersion(client, countyCode) };
    return publishAudited(client, countyCode, caller, id, {
      action: 'plan.publish',
      id,
      before,
      after: { state: 'published' },
    });
  });
}

/** Publishes published plan `id` again, as a new copy: its grids become the county's once more. */
export function restorePublished(
  pool: Pool,
  countyCode: string,
  settings: PublishSettings,
  caller: PlanCaller,
  id: number,
): Promise<PublishResult> {
  return publishing(pool, settings, id, async (client) => {
    const before = { dataVersion: await queryDataVersion(client, countyCode) };
    const draft = await createRestoreDraft(client, countyCode, id, caller.principal.userId);
    if (draft === undefined) throw new PublishRefused({ reason: 'not-found' });
    return publishAudited(client, countyCode, caller, draft, {
      action: 'plan.restore',
      id,
      before,
      after: { plan: draft },
    });
  });
}

/** Moves draft `id` onto the grids published since it began; the publication's moves win where both moved a unit. */
export async function rebasePlan(
  pool: Pool,
  countyCode: string,
  { principal, ip }: PlanCaller,
  id: number,
): Promise<Rebased> {
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
        ip,
      });
    return rebased;
  });
  if (!result.ok && result.reason === 'not-found') throw noPlan(id);
  if (!result.ok) throw publishedPlanError(id, 'only drafts are rebased');
  return result;
}

/** Every published plan, the newest (the current grids) first. */
export function planHistory(pool: Pool, countyCode: string): Promise<PublishedPlan[]> {
  return listPublished(pool, countyCode);
}
