// The community's service work besides issues (server/community/README.md): micro-wishes, service activities,
// deliberation items, and their counts per grid. Thin: parse → check role and area → one transaction with an
// audit row → respond. Lists are scoped to the caller's area in SQL; counts are aggregates (never a person).
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Config } from '../config.ts';
import type { Pool } from '../postgres/pool.ts';
import { inTransaction } from '../postgres/pool.ts';
import { announceFigures } from '../db/data-version.ts';
import type { Auth } from '../auth/gate.ts';
import { actorLabel, type Principal } from '../../shared/roles.ts';
import { requireArea } from '../auth/area.ts';
import { audit } from '../auth/audit.ts';
import { HttpError, idParams, noQuery, validate } from '../http-error.ts';
import { resolveArea } from '../db/area-scope.ts';
import {
  ACTIVITY_KINDS,
  DELIBERATION_STEPS,
  DELIBERATION_TOPICS,
  nextStep,
  WISH_STATES,
} from '../../shared/community-service.ts';
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

type UserPrincipal = Extract<Principal, { kind: 'user' }>;

const areaId = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'an area is a grid, community or street id');
const text = (max: number) => z.string().trim().min(1).max(max);
const page = {
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
};
const IdParams = idParams('an id is a number');

const WishQuery = z.strictObject({ state: z.enum(WISH_STATES).optional(), area: areaId.optional(), ...page });
const WishBody = z.strictObject({
  grid_id: areaId,
  title: text(100),
  description: z.string().trim().max(1000).optional(),
});
const ClaimBody = z.strictObject({
  party_member_id: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'a person id from the party register'),
});
const FulfilBody = z.strictObject({ note: text(1000) });

const ActivityQuery = z.strictObject({ kind: z.enum(ACTIVITY_KINDS).optional(), area: areaId.optional(), ...page });
const ActivityBody = z
  .strictObject({
    grid_id: areaId,
    kind: z.enum(ACTIVITY_KINDS),
    title: text(100),
    organiser_unit_id: areaId.optional(),
    organiser: text(100).optional(),
    participants: z.number().int().min(1).max(10_000),
    held_on: z.iso.date(),
  })
  .refine((b) => b.organiser_unit_id !== undefined || b.organiser !== undefined, {
    message: 'give organiser_unit_id (a member unit) or organiser (a name)',
  });

const DeliberationQuery = z.strictObject({
  step: z.enum(DELIBERATION_STEPS).optional(),
  area: areaId.optional(),
  ...page,
});
const DeliberationBody = z.strictObject({
  grid_id: areaId,
  topic: z.enum(DELIBERATION_TOPICS),
  title: text(100),
  note: z.string().trim().max(1000).optional(),
});
const AdvanceBody = z.strictObject({
  note: z.string().trim().max(1000).optional(),
  resolution: z.string().trim().min(1).max(1000).optional(),
});
const CountsQuery = z.strictObject({ area: areaId.optional() });

export function communityServiceRoutes(pool: Pool, config: Config, auth: Auth): Router {
  const router = Router();
  const county = config.countyCode;
  // The client shows the tabs by the same permissions (GET /api/me), so a tab is never one that answers 403.
  const readers = auth.requirePermission('community-service:read');
  const handlers = auth.requirePermission('community-service:handle');

  const userOf = async (req: Request): Promise<UserPrincipal> => {
    const principal = await auth.principalOf(req);
    if (principal.kind !== 'user') throw new HttpError(403, 'only an account may do this');
    return principal;
  };

  /** The grid with its community, inside the caller's area: 404 when unknown or outside. */
  const gridInScope = async (principal: UserPrincipal, gridId: string) => {
    const place = await resolveArea(pool, county, { streetId: null, communityId: null, gridId });
    if (!place?.gridId || !place.communityId) throw new HttpError(404, `no grid ${gridId}`);
    requireArea(principal, place);
    return { gridId: place.gridId, communityId: place.communityId };
  };
  // requireArea compares the street too: a street-scoped account needs the record's street.
  const withStreet = async (record: { gridId: string; communityId: string }) => {
    const place = await resolveArea(pool, county, { streetId: null, communityId: null, gridId: record.gridId });
    return { ...record, streetId: place?.streetId ?? null };
  };
  const checkRecord = async (
    principal: UserPrincipal,
    record: { gridId: string; communityId: string } | undefined,
    what: string,
  ) => {
    if (!record) throw new HttpError(404, `no ${what}`);
    try {
      requireArea(principal, await withStreet(record));
    } catch {
      throw new HttpError(404, `no ${what}`);
    }
  };

  // Micro-wishes (微心愿)
  router.get('/api/micro-wishes', readers, async (req, res) => {
    const q = validate(WishQuery, req.query, 'query');
    const principal = await userOf(req);
    res.set('Cache-Control', 'no-store').json({
      ...(await listWishes(pool, county, principal.scope, {
        state: q.state,
        areaId: q.area,
        limit: q.limit,
        offset: q.offset,
      })),
      limit: q.limit,
      offset: q.offset,
    });
  });

  router.post('/api/micro-wishes', auth.requireRole('grid_worker'), async (req, res) => {
    const body = validate(WishBody, req.body, 'body');
    const principal = await userOf(req);
    const place = await gridInScope(principal, body.grid_id);
    const id = await inTransaction(pool, async (db) => {
      await announceFigures(db, county);
      const created = await insertWish(db, county, {
        ...place,
        title: body.title,
        description: body.description ?? null,
        postedBy: principal.userId,
      });
      await audit(db, county, principal, {
        action: 'micro_wish.post',
        target: `micro_wish:${created}`,
        after: { gridId: place.gridId, title: body.title },
        ip: req.ip,
      });
      return created;
    });
    res.status(201).json(await findWish(pool, county, id));
  });

  // Whom a claim can be recorded for: the in-service party members of the wish's community (names masked).
  router.get('/api/micro-wishes/:id/members', handlers, noQuery, async (req, res) => {
    const { id } = validate(IdParams, req.params, 'params');
    const principal = await userOf(req);
    const wish = await findWish(pool, county, id);
    await checkRecord(principal, wish, `micro-wish ${id}`);
    res.set('Cache-Control', 'no-store').json({ members: await listInServiceMembers(pool, county, wish!.communityId) });
  });

  router.post('/api/micro-wishes/:id/claim', handlers, async (req, res) => {
    const { id } = validate(IdParams, req.params, 'params');
    const body = validate(ClaimBody, req.body, 'body');
    const principal = await userOf(req);
    await inTransaction(pool, async (db) => {
      await announceFigures(db, county);
      const wish = await findWish(db, county, id, true);
      await checkRecord(principal, wish, `micro-wish ${id}`);
      if (wish!.state !== 'posted')
        throw new HttpError(409, `micro-wish ${id} is already ${wish!.state}`, 'InvalidTransition');
      if (!(await findInServiceMember(db, county, body.party_member_id, wish!.communityId))) {
        throw new HttpError(
          422,
          `${body.party_member_id} is not an in-service party member reporting to community ${wish!.communityId}`,
          'NotInService',
        );
      }
      await claimWish(db, county, id, body.party_member_id);
      await audit(db, county, principal, {
        action: 'micro_wish.claim',
        target: `micro_wish:${id}`,
        before: { state: 'posted' },
        after: { state: 'claimed', claimedBy: body.party_member_id },
        ip: req.ip,
      });
    });
    res.json(await findWish(pool, county, id));
  });

  router.post('/api/micro-wishes/:id/fulfil', handlers, async (req, res) => {
    const { id } = validate(IdParams, req.params, 'params');
    const body = validate(FulfilBody, req.body, 'body');
    const principal = await userOf(req);
    await inTransaction(pool, async (db) => {
      await announceFigures(db, county);
      const wish = await findWish(db, county, id, true);
      await checkRecord(principal, wish, `micro-wish ${id}`);
      if (wish!.state !== 'claimed')
        throw new HttpError(
          409,
          `micro-wish ${id} is ${wish!.state}: only a claimed wish is fulfilled`,
          'InvalidTransition',
        );
      await fulfilWish(db, county, id, body.note);
      await audit(db, county, principal, {
        action: 'micro_wish.fulfil',
        target: `micro_wish:${id}`,
        before: { state: 'claimed' },
        after: { state: 'fulfilled', note: body.note },
        ip: req.ip,
      });
    });
    res.json(await findWish(pool, county, id));
  });

  // Service activities (活动)
  router.get('/api/service-activities', readers, async (req, res) => {
    const q = validate(ActivityQuery, req.query, 'query');
    const principal = await userOf(req);
    res.set('Cache-Control', 'no-store').json({
      ...(await listActivities(pool, county, principal.scope, {
        kind: q.kind,
        areaId: q.area,
        limit: q.limit,
        offset: q.offset,
      })),
      limit: q.limit,
      offset: q.offset,
    });
  });

  router.post('/api/service-activities', handlers, async (req, res) => {
    const body = validate(ActivityBody, req.body, 'body');
    const principal = await userOf(req);
    const place = await gridInScope(principal, body.grid_id);
    const unitName = body.organiser_unit_id ? await findUnitName(pool, county, body.organiser_unit_id) : undefined;
    if (body.organiser_unit_id && !unitName)
      throw new HttpError(422, `no member unit ${body.organiser_unit_id}`, 'UnknownUnit');
    const activity = await inTransaction(pool, async (db) => {
      await announceFigures(db, county);
      const created = await insertActivity(db, county, {
        ...place,
        kind: body.kind,
        title: body.title,
        organiserUnitId: body.organiser_unit_id ?? null,
        organiser: body.organiser ?? unitName!,
        participants: body.participants,
        heldOn: body.held_on,
        loggedBy: principal.userId,
      });
      await audit(db, county, principal, {
        action: 'service_activity.log',
        target: `service_activity:${created.id}`,
        after: { gridId: place.gridId, kind: body.kind, participants: body.participants },
        ip: req.ip,
      });
      return created;
    });
    res.status(201).json(activity);
  });

  // Deliberation items (议事/协商)
  router.get('/api/deliberations', readers, async (req, res) => {
    const q = validate(DeliberationQuery, req.query, 'query');
    const principal = await userOf(req);
    res.set('Cache-Control', 'no-store').json({
      ...(await listDeliberations(pool, county, principal.scope, {
        step: q.step,
        areaId: q.area,
        limit: q.limit,
        offset: q.offset,
      })),
      limit: q.limit,
      offset: q.offset,
    });
  });

  router.post('/api/deliberations', handlers, async (req, res) => {
    const body = validate(DeliberationBody, req.body, 'body');
    const principal = await userOf(req);
    const place = await gridInScope(principal, body.grid_id);
    const id = await inTransaction(pool, async (db) => {
      await announceFigures(db, county);
      const created = await insertDeliberation(db, county, {
        ...place,
        topic: body.topic,
        title: body.title,
        createdBy: principal.userId,
        actor: actorLabel(principal),
        note: body.note ?? null,
      });
      await audit(db, county, principal, {
        action: 'deliberation.propose',
        target: `deliberation:${created}`,
        after: { gridId: place.gridId, topic: body.topic, title: body.title },
        ip: req.ip,
      });
      return created;
    });
    res.status(201).json(await findDeliberation(pool, county, id));
  });

  router.post('/api/deliberations/:id/advance', handlers, async (req, res) => {
    const { id } = validate(IdParams, req.params, 'params');
    const body = validate(AdvanceBody, req.body, 'body');
    const principal = await userOf(req);
    await inTransaction(pool, async (db) => {
      await announceFigures(db, county);
      const item = await findDeliberation(db, county, id, true);
      await checkRecord(principal, item, `deliberation item ${id}`);
      const next = nextStep(item!.step);
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
        before: { step: item!.step },
        after: { step: next },
        ip: req.ip,
      });
    });
    res.json(await findDeliberation(pool, county, id));
  });

  // Counts per grid (the view grid_service_counts): aggregates, for the inspection card and the wall.
  router.get('/api/community-service/counts', auth.requirePermission('aggregates:read'), async (req, res) => {
    const q = validate(CountsQuery, req.query, 'query');
    const { totals, grids } = await serviceCountsPerGrid(pool, county, q.area ?? null);
    res.set('Cache-Control', 'no-store').json({ area: q.area ?? null, totals, grids });
  });

  return router;
}
