/**
 * Micro-wishes (微心愿): posted by a grid worker for a resident, claimed by an in-service party member (the
 * claim recorded by a grid worker or dispatcher), fulfilled with a note. Lists are scoped in SQL; the
 * claimer's name is masked here, the list never carries it in full.
 */
import type { Queryable } from '../postgres/pool.ts';
import type { AreaScope } from '../../shared/roles.ts';
import { maskName } from '../auth/masking.ts';
import { queryCommunityPage, type CommunityList } from './community-list.ts';
import { findInCounty, type RowSource } from './one-row.ts';
import type { WishState } from '../../shared/community-service.ts';

import type { MicroWish } from '../../shared/api/micro-wishes.ts';

export type { MicroWish };

const COLUMNS = `t.id, t.grid_id as "gridId", t.community_id as "communityId", t.title, t.description, t.state, t.posted_at as "postedAt",
  p.name as "claimedBy", t.claimed_at as "claimedAt", t.fulfilled_at as "fulfilledAt", t.fulfilment_note as "fulfilmentNote", t.synthetic`;
const FROM = `micro_wishes t left join people p on p.county_code = t.county_code and p.id = t.claimed_by`;

function shape(row: MicroWish): MicroWish {
  const r = { ...row, claimedBy: row.claimedBy === null ? null : maskName(row.claimedBy) };
  for (const k of ['postedAt', 'claimedAt', 'fulfilledAt'] as const) {
    const v = r[k] as unknown;
    if (v instanceof Date) r[k] = v.toISOString();
  }
  return r;
}

const LIST: CommunityList = {
  columns: COLUMNS,
  from: FROM,
  orderBy: `(t.state = 'posted') desc, t.posted_at desc, t.id desc`,
  filterColumn: 't.state',
};

export async function listWishes(
  db: Queryable,
  countyCode: string,
  scope: AreaScope,
  filter: { state?: WishState; areaId?: string; limit: number; offset: number },
): Promise<{ total: number; wishes: MicroWish[] }> {
  const { total, rows } = await queryCommunityPage<MicroWish>(db, countyCode, scope, filter, LIST, filter.state);
  return { total, wishes: rows.map(shape) };
}

const WISH_ROW: RowSource = { columns: COLUMNS, from: FROM, alias: 't' };
export const findWish = (db: Queryable, countyCode: string, id: number, forUpdate = false) =>
  findInCounty<MicroWish>(db, WISH_ROW, countyCode, id, forUpdate).then((row) => row && shape(row));

export async function insertWish(
  db: Queryable,
  countyCode: string,
  w: { gridId: string; communityId: string; title: string; description: string | null; postedBy: number },
): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `insert into micro_wishes (county_code, grid_id, community_id, title, description, posted_by) values ($1, $2, $3, $4, $5, $6) returning id`,
    [countyCode, w.gridId, w.communityId, w.title, w.description, w.postedBy],
  );
  return rows[0].id;
}

/** An in-service party member of the community (in-service members report to a community); undefined otherwise. */
export async function findInServiceMember(
  db: Queryable,
  countyCode: string,
  personId: string,
  communityId: string,
): Promise<{ id: string } | undefined> {
  const { rows } = await db.query<{ id: string }>(
    `select id from people where county_code = $1 and id = $2 and in_service and community_id = $3`,
    [countyCode, personId, communityId],
  );
  return rows[0];
}

export async function claimWish(db: Queryable, countyCode: string, id: number, personId: string): Promise<void> {
  await db.query(
    `update micro_wishes set state = 'claimed', claimed_by = $3, claimed_at = now() where county_code = $1 and id = $2`,
    [countyCode, id, personId],
  );
}

export async function fulfilWish(db: Queryable, countyCode: string, id: number, note: string): Promise<void> {
  await db.query(
    `update micro_wishes set state = 'fulfilled', fulfilled_at = now(), fulfilment_note = $3 where county_code = $1 and id = $2`,
    [countyCode, id, note],
  );
}

/** In-service party members who report to the community, names masked: whom a claim can be recorded for. */
export async function listInServiceMembers(
  db: Queryable,
  countyCode: string,
  communityId: string,
): Promise<{ id: string; name: string }[]> {
  const { rows } = await db.query<{ id: string; name: string }>(
    `select id, name from people where county_code = $1 and community_id = $2 and in_service order by id limit 500`,
    [countyCode, communityId],
  );
  return rows.map((r) => ({ id: r.id, name: maskName(r.name) }));
}
