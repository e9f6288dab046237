// Draft plans: create (from the current grids or as a copy), autosave the assignment, delete. Each write is one
// transaction with its audit row; a refusal writes nothing and becomes the HttpError that says why.
import type { Pool } from '../postgres/pool.ts';
import { inTransaction } from '../postgres/pool.ts';
import { HttpError } from '../http-error.ts';
import { audit } from '../auth/audit.ts';
import type { Principal } from '../../shared/roles.ts';
import { deleteDraft, findPlan, insertDraftFromCurrentGrids, saveAssignments } from '../db/plans-repo.ts';
import { insertDraftCopy } from '../db/plan-history-repo.ts';
import type { PlanDetail } from '../../shared/api/plans.ts';
import { noPlan, publishedPlanError } from './plan-errors.ts';
import type { PlanCaller } from './publish-service.ts';

/** Who writes, and from where (the audit row's ip); a save or a delete may come from any principal allowed in. */
export interface DraftCaller {
  principal: Principal;
  ip: string | undefined;
}

/** A new draft named `name`: the current grids, or a copy of plan `copyOf` (a draft or a published plan). */
export async function createDraft(
  pool: Pool,
  countyCode: string,
  { principal, ip }: PlanCaller,
  name: string,
  copyOf: number | undefined,
): Promise<PlanDetail> {
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
        ip,
      });
    return created;
  });
  if (id === undefined) throw new HttpError(404, `no plan ${copyOf} to copy`);
  return (await findPlan(pool, countyCode, id))!;
}

/** At most ten ids, then how many more. */
const shown = (ids: string[]) => ids.slice(0, 10).join(', ') + (ids.length > 10 ? ` … ${ids.length - 10} more` : '');

/** Replaces draft `id`'s assignment (and locks, when given); an autosave that changes nothing writes no audit row. */
export async function saveDraft(
  pool: Pool,
  countyCode: string,
  { principal, ip }: DraftCaller,
  id: number,
  assignments: Record<string, string | null>,
  locks: string[] | undefined,
): Promise<{ id: number; updatedAt: string }> {
  const saved = await inTransaction(pool, async (client) => {
    const result = await saveAssignments(client, countyCode, id, assignments, locks);
    if (result.ok && (Object.keys(result.change.moved).length || result.change.locks))
      await audit(client, countyCode, principal, {
        action: 'plan.save',
        target: `plan:${id}`,
        after: result.change,
        ip,
      });
    return result;
  });
  if (saved.ok) return { id, updatedAt: saved.updatedAt };
  if (saved.reason === 'not-found') throw noPlan(id);
  if (saved.reason === 'not-draft') throw publishedPlanError(id, 'its assignment and locks do not change');
  const problems = [
    saved.unknown.length ? `unknown units: ${shown(saved.unknown)}` : '',
    saved.missing.length ? `units missing: ${shown(saved.missing)}` : '',
  ].filter(Boolean);
  throw new HttpError(400, `invalid request body: ${problems.join('; ')}`, 'InvalidBody', {
    unknown: saved.unknown,
    missing: saved.missing,
  });
}

/** Deletes draft `id` with its assignment; a published plan stays in the history. */
export async function removeDraft(
  pool: Pool,
  countyCode: string,
  { principal, ip }: DraftCaller,
  id: number,
): Promise<void> {
  const deleted = await inTransaction(pool, async (client) => {
    const result = await deleteDraft(client, countyCode, id);
    if (result.outcome === 'deleted')
      await audit(client, countyCode, principal, {
        action: 'plan.delete',
        target: `plan:${id}`,
        before: { name: result.name, units: result.units },
        ip,
      });
    return result.outcome;
  });
  if (deleted === 'not-found') throw noPlan(id);
  if (deleted === 'not-draft') throw publishedPlanError(id, 'it stays in the history');
}
