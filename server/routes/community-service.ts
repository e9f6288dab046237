// The community's service work besides issues (server/community/README.md): micro-wishes, service activities,
// deliberation items, and their counts per grid. Parse → one call of server/community/work-service.ts → respond.
import { Router, type Request, type Response } from 'express';
import type { z } from 'zod';
import type { Config } from '../config.ts';
import type { Pool } from '../postgres/pool.ts';
import type { Auth } from '../auth/gate.ts';
import { idParams, noQuery, validate } from '../http-error.ts';
import {
  ActivityBody,
  ActivityQuery,
  AdvanceBody,
  ClaimBody,
  CountsQuery,
  DeliberationBody,
  DeliberationQuery,
  FulfilBody,
  WishBody,
  WishQuery,
} from '../../shared/api/community-service.ts';
import * as work from '../community/work-service.ts';
import { accountOf } from './account-of.ts';
import type { UserPrincipal } from '../../shared/roles.ts';

const IdParams = idParams('an id is a number');

export function communityServiceRoutes(pool: Pool, config: Config, auth: Auth): Router {
  const router = Router();
  const county = config.countyCode;
  // The client shows the tabs by the same permissions (GET /api/me), so a tab is never one that answers 403.
  const readers = auth.requirePermission('community-service:read');
  const handlers = auth.requirePermission('community-service:handle');
  const callerOf = async (req: Request): Promise<work.Caller> => ({
    principal: await accountOf(auth, req),
    ip: req.ip,
  });
  const idOf = (req: Request) => validate(IdParams, req.params, 'params').id;
  // A list in the caller's scope (GET) and the creation of one item (POST, 201): parse, one service call, respond.
  type Read<Q> = (pool: Pool, county: string, account: UserPrincipal, q: Q) => Promise<unknown>;
  type Write<B> = (pool: Pool, county: string, caller: work.Caller, body: B) => Promise<unknown>;
  const list =
    <S extends z.ZodType>(query: S, read: Read<z.output<S>>) =>
    async (req: Request, res: Response) => {
      const q = validate(query, req.query, 'query');
      res.set('Cache-Control', 'no-store').json(await read(pool, county, await accountOf(auth, req), q));
    };
  const create =
    <S extends z.ZodType>(schema: S, write: Write<z.output<S>>) =>
    async (req: Request, res: Response) => {
      const body = validate(schema, req.body, 'body');
      res.status(201).json(await write(pool, county, await callerOf(req), body));
    };

  // Micro-wishes (微心愿)
  router.get('/api/micro-wishes', readers, list(WishQuery, work.wishList));
  router.post('/api/micro-wishes', auth.requireRole('grid_worker'), create(WishBody, work.postWish));

  router.get('/api/micro-wishes/:id/members', handlers, noQuery, async (req, res) => {
    const id = idOf(req);
    res.set('Cache-Control', 'no-store').json(await work.claimMembers(pool, county, await accountOf(auth, req), id));
  });

  router.post('/api/micro-wishes/:id/claim', handlers, async (req, res) => {
    const id = idOf(req);
    const body = validate(ClaimBody, req.body, 'body');
    res.json(await work.claim(pool, county, await callerOf(req), id, body.party_member_id));
  });

  router.post('/api/micro-wishes/:id/fulfil', handlers, async (req, res) => {
    const id = idOf(req);
    const body = validate(FulfilBody, req.body, 'body');
    res.json(await work.fulfil(pool, county, await callerOf(req), id, body.note));
  });

  // Service activities (活动)
  router.get('/api/service-activities', readers, list(ActivityQuery, work.activityList));
  router.post('/api/service-activities', handlers, create(ActivityBody, work.logActivity));

  // Deliberation items (议事/协商)
  router.get('/api/deliberations', readers, list(DeliberationQuery, work.deliberationList));
  router.post('/api/deliberations', handlers, create(DeliberationBody, work.propose));

  router.post('/api/deliberations/:id/advance', handlers, async (req, res) => {
    const id = idOf(req);
    const body = validate(AdvanceBody, req.body, 'body');
    res.json(await work.advance(pool, county, await callerOf(req), id, body));
  });

  // Counts per grid: aggregates, for the inspection card and the wall.
  router.get('/api/community-service/counts', auth.requirePermission('aggregates:read'), async (req, res) => {
    const q = validate(CountsQuery, req.query, 'query');
    res.set('Cache-Control', 'no-store').json(await work.serviceCounts(pool, county, q.area));
  });

  return router;
}
