/** Service activities (活动) logged per grid: organiser (a member unit or named), kind, participants, day. */
import type { Pool } from './pool.ts';
import type { AreaScope } from '../auth/roles.ts';
import { areaCondition } from './area-scope.ts';
import type { ActivityKind } from '../community/service.ts';

type Queryable = Pick<Pool, 'query'>;

export interface ServiceActivity {
  id: number;
  gridId: string;
  communityId: string;
  kind: ActivityKind;
  title: string;
  organiserUnitId: string | null;
  organiser: string;
  participants: number;
  heldOn: string;
  synthetic: boolean;
}

const COLUMNS = `a.id, a.grid_id as "gridId", a.community_id as "communityId", a.kind, a.title, a.organiser_unit_id as "organiserUnitId",
  a.organiser, a.participants, to_char(a.held_on, 'YYYY-MM-DD') as "heldOn", a.synthetic`;

export async function listActivities(
  db: Queryable, countyCode: string, scope: AreaScope,
  filter: { kind?: ActivityKind; areaId?: string; limit: number; offset: number },
): Promise<{ total: number; activities: ServiceActivity[] }> {
  const params: unknown[] = [countyCode];
  const add = (v: unknown) => (params.push(v), `$${params.length}`);
  const where = ['a.county_code = $1', areaCondition(scope, { county: 'a.county_code', grid: 'a.grid_id', community: 'a.community_id' }, params)];
  if (filter.kind) where.push(`a.kind = ${add(filter.kind)}`);
  if (filter.areaId) where.push(`${add(filter.areaId)} in (a.grid_id, a.community_id, (select street_id from communities c where c.county_code = a.county_code and c.id = a.community_id))`);
  const { rows } = await db.query<ServiceActivity & { total: number }>(
    `select ${COLUMNS}, count(*) over ()::int as total from service_activities a where ${where.join(' and ')}
     order by a.held_on desc, a.id desc limit ${add(filter.limit)} offset ${add(filter.offset)}`,
    params,
  );
  return { total: rows[0]?.total ?? 0, activities: rows.map(({ total: _t, ...r }) => r as ServiceActivity) };
}

export async function insertActivity(
  db: Queryable, countyCode: string,
  a: { gridId: string; communityId: string; kind: ActivityKind; title: string; organiserUnitId: string | null; organiser: string; participants: number; heldOn: string; loggedBy: number },
): Promise<ServiceActivity> {
  const { rows } = await db.query<ServiceActivity>(
    `insert into service_activities (county_code, grid_id, community_id, kind, title, organiser_unit_id, organiser, participants, held_on, logged_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning ${COLUMNS.replaceAll('a.', '')}`,
    [countyCode, a.gridId, a.communityId, a.kind, a.title, a.organiserUnitId, a.organiser, a.participants, a.heldOn, a.loggedBy],
  );
  return rows[0];
}

export async function findUnitName(db: Queryable, countyCode: string, unitId: string): Promise<string | undefined> {
  const { rows } = await db.query<{ name: string }>('select name from member_units where county_code = $1 and id = $2', [countyCode, unitId]);
  return rows[0]?.name;
}
