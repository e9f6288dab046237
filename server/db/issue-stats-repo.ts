/**
 * The KPIs of domain.md for GET /api/stats, computed in SQL over the issues inside the caller's area scope (and
 * the `area` asked for): the three rates of 12345 (response 签收, resolution, satisfaction), on-time closure,
 * rework, average handling time, open and overdue now, and the period's reports by state, major category and
 * source. The period is [now - days, now). Counts only — never a person.
 */
import type { Pool } from './pool.ts';
import type { AreaScope } from '../auth/roles.ts';
import { areaCondition } from './area-scope.ts';
import { CLOSED_CONDITION, OPEN_CONDITION, OVERDUE_CONDITION } from './inspect-issues-repo.ts';

type Queryable = Pick<Pool, 'query'>;

/** A share with what it divides: null when there is nothing to divide by. */
export interface Rate {
  value: number | null;
  numerator: number;
  denominator: number;
}

export interface IssueStats {
  area: string | null;
  days: number;
  from: string;
  to: string;
  /** Reported in the period. */
  reports: number;
  openNow: number;
  overdueNow: number;
  /** Member-unit assignments dispatched in the period that are signed. */
  responseRate: Rate;
  /** Reported in the period (not returned, duplicate or void) and closed or rated. */
  resolutionRate: Rate;
  /** Ratings given in the period that are satisfied or basically satisfied. */
  satisfactionRate: Rate;
  /** Closed in the period with a deadline, within it. */
  onTimeClosureRate: Rate;
  /** Closed in the period that went through rework. */
  reworkRate: Rate;
  /** Hours from report to closure, averaged over the issues closed in the period (null when none). */
  averageHandlingHours: number | null;
  /** The period's reports by current state, major category and source. */
  byState: Record<string, number>;
  byCategory: { id: string; name: string; nameEn: string; reports: number }[];
  bySource: Record<string, number>;
}

const rate = (n: string, d: string) =>
  `json_build_object('value', (${n})::float8 / nullif(${d}, 0), 'numerator', (${n})::integer, 'denominator', (${d})::integer)`;

export async function queryIssueStats(db: Queryable, countyCode: string, scope: AreaScope, areaId: string | null, days: number, now = new Date()): Promise<IssueStats> {
  const params: unknown[] = [countyCode, now, days];
  const inScope = areaCondition(scope, { county: 'i.county_code', grid: 'i.grid_id', community: 'i.community_id', street: 'i.street_id' }, params);
  let inArea = 'true';
  if (areaId) {
    params.push(areaId);
    inArea = `$${params.length} in (i.grid_id, i.community_id, i.street_id)`;
  }
  // Each part reads its own window through an index (migration 046), never every issue of the scope.
  const mine = `i.county_code = $1 and ${inScope} and ${inArea}`;
  const sql = `with b as (select $2::timestamptz as now, $2::timestamptz - make_interval(days => $3) as start),
    p as (select i.*, coalesce(c.parent_id, c.id) as major from issues i
      join issue_categories c on c.county_code = i.county_code and c.id = i.category_id, b
      where ${mine} and i.created_at >= b.start and i.created_at < b.now),
    closed as (select i.* from issues i, b where ${mine} and ${CLOSED_CONDITION} and i.closed_at >= b.start and i.closed_at < b.now),
    a as (select a.signed_at from issue_assignments a join issues i on i.county_code = a.county_code and i.id = a.issue_id, b
      where a.county_code = $1 and ${mine} and a.dispatched_at >= b.start and a.dispatched_at < b.now),
    r as (select r.rating from issue_ratings r join issues i on i.county_code = r.county_code and i.id = r.issue_id, b
      where r.county_code = $1 and ${mine} and r.created_at >= b.start and r.created_at < b.now),
    cohort as (select p.state in ('closed', 'rated') as solved from p where p.state not in ('returned', 'duplicate', 'void'))
  select
    (select count(*) from p)::integer as reports,
    (select count(*) from issues i where ${mine} and ${OPEN_CONDITION})::integer as open_now,
    (select count(*) from issues i where ${mine} and ${OVERDUE_CONDITION.replaceAll('now()', '$2::timestamptz')})::integer as overdue_now,
    (select ${rate('count(signed_at)', 'count(*)')} from a) as response,
    (select ${rate('count(*) filter (where solved)', 'count(*)')} from cohort) as resolution,
    (select ${rate(`count(*) filter (where rating <> 'unsatisfied')`, 'count(*)')} from r) as satisfaction,
    (select ${rate('count(*) filter (where closed_at <= deadline)', 'count(*)')} from closed where deadline is not null) as on_time,
    (select ${rate('count(*) filter (where rework_count > 0)', 'count(*)')} from closed) as rework,
    (select extract(epoch from avg(closed_at - created_at)) / 3600 from closed)::float8 as handling_hours,
    (select coalesce(json_object_agg(state, n), '{}'::json) from (select state, count(*)::integer as n from p group by state) s) as by_state,
    (select coalesce(json_object_agg(source, n), '{}'::json) from (select source, count(*)::integer as n from p group by source) s) as by_source,
    (select json_agg(json_build_object('id', m.id, 'name', m.name, 'nameEn', m.name_en,
        'reports', (select count(*) from p where p.major = m.id)::integer) order by m.sort, m.id)
      from issue_categories m where m.county_code = $1 and m.parent_id is null) as by_category`;
  const row = (await db.query(sql, params)).rows[0];
  return {
    area: areaId,
    days,
    from: new Date(now.getTime() - days * 86_400_000).toISOString(),
    to: now.toISOString(),
    reports: row.reports,
    openNow: row.open_now,
    overdueNow: row.overdue_now,
    responseRate: row.response,
    resolutionRate: row.resolution,
    satisfactionRate: row.satisfaction,
    onTimeClosureRate: row.on_time,
    reworkRate: row.rework,
    averageHandlingHours: row.handling_hours,
    byState: row.by_state,
    byCategory: row.by_category ?? [],
    bySource: row.by_source,
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
