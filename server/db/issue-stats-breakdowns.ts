/**
 * The breakdowns of GET /api/stats (server/db/issue-stats-repo.ts), in SQL inside the caller's scope and area:
 * the period's reports per grid and per compound, the member units' ranking (matters solved in the period,
 * on time, assignments dispatched) and the community's service work of the period (micro-wishes posted,
 * claimed and fulfilled; activities held and their participants; consultation problems resolved).
 * Counts only — never a person.
 */
import type { Queryable } from '../postgres/pool.ts';
import type { AreaScope } from '../../shared/roles.ts';
import { areaCondition } from './area-scope.ts';
import { issueOf, scopedIssuesCondition, type StatsPeriod } from './issue-stats-scope.ts';
import { ISSUES_TIME_ZONE } from './inspect-issues-repo.ts';
import type { StatsBreakdowns } from '../../shared/api/stats.ts';

/** Where a row of the service tables ($n-free columns w.grid_id, w.community_id) is inside the scope and the area. */
function serviceWhere(alias: string, scope: AreaScope, areaId: string | null, params: unknown[]): string {
  const inScope = areaCondition(
    scope,
    { county: `${alias}.county_code`, grid: `${alias}.grid_id`, community: `${alias}.community_id` },
    params,
  );
  if (!areaId) return inScope;
  params.push(areaId);
  const n = `$${params.length}`;
  return `${inScope} and (${n} in (${alias}.grid_id, ${alias}.community_id) or exists (select 1 from communities sc
    where sc.county_code = ${alias}.county_code and sc.id = ${alias}.community_id and sc.street_id = ${n}))`;
}

export async function queryStatsBreakdowns(
  db: Queryable,
  countyCode: string,
  scope: AreaScope,
  areaId: string | null,
  period: StatsPeriod,
): Promise<StatsBreakdowns> {
  // $2 start, $3 end, $4 the time zone of activity days
  const params: unknown[] = [countyCode, period.start, period.end, ISSUES_TIME_ZONE];
  const mine = scopedIssuesCondition(scope, areaId, params);
  const wishes = serviceWhere('w', scope, areaId, params);
  const activities = serviceWhere('s', scope, areaId, params);
  const deliberations = serviceWhere('d', scope, areaId, params);
  const inPeriod = (column: string) => `${column} >= $2::timestamptz and ${column} < $3::timestamptz`;
  const sql = `with
    p as (select i.* from issues i where ${mine} and ${inPeriod('i.created_at')}),
    solved as (select i.* from issues i where ${mine} and i.state in ('closed', 'rated') and ${inPeriod('i.closed_at')}),
    solved_units as (select a.unit_id, count(*)::integer as solved, count(*) filter (where s.closed_at <= s.deadline)::integer as on_time
      from solved s join issue_assignments a on a.county_code = $1 and a.issue_id = s.id group by a.unit_id),
    assigned_units as (select a.unit_id, count(*)::integer as assigned from issue_assignments a ${issueOf('a')}
      where a.county_code = $1 and ${mine} and ${inPeriod('a.dispatched_at')} group by a.unit_id),
    units as (select unit_id, coalesce(s.solved, 0) as solved, coalesce(s.on_time, 0) as on_time, coalesce(d.assigned, 0) as assigned
      from solved_units s full join assigned_units d using (unit_id))
  select
    (select coalesce(json_agg(json_build_object('id', g.id, 'name', g.name, 'reports', v.n) order by v.n desc, g.id), '[]'::json)
       from (select grid_id, count(*)::integer as n from p group by grid_id) v
       join grids g on g.county_code = $1 and g.id = v.grid_id) as by_grid,
    (select coalesce(json_agg(json_build_object('id', q.id, 'name', q.name, 'reports', v.n) order by v.n desc, q.id), '[]'::json)
       from (select compound_id, count(*)::integer as n from p where compound_id is not null group by compound_id) v
       join compounds q on q.county_code = $1 and q.id = v.compound_id) as by_compound,
    (select count(*) from solved where exists (select 1 from issue_assignments a where a.county_code = $1 and a.issue_id = solved.id))::integer
      as solved_by_units,
    (select coalesce(json_agg(json_build_object('rank', r.rank, 'id', r.id, 'name', r.name, 'nameEn', r.name_en, 'trade', r.trade,
         'solved', r.solved, 'onTime', r.on_time, 'assigned', r.assigned) order by r.rank, r.on_time desc, r.id), '[]'::json)
       from (select m.id, m.name, m.name_en, m.trade, u.solved, u.on_time, u.assigned,
               rank() over (order by u.solved desc)::integer as rank
             from units u join member_units m on m.county_code = $1 and m.id = u.unit_id
             where u.solved > 0 or u.assigned > 0) r) as ranking,
    (select json_build_object(
       'wishesPosted', count(*) filter (where ${inPeriod('w.posted_at')}),
       'wishesClaimed', count(*) filter (where ${inPeriod('w.claimed_at')}),
       'wishesFulfilled', count(*) filter (where ${inPeriod('w.fulfilled_at')}))
       from micro_wishes w where w.county_code = $1 and ${wishes}) as wishes,
    (select json_build_object('activities', count(*), 'activityParticipants', coalesce(sum(s.participants), 0))
       from service_activities s where s.county_code = $1 and ${activities}
         and ${inPeriod('(s.held_on::timestamp at time zone $4)')}) as activities,
    (select count(*) from deliberation_items d join deliberation_steps st on st.county_code = d.county_code and st.item_id = d.id
       and st.step = 'resolved' where d.county_code = $1 and ${deliberations} and ${inPeriod('st.at')})::integer as consultations`;
  const row = (await db.query(sql, params)).rows[0];
  return {
    byGrid: row.by_grid,
    byCompound: row.by_compound,
    solvedByMemberUnits: row.solved_by_units,
    memberUnitRanking: row.ranking,
    service: { ...row.wishes, ...row.activities, consultationsResolved: row.consultations },
  };
}
