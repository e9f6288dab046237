/** Service activities (活动) logged per grid: organiser (a member unit or named), kind, participants, day. */
import type { Queryable } from '../postgres/pool.ts';
import type { AreaScope } from '../../shared/roles.ts';
import { queryCommunityPage, type CommunityList } from './community-list.ts';
import type { ActivityKind } from '../../shared/community-service.ts';

import type { ServiceActivity } from '../../shared/api/service-work.ts';

export type { ServiceActivity };

const COLUMNS = `t.id, t.grid_id as "gridId", t.community_id as "communityId", t.kind, t.title, t.organiser_unit_id as "organiserUnitId",
  t.organiser, t.participants, to_char(t.held_on, 'YYYY-MM-DD') as "heldOn", t.synthetic`;

const LIST: CommunityList = {
  columns: COLUMNS,
  from: 'service_activities t',
  orderBy: 't.held_on desc, t.id desc',
  filterColumn: 't.kind',
};

export async function listActivities(
  db: Queryable,
  countyCode: string,
  scope: AreaScope,
  filter: { kind?: ActivityKind; areaId?: string; limit: number; offset: number },
): Promise<{ total: number; activities: ServiceActivity[] }> {
  const { total, rows } = await queryCommunityPage<ServiceActivity>(db, countyCode, scope, filter, LIST, filter.kind);
  return { total, activities: rows };
}

export async function insertActivity(
  db: Queryable,
  countyCode: string,
  a: {
    gridId: string;
    communityId: string;
    kind: ActivityKind;
    title: string;
    organiserUnitId: string | null;
    organiser: string;
    participants: number;
    heldOn: string;
    loggedBy: number;
  },
): Promise<ServiceActivity> {
  const { rows } = await db.query<ServiceActivity>(
    `insert into service_activities (county_code, grid_id, community_id, kind, title, organiser_unit_id, organiser, participants, held_on, logged_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning ${COLUMNS.replaceAll('t.', '')}`,
    [
      countyCode,
      a.gridId,
      a.communityId,
      a.kind,
      a.title,
      a.organiserUnitId,
      a.organiser,
      a.participants,
      a.heldOn,
      a.loggedBy,
    ],
  );
  return rows[0];
}

export async function findUnitName(db: Queryable, countyCode: string, unitId: string): Promise<string | undefined> {
  const { rows } = await db.query<{ name: string }>(
    'select name from member_units where county_code = $1 and id = $2',
    [countyCode, unitId],
  );
  return rows[0]?.name;
}
