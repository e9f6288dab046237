/**
 * What the wall draws on its map, computed in SQL: where issues were reported (heat-cell positions, major
 * category and time only — never a reporter, a description or the exact point), and per grid the metrics of the choropleth.
 */
import type { Queryable } from '../postgres/pool.ts';
import { RUNNING_STATES } from '../../shared/issue-states.ts';
import { WALL_PERIOD_DAYS } from './wall-period.ts';
import { HEAT_WINDOW_DAYS, PLAYBACK_DAYS } from '../../shared/map/wall-bins.ts';
import { publicPosition } from './public-position.ts';
import { publicCountSql } from '../community/small-groups.ts';
import type { WallGridMetric, WallGridMetrics, WallIssuePoints } from '../../shared/api/wall.ts';

export { WALL_METRICS, type WallMetric } from '../../shared/api/wall.ts';
export type { WallGridMetric, WallGridMetrics, WallIssuePoints };

/** The heat's rolling window (issues reported in the last N days) and the days the playback replays (each
 * step shows the window ending that day): one definition with the wall's map. */
export const WALL_HEAT_WINDOW_DAYS = HEAT_WINDOW_DAYS;
export const WALL_PLAYBACK_DAYS = PLAYBACK_DAYS;

// Duplicates and voided reports are not issues of their own. Positions are public ones: the heat cell's centre.
const POINTS_SQL = `with majors as (
    select id, name, name_en, row_number() over (order by sort, id)::integer - 1 as ix
    from issue_categories where county_code = $1 and parent_id is null
  )
  select round(st_x(p.pos)::numeric, 6)::float8 as lon, round(st_y(p.pos)::numeric, 6)::float8 as lat,
    round(extract(epoch from i.created_at - $2::timestamptz))::integer as t, m.ix
  from issues i
  cross join lateral (select ${publicPosition('i.location')} as pos) p
  join issue_categories c on c.county_code = i.county_code and c.id = i.category_id
  join majors m on m.id = coalesce(c.parent_id, c.id)
  where i.county_code = $1 and i.created_at >= $2 and i.created_at <= $3 and i.state not in ('duplicate', 'void')
  order by i.created_at, i.id`;

/** Issue positions from (now − playback − window) to now. */
export async function queryIssuePoints(db: Queryable, countyCode: string, now = new Date()): Promise<WallIssuePoints> {
  const from = new Date(now.getTime() - (WALL_PLAYBACK_DAYS + WALL_HEAT_WINDOW_DAYS) * 86_400_000);
  const categories = (
    await db.query<{ id: string; name: string; nameEn: string | null }>(
      `select id, name, name_en as "nameEn" from issue_categories where county_code = $1 and parent_id is null order by sort, id`,
      [countyCode],
    )
  ).rows;
  const rows = (
    await db.query<{ lon: number; lat: number; t: number; ix: number }>(POINTS_SQL, [countyCode, from, now])
  ).rows;
  return {
    generatedAt: now.toISOString(),
    from: from.toISOString(),
    windowDays: WALL_HEAT_WINDOW_DAYS,
    playbackDays: WALL_PLAYBACK_DAYS,
    categories,
    points: rows.map((r) => [r.lon, r.lat, r.t, r.ix]),
  };
}

/** $1 county, $2 now, $3 period days. */
const GRID_METRICS_SQL = `with iss as (
    select grid_id,
      count(*) filter (where created_at >= $2::timestamptz - make_interval(days => $3) and created_at < $2
                         and state not in ('duplicate', 'void'))::integer as reports,
      count(*) filter (where deadline < $2 and state = any('{${RUNNING_STATES.join(',')}}'::text[]))::integer as overdue
    from issues where county_code = $1 group by grid_id
  ),
  party as (select grid_id, count(*)::integer as n from people where county_code = $1 and party_member group by grid_id)
  select g.id, t.households, coalesce(iss.reports, 0) as reports, coalesce(iss.overdue, 0) as overdue,
    ${publicCountSql('coalesce(party.n, 0)')} as "partyMembers",
    coalesce(iss.reports, 0) * 100.0::float8 / nullif(t.households, 0) as "issuesPer100Households",
    ${publicCountSql('coalesce(party.n, 0)')} * 100.0::float8 / nullif(t.households, 0) as "partyMembersPer100Households"
  from grids g
  join grid_totals t on t.county_code = g.county_code and t.grid_id = g.id
  left join iss on iss.grid_id = g.id
  left join party on party.grid_id = g.id
  where g.county_code = $1
  order by g.id`;

export async function queryGridMetrics(db: Queryable, countyCode: string, now = new Date()): Promise<WallGridMetrics> {
  const grids = (await db.query<WallGridMetric>(GRID_METRICS_SQL, [countyCode, now, WALL_PERIOD_DAYS])).rows;
  return { generatedAt: now.toISOString(), periodDays: WALL_PERIOD_DAYS, grids };
}
