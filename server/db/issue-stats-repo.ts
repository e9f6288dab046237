/**
 * The KPIs of domain.md for GET /api/stats, computed in SQL over the issues inside the caller's area scope (and
 * the `area` asked for): the three rates of 12345 (response 签收, resolution, satisfaction), on-time closure,
 * rework, reopen and on-the-spot (就地解决) rates, handling time, open and overdue now, and the period's reports
 * by state, category and source; the breakdowns (grids, compounds, member units, service work) are in
 * issue-stats-breakdowns.ts. The period is [start, end). Counts only — never a person.
 */
import type { Queryable } from '../postgres/pool.ts';
import type { AreaScope } from '../../shared/roles.ts';
import { issueOf, scopedIssuesCondition, type StatsPeriod } from './issue-stats-scope.ts';
import { CLOSED_CONDITION, OPEN_CONDITION, OVERDUE_CONDITION } from './inspect-issues-repo.ts';
import { queryStatsBreakdowns } from './issue-stats-breakdowns.ts';
import type { IssueStats } from '../../shared/api/stats.ts';

export type { IssueStats, StatsPeriod };

const rate = (n: string, d: string) =>
  `json_build_object('value', (${n})::float8 / nullif(${d}, 0), 'numerator', (${n})::integer, 'denominator', (${d})::integer)`;

export async function queryIssueStats(
  db: Queryable,
  countyCode: string,
  scope: AreaScope,
  areaId: string | null,
  period: StatsPeriod,
  now = new Date(),
): Promise<IssueStats> {
  // $2 start, $3 end of the period, $4 now
  const params: unknown[] = [countyCode, period.start, period.end, now];
  const mine = scopedIssuesCondition(scope, areaId, params);
  const sql = `with b as (select $2::timestamptz as start, $3::timestamptz as "end"),
    p as (select i.*, coalesce(c.parent_id, c.id) as major from issues i
      join issue_categories c on c.county_code = i.county_code and c.id = i.category_id, b
      where ${mine} and i.created_at >= b.start and i.created_at < b."end"),
    closed as (select i.* from issues i, b where ${mine} and ${CLOSED_CONDITION} and i.closed_at >= b.start and i.closed_at < b."end"),
    a as (select a.signed_at from issue_assignments a ${issueOf('a')}, b
      where a.county_code = $1 and ${mine} and a.dispatched_at >= b.start and a.dispatched_at < b."end"),
    r as (select r.rating from issue_ratings r ${issueOf('r')}, b
      where r.county_code = $1 and ${mine} and r.created_at >= b.start and r.created_at < b."end"),
    cohort as (select p.state in ('closed', 'rated') as solved from p where p.state not in ('returned', 'duplicate', 'void')),
    closures as (select e.issue_id, min(e.at) as at from issue_events e ${issueOf('e')}, b
      where e.county_code = $1 and ${mine} and e.to_state = 'closed' and e.at >= b.start and e.at < b."end" group by e.issue_id),
    accepted as (select p.id, exists (select 1 from issue_events e where e.county_code = $1 and e.issue_id = p.id
        and e.from_state = 'accepted' and e.to_state = 'closed') as on_the_spot
      from p where exists (select 1 from issue_events e where e.county_code = $1 and e.issue_id = p.id and e.to_state = 'accepted'))
  select
    (select count(*) from p)::integer as reports,
    (select count(*) from issues i where ${mine} and ${OPEN_CONDITION})::integer as open_now,
    (select count(*) from issues i where ${mine} and ${OVERDUE_CONDITION.replaceAll('now()', '$4::timestamptz')})::integer as overdue_now,
    (select ${rate('count(signed_at)', 'count(*)')} from a) as response,
    (select ${rate('count(*) filter (where solved)', 'count(*)')} from cohort) as resolution,
    (select ${rate(`count(*) filter (where rating <> 'unsatisfied')`, 'count(*)')} from r) as satisfaction,
    (select ${rate('count(*) filter (where closed_at <= deadline)', 'count(*)')} from closed where deadline is not null) as on_time,
    (select ${rate('count(*) filter (where rework_count > 0)', 'count(*)')} from closed) as rework,
    (select ${rate(
      `count(*) filter (where exists (select 1 from issue_events e where e.county_code = $1 and e.issue_id = closures.issue_id
        and e.to_state = 'reopened' and e.at > closures.at))`,
      'count(*)',
    )} from closures) as reopen,
    (select ${rate('count(*) filter (where on_the_spot)', 'count(*)')} from accepted) as on_the_spot,
    (select extract(epoch from avg(closed_at - created_at)) / 3600 from closed)::float8 as handling_hours,
    (select percentile_cont(0.5) within group (order by extract(epoch from closed_at - created_at)) / 3600 from closed)::float8 as median_handling_hours,
    (select coalesce(json_object_agg(state, n), '{}'::json) from (select state, count(*)::integer as n from p group by state) s) as by_state,
    (select coalesce(json_object_agg(source, n), '{}'::json) from (select source, count(*)::integer as n from p group by source) s) as by_source,
    (select coalesce(json_object_agg(category_id, n), '{}'::json) from (select category_id, count(*)::integer as n from p group by category_id) s) as by_minor,
    (select json_agg(json_build_object('id', m.id, 'name', m.name, 'nameEn', m.name_en,
        'reports', (select count(*) from p where p.major = m.id)::integer) order by m.sort, m.id)
      from issue_categories m where m.county_code = $1 and m.parent_id is null) as by_category`;
  const [row, breakdowns] = await Promise.all([
    db.query(sql, params).then((r) => r.rows[0]),
    queryStatsBreakdowns(db, countyCode, scope, areaId, period),
  ]);
  return {
    area: areaId,
    days: (period.end.getTime() - period.start.getTime()) / 86_400_000,
    from: period.start.toISOString(),
    to: period.end.toISOString(),
    reports: row.reports,
    openNow: row.open_now,
    overdueNow: row.overdue_now,
    responseRate: row.response,
    resolutionRate: row.resolution,
    satisfactionRate: row.satisfaction,
    onTimeClosureRate: row.on_time,
    reworkRate: row.rework,
    reopenRate: row.reopen,
    onTheSpotRate: row.on_the_spot,
    averageHandlingHours: row.handling_hours,
    medianHandlingHours: row.median_handling_hours,
    byState: row.by_state,
    byCategory: row.by_category ?? [],
    byMinorCategory: row.by_minor,
    bySource: row.by_source,
    ...breakdowns,
  };
}

/** True when a grid, community or street of that id exists. */
export async function areaIdExists(db: Queryable, countyCode: string, areaId: string): Promise<boolean> {
  const { rows } = await db.query(
    `select 1 from grids where county_code = $1 and id = $2 union all select 1 from communities where county_code = $1 and id = $2
     union all select 1 from streets where county_code = $1 and id = $2 limit 1`,
    [countyCode, areaId],
  );
  return rows.length > 0;
}
