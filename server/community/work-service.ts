// The community's service work (README.md): each write checks the caller's area and the record's state, then runs
// in one transaction with its audit row and a figures NOTIFY; lists are scoped to the caller's area in SQL.
import type { PoolClient } from 'pg';
import type { Pool } from '../postgres/pool.ts';
import { inTransaction } from '../postgres/pool.ts';
import { announceFigures } from '../db/data-version.ts';
import { actorLabel, type UserPrincipal } from '../../shared/roles.ts';
import { requireArea } from '../auth/area.ts';
import { audit } from '../auth/audit.ts';
import { HttpError } from '../http-error.ts';
import { resolveArea } from '../db/area-scope.ts';
import { nextStep } from '../../shared/community-service.ts';
import {
  claimWish,
  findInServiceMember,
  findWish,
  fulfilWish,
  insertWish,
  listInServiceMembers,
  listWishes,
} from '../db/micro-wishes-repo.ts';
import { findUnitName, insertActivity, listActivities } from '../db/service-activities-repo.ts';
import {
  advanceDeliberation,
  findDeliberation,
  insertDeliberation,
  insertStep,
  listDeliberations,
} from '../db/deliberations-repo.ts';
import { serviceCountsPerGrid } from '../db/community-counts-repo.ts';
import type {
  ActivityBody,
  ActivityQuery,
  AdvanceBody,
  DeliberationBody,
  DeliberationQuery,
  WishBody,
  WishQuery,
} from '../../shared/api/community-service.ts';

/** Who asks, and from where (the audit row's ip). */
export interface Caller {
  principal: UserPrincipal;
  ip: string | undefined;
}

/** The grid with its community, inside the caller's area: 404 when unknown or outside. */
async function gridInScope(pool: Pool, county: string, principal: UserPrincipal, gridId: string) {
  const place = await resolveArea(pool, county, { streetId: null, communityId: null, gridId });
  if (!place?.gridId || !place.communityId) throw new HttpError(404, `no grid ${gridId}`);
  requireArea(principal, place);
  return { gridId: place.gridId, communityId: place.communityId };
}

/** A record inside the caller's area (requireArea compares the street too, so the grid's street is looked up). */
async function checkRecord<R extends { gridId: string; communityId: string }>(
  pool: Pool,
  county: string,
  principal: UserPrincipal,
  record: R | undefined,
  what: string,
): Promise<R> {
  if (!record) throw new HttpError(404, `no ${what}`);
  const place = await resolveArea(pool, county, { streetId: null, communityId: null, gridId: record.gridId });
  try {
    requireArea(principal, { ...record, streetId: place?.streetId ?? null });
  } catch {
    throw new HttpError(404, `no ${what}`);
  }
  return record;
}

/**
 * A new item in the caller's scope: `insert` and its audit row (`action` on the target named from what `insert`
 * returned) in one transaction that also tells the wall its figures changed. Returns what `insert` returned.
 */
function recordNew<T>(
  pool: Pool,
  county: string,
  { principal, ip }: Caller,
  row: { action: string; target: (created: T) => string; after: Record<string, unknown> },
  insert: (db: PoolClient) => Promise<T>,
): Promise<T> {
  return inTransaction(pool, async (db) => {
    await announceFigures(db, county);
    const created = await insert(db);
    await audit(db, county, principal, { action: row.action, target: row.target(created), after: row.after, ip });
    return created;
  });
}

const page = (q: { limit: number; offset: number }) => ({ limit: q.limit, offset: q.offset });
const paged = <Q extends { area?: string; limit: number; offset: number }>(q: Q) => ({
  areaId: q.area,
  limit: q.limit,
  offset: q.offset,
});

export async function wishList(pool: Pool, county: string, principal: UserPrincipal, q: WishQuery) {
  return { ...(await listWishes(pool, county, principal.scope, { state: q.state, ...paged(q) })), ...page(q) };
}

export async function postWish(pool: Pool, county: string, caller: Caller, body: WishBody) {
  const place = await gridInScope(pool, county, caller.principal, body.grid_id);
  const audited = {
    action: 'micro_wish.post',
    target: (id: number) => `micro_wish:${id}`,
    after: { gridId: place.gridId, title: body.title },
  };
  const id = await recordNew(pool, county, caller, audited, (db) =>
    insertWish(db, county, {
      ...place,
      title: body.title,
      description: body.description ?? null,
      postedBy: caller.principal.userId,
    }),
  );
  return findWish(pool, county, id);
}

/** Whom a claim can be recorded for: the in-service party members of the wish's community (names masked). */
export async function claimMembers(pool: Pool, county: string, principal: UserPrincipal, id: number) {
  const wish = await checkRecord(pool, county, principal, await findWish(pool, county, id), `micro-wish ${id}`);
  return { members: await listInServiceMembers(pool, county, wish.communityId) };
}

export async function claim(pool: Pool, county: string, { principal, ip }: Caller, id: number, memberId: string) {
  await inTransaction(pool, async (db) => {
    await announceFigures(db, county);
    const wish = await checkRecord(pool, county, principal, await findWish(db, county, id, true), `micro-wish ${id}`);
    if (wish.state !== 'posted')
      throw new HttpError(409, `micro-wish ${id} is already ${wish.state}`, 'InvalidTransition');
    if (!(await findInServiceMember(db, county, memberId, wish.communityId))) {
      throw new HttpError(
        422,
        `${memberId} is not an in-service party member reporting to community ${wish.communityId}`,
        'NotInService',
      );
    }
    await claimWish(db, county, id, memberId);
    await audit(db, county, principal, {
      action: 'micro_wish.claim',
      target: `micro_wish:${id}`,
      before: { state: 'posted' },
      after: { state: 'claimed', claimedBy: memberId },
      ip,
    });
  });
  return findWish(pool, county, id);
}

export async function fulfil(pool: Pool, county: string, { principal, ip }: Caller, id: number, note: string) {
  await inTransaction(pool, async (db) => {
    await announceFigures(db, county);
    const wish = await checkRecord(pool, county, principal, await findWish(db, county, id, true), `micro-wish ${id}`);
    if (wish.state !== 'claimed')
      throw new HttpError(
        409,
        `micro-wish ${id} is ${wish.state}: only a claimed wish is fulfilled`,
        'InvalidTransition',
      );
    await fulfilWish(db, county, id, note);
    await audit(db, county, principal, {
      action: 'micro_wish.fulfil',
      target: `micro_wish:${id}`,
      before: { state: 'claimed' },
      after: { state: 'fulfilled', note },
      ip,
    });
  });
  return findWish(pool, county, id);
}

export async function activityList(pool: Pool, county: string, principal: UserPrincipal, q: ActivityQuery) {
  return { ...(await listActivities(pool, county, principal.scope, { kind: q.kind, ...paged(q) })), ...page(q) };
}

export async function logActivity(pool: Pool, county: string, caller: Caller, body: ActivityBody) {
  const place = await gridInScope(pool, county, caller.principal, body.grid_id);
  const unitName = body.organiser_unit_id ? await findUnitName(pool, county, body.organiser_unit_id) : undefined;
  if (body.organiser_unit_id && !unitName)
    throw new HttpError(422, `no member unit ${body.organiser_unit_id}`, 'UnknownUnit');
  const audited = {
    action: 'service_activity.log',
    target: (created: { id: number }) => `service_activity:${created.id}`,
    after: { gridId: place.gridId, kind: body.kind, participants: body.participants },
  };
  return recordNew(pool, county, caller, audited, (db) =>
    insertActivity(db, county, {
      ...place,
      kind: body.kind,
      title: body.title,
      organiserUnitId: body.organiser_unit_id ?? null,
      organiser: body.organiser ?? unitName!,
      participants: body.participants,
      heldOn: body.held_on,
      loggedBy: caller.principal.userId,
    }),
  );
}

export async function deliberationList(pool: Pool, county: string, principal: UserPrincipal, q: DeliberationQuery) {
  return { ...(await listDeliberations(pool, county, principal.scope, { step: q.step, ...paged(q) })), ...page(q) };
}

export async function propose(pool: Pool, county: string, caller: Caller, body: DeliberationBody) {
  const { principal } = caller;
  const place = await gridInScope(pool, county, principal, body.grid_id);
  const audited = {
    action: 'deliberation.propose',
    target: (id: number) => `deliberation:${id}`,
    after: { gridId: place.gridId, topic: body.topic, title: body.title },
  };
  const id = await recordNew(pool, county, caller, audited, (db) =>
    insertDeliberation(db, county, {
      ...place,
      topic: body.topic,
      title: body.title,
      createdBy: principal.userId,
      actor: actorLabel(principal),
      note: body.note ?? null,
    }),
  );
  return findDeliberation(pool, county, id);
}

export async function advance(pool: Pool, county: string, { principal, ip }: Caller, id: number, body: AdvanceBody) {
  await inTransaction(pool, async (db) => {
    await announceFigures(db, county);
    const found = await findDeliberation(db, county, id, true);
    const item = await checkRecord(pool, county, principal, found, `deliberation item ${id}`);
    const next = nextStep(item.step);
    if (!next) throw new HttpError(409, `deliberation item ${id} is already resolved`, 'InvalidTransition');
    if (next === 'resolved' && !body.resolution)
      throw new HttpError(400, 'the building heads\' meeting resolves with a resolution: give "resolution"');
    if (next !== 'resolved' && body.resolution)
      throw new HttpError(400, `a resolution belongs to the last step; this item goes to "${next}"`);
    await advanceDeliberation(db, county, id, next, body.resolution ?? null);
    await insertStep(db, county, id, next, body.note ?? body.resolution ?? null, actorLabel(principal));
    await audit(db, county, principal, {
      action: 'deliberation.advance',
      target: `deliberation:${id}`,
      before: { step: item.step },
      after: { step: next },
      ip,
    });
  });
  return findDeliberation(pool, county, id);
}

/** Counts per grid (the view grid_service_counts) and their totals: aggregates, never a person. */
export async function serviceCounts(pool: Pool, county: string, area: string | undefined) {
  const { totals, grids } = await serviceCountsPerGrid(pool, county, area ?? null);
  return { area: area ?? null, totals, grids };
}
