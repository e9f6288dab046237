/**
 * The people who serve an area, for its inspection card: the county leader in charge of each community of the
 * area's grids (包抓领导, the 网格长: communities.leader_id), the street cadre liaising with each grid (联系网格干部:
 * grids.head_id) and the grid workers (full-time staff, auxiliary and rider workers) of the grids the area lies
 * in. Personal data: the route masks it per role and audits every unmasked view. Whether a row is inside the
 * caller's area scope is decided here, in SQL.
 */
import type { Pool } from '../postgres/pool.ts';
import type { AreaScope } from '../../shared/roles.ts';
import { areaCondition } from './area-scope.ts';
import { SCOPES } from './inspect-scope.ts';
import type { ShownPerson } from '../../shared/api/inspect.ts';

import { PEOPLE_LEVELS, type ServiceRole } from '../../shared/map/area-metrics.ts';

export { PEOPLE_LEVELS, SERVICE_ROLES, type ServiceRole } from '../../shared/map/area-metrics.ts';
export type PeopleLevel = (typeof PEOPLE_LEVELS)[number];

export interface ServingPerson {
  id: string;
  role: ServiceRole;
  /** The grid served (null for the leader in charge of a community). */
  gridId: string | null;
  name: string;
  phone: string | null;
  /** Inside the caller's area scope (decided in SQL). */
  inScope: boolean;
}

export type { ShownPerson };

const TABLE_OF: Record<PeopleLevel, string> = {
  community: 'communities',
  grid: 'grids',
  compound: 'compounds',
  building: 'buildings',
};

/** $1 county, $2 area id; the scope condition is over x.grid_id / x.community_id. */
function peopleSql(level: PeopleLevel, inScope: string): string {
  const grids = SCOPES[level].grids;
  return `with g as (select id, community_id, head_id from grids where county_code = $1 and id in (${grids})),
    x as (
      select c.leader_id as person_id, 'community_leader' as role, null::text as grid_id, c.id as community_id, 0 as rank
        from communities c where c.county_code = $1 and c.leader_id is not null
          and c.id in (select community_id from g${level === 'community' ? ' union select $2::text' : ''})
      union all
      select g.head_id, 'liaison_cadre', g.id, g.community_id, 1 from g where g.head_id is not null
      union all
      select p.id, r.role, g.id, g.community_id, 2 from g join people p on p.county_code = $1 and p.grid_id = g.id
        cross join lateral unnest(p.roles) r(role)
        where r.role in ('community_staff', 'auxiliary_worker', 'rider_worker'))
  select p.id, x.role, x.grid_id, p.name, p.phone, (${inScope}) as in_scope
  from x join people p on p.county_code = $1 and p.id = x.person_id
  order by x.rank, x.grid_id nulls first, array_position(array['community_staff', 'auxiliary_worker', 'rider_worker'], x.role), p.id`;
}

/** The people serving an area, or undefined when the area does not exist. */
export async function queryServingPeople(
  pool: Pool,
  countyCode: string,
  level: PeopleLevel,
  id: string,
  scope: AreaScope,
): Promise<ServingPerson[] | undefined> {
  const exists = await pool.query(`select 1 from ${TABLE_OF[level]} where county_code = $1 and id = $2`, [
    countyCode,
    id,
  ]);
  if (!exists.rowCount) return undefined;
  const params: unknown[] = [countyCode, id];
  const inScope = areaCondition(scope, { county: '$1', grid: 'x.grid_id', community: 'x.community_id' }, params);
  const { rows } = await pool.query(peopleSql(level, inScope), params);
  return rows.map((r) => ({
    id: r.id,
    role: r.role,
    gridId: r.grid_id,
    name: r.name,
    phone: r.phone,
    inScope: r.in_scope,
  }));
}
