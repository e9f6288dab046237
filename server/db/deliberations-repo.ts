/** Deliberation items (议事/协商) through the four steps, with a row per step (server/community/service.ts). */
import type { Queryable } from '../postgres/pool.ts';
import type { AreaScope } from '../../shared/roles.ts';
import { queryCommunityPage, type CommunityList } from './community-list.ts';
import { findInCounty } from './one-row.ts';
import type { DeliberationStep, DeliberationTopic } from '../../shared/community-service.ts';

import type { DeliberationItem } from '../../shared/api/service-work.ts';

export type { DeliberationItem };

const COLUMNS = `t.id, t.grid_id as "gridId", t.community_id as "communityId", t.topic, t.title, t.step, t.resolution, t.synthetic,
  to_json(t.created_at) #>> '{}' as "createdAt", to_json(t.updated_at) #>> '{}' as "updatedAt",
  (select coalesce(json_agg(json_build_object('step', s.step, 'note', s.note, 'actor', s.actor, 'at', s.at) order by s.at), '[]')
   from deliberation_steps s where s.county_code = t.county_code and s.item_id = t.id) as steps`;

const LIST: CommunityList = {
  columns: COLUMNS,
  from: 'deliberation_items t',
  orderBy: `(t.step = 'resolved'), t.updated_at desc, t.id desc`,
  filterColumn: 't.step',
};

export async function listDeliberations(
  db: Queryable,
  countyCode: string,
  scope: AreaScope,
  filter: { step?: DeliberationStep; areaId?: string; limit: number; offset: number },
): Promise<{ total: number; items: DeliberationItem[] }> {
  const { total, rows } = await queryCommunityPage<DeliberationItem>(db, countyCode, scope, filter, LIST, filter.step);
  return { total, items: rows };
}

export const findDeliberation = (db: Queryable, countyCode: string, id: number, forUpdate = false) =>
  findInCounty<DeliberationItem>(db, { columns: COLUMNS, from: LIST.from, alias: 't' }, countyCode, id, forUpdate);

export async function insertDeliberation(
  db: Queryable,
  countyCode: string,
  d: {
    gridId: string;
    communityId: string;
    topic: DeliberationTopic;
    title: string;
    createdBy: number;
    actor: string;
    note: string | null;
  },
): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `insert into deliberation_items (county_code, grid_id, community_id, topic, title, created_by) values ($1, $2, $3, $4, $5, $6) returning id`,
    [countyCode, d.gridId, d.communityId, d.topic, d.title, d.createdBy],
  );
  await insertStep(db, countyCode, rows[0].id, 'proposed', d.note, d.actor);
  return rows[0].id;
}

export async function insertStep(
  db: Queryable,
  countyCode: string,
  itemId: number,
  step: DeliberationStep,
  note: string | null,
  actor: string,
): Promise<void> {
  await db.query(
    `insert into deliberation_steps (county_code, item_id, step, note, actor) values ($1, $2, $3, $4, $5)`,
    [countyCode, itemId, step, note, actor],
  );
}

export async function advanceDeliberation(
  db: Queryable,
  countyCode: string,
  id: number,
  step: DeliberationStep,
  resolution: string | null,
): Promise<void> {
  await db.query(
    `update deliberation_items set step = $3, resolution = coalesce($4, resolution), updated_at = now() where county_code = $1 and id = $2`,
    [countyCode, id, step, resolution],
  );
}
