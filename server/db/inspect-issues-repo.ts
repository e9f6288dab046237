/**
 * Issue figures (事件) of one area of the inspection card: open now, overdue now, reported and closed in the
 * period, by major category, and reports per day over the period. Counts only — never a reporter.
 * The programmes of the area (micro-wishes, activities, deliberation items) come along from the view
 * grid_service_counts (community-counts-repo), summed over the area's grids; null below the grid.
 */
import type { Pool } from '../postgres/pool.ts';
import { SCOPES, scopeArgs, type AreaLevel } from './inspect-scope.ts';
import { OPEN_STATES, RUNNING_STATES } from '../../shared/issue-states.ts';
import { serviceCountsPerGrid } from './community-counts-repo.ts';
import type { AreaIssues, CategoryFigures } from '../../shared/api/inspect.ts';

export type { AreaIssues, CategoryFigures };

const list = (states: readonly string[]) => `'{${states.join(',')}}'::text[]`;

/** Which issues belong to an area ($1 county, $2 id). Issues carry their street, community, grid and compound;
 *  a building has no column of its own, so its issues are those located on it. */
export const ISSUES_IN: Record<AreaLevel, string> = {
  county: 'i.county_code = $2',
  street: 'i.street_id = $2',
  community: 'i.community_id = $2',
  grid: 'i.grid_id = $2',
  compound: 'i.compound_id = $2',
  building: `exists (select 1 from buildings b where b.county_code = $1 and b.id = $2 and st_covers(b.geom, i.location))`,
};

/** Open issues whose deadline has passed (a deferred issue's clock is stopped). */
export const OVERDUE_CONDITION = `(i.deadline is not null and i.deadline < now() and i.state = any(${list(RUNNING_STATES)}))`;
export const OPEN_CONDITION = `i.state = any(${list(OPEN_STATES)})`;
export const CLOSED_CONDITION = `i.state in ('closed', 'rated')`;

async function consultationsSolved(
  pool: Pool,
  countyCode: string,
  level: AreaLevel,
  id: string,
): Promise<AreaIssues['consultationsSolved']> {
  const { rows } = await pool.query<{ topic: string; solved: number }>(
    `select d.topic, count(*)::integer as solved from deliberation_items d
     where d.county_code = $1 and d.step = 'resolved' and d.grid_id in (${SCOPES[level].grids})
     group by d.topic order by solved desc, d.topic`,
    scopeArgs(level, countyCode, id),
  );
  return rows;
}

/** The grid, community and street a building lies in (undefined: no such building), for the caller's area scope. */
export async function buildingPlace(
  pool: Pool,
  countyCode: string,
  id: string,
): Promise<{ streetId: string; communityId: string; gridId: string } | undefined> {
  const { rows } = await pool.query<{ street_id: string; community_id: string; grid_id: string }>(
    `select c.street_id, g.community_id, b.grid_id from buildings b
     join grids g on g.county_code = b.county_code and g.id = b.grid_id
     join communities c on c.county_code = g.county_code and c.id = g.community_id
     where b.county_code = $1 and b.id = $2`,
    [countyCode, id],
  );
  return rows[0] && { streetId: rows[0].street_id, communityId: rows[0].community_id, gridId: rows[0].grid_id };
}

export const ISSUES_TIME_ZONE = 'Asia/Shanghai';

/** $1 county, $2 id (the county code for the county), $3 days, $4 time zone. */
function areaIssuesSql(level: AreaLevel): string {
  return `with i as (select i.*, coalesce(c.parent_id, c.id) as major from issues i
      join issue_categories c on c.county_code = i.county_code and c.id = i.category_id
      where i.county_code = $1 and ${ISSUES_IN[level]}),
    bounds as (select now() - make_interval(days => $3) as start),
    days as (select d::date as day from generate_series((now() at time zone $4)::date - ($3 - 1), (now() at time zone $4)::date, interval '1 day') d),
    per_day as (select (created_at at time zone $4)::date as day, count(*)::integer as n from i group by 1)
  select
    (select count(*) from i where ${OPEN_CONDITION})::integer as open,
    (select count(*) from i where ${OVERDUE_CONDITION})::integer as overdue,
    (select count(*) from i, bounds b where i.created_at >= b.start)::integer as reported,
    (select count(*) from i, bounds b where ${CLOSED_CONDITION} and i.closed_at >= b.start)::integer as closed,
    (select json_agg(json_build_object('id', m.id, 'name', m.name, 'nameEn', m.name_en,
        'reported', (select count(*) from i, bounds b where i.major = m.id and i.created_at >= b.start),
        'open', (select count(*) from i where i.major = m.id and ${OPEN_CONDITION})) order by m.sort, m.id)
      from issue_categories m where m.county_code = $1 and m.parent_id is null) as by_category,
    (select json_build_object('days', json_agg(to_char(d.day, 'YYYY-MM-DD') order by d.day),
        'counts', json_agg(coalesce(p.n, 0) order by d.day))
      from days d left join per_day p on p.day = d.day) as trend`;
}

export async function queryAreaIssues(
  pool: Pool,
  countyCode: string,
  level: AreaLevel,
  id: string,
  periodDays: number,
): Promise<AreaIssues> {
  const withGrids = level !== 'compound' && level !== 'building';
  const [{ rows }, programmes, consultations] = await Promise.all([
    pool.query(areaIssuesSql(level), [countyCode, level === 'county' ? countyCode : id, periodDays, ISSUES_TIME_ZONE]),
    withGrids ? serviceCountsPerGrid(pool, countyCode, level === 'county' ? null : id) : null,
    withGrids ? consultationsSolved(pool, countyCode, level, id) : null,
  ]);
  const r = rows[0];
  return {
    periodDays,
    open: r.open,
    overdue: r.overdue,
    reportedInPeriod: r.reported,
    closedInPeriod: r.closed,
    byCategory: r.by_category ?? [],
    trend: r.trend,
    programmes: programmes?.totals ?? null,
    consultationsSolved: consultations,
  };
}
