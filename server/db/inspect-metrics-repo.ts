/**
 * The metrics of the inspection map's choropleth, rankings and comparison, per grid or per community, all
 * in one SQL query, with their class breaks:
 *   households        households (sum over buildings)
 *   issuesPer100      issues reported in the last `days` days (not void, not duplicates) per 100 households
 *   overdue           open issues past their deadline now
 *   partyPer100       party members living in the area per 100 households
 *   stewardCoverage   share (0–1) of buildings with at least one red steward (红管家)
 *   stationCoverage   share (0–1) of households in compounds within `distance` metres of a station
 * Class breaks are quantiles (quintiles: PostgreSQL percentile_cont at 0.2, 0.4, 0.6, 0.8 over the areas
 * with a value); equal breaks are merged, so a metric with many ties has fewer classes. A value v falls in
 * class k = the number of breaks strictly below v — classes are (b[k-1], b[k]].
 */
import { inTransaction, type Pool } from '../postgres/pool.ts';
import { coveredCompoundsSql } from './inspect-coverage-repo.ts';
import { CLOSED_CONDITION, OVERDUE_CONDITION } from './inspect-issues-repo.ts';
import { publicCountSql } from '../community/small-groups.ts';

import type { Metric, MetricLevel } from '../../shared/map/area-metrics.ts';
import type { AreaMetrics, MetricRow } from '../../shared/api/inspect.ts';

export { METRICS, METRIC_LEVELS, type Metric, type MetricLevel } from '../../shared/map/area-metrics.ts';

export const QUANTILES = [0.2, 0.4, 0.6, 0.8] as const;

export type { AreaMetrics, MetricRow };

const UNIT: Record<MetricLevel, { key: string; names: string; parent: string; code: string }> = {
  grid: { key: 'id', names: 'grids', parent: 'n.community_id', code: 'n.code' },
  community: { key: 'community_id', names: 'communities', parent: 'n.street_id', code: 'n.code' },
};

/** $1 county, $2 days, $3 distance in metres. */
function metricsSql(level: MetricLevel): string {
  const unit = UNIT[level];
  return `with gu as (select id as grid_id, ${unit.key} as unit_id from grids where county_code = $1),
    covered as (${coveredCompoundsSql('$3')}),
    homes as (select gu.unit_id, coalesce(sum(b.households), 0)::integer as households, count(b.id)::integer as buildings,
        coalesce(sum(b.households) filter (where c.covered), 0)::integer as covered_households
      from gu left join buildings b on b.county_code = $1 and b.grid_id = gu.grid_id
        left join covered c on c.id = b.compound_id group by gu.unit_id),
    members as (select gu.unit_id, count(*) filter (where p.party_member)::integer as party,
        count(distinct p.building_id) filter (where p.red_steward)::integer as steward_buildings
      from gu join buildings b on b.county_code = $1 and b.grid_id = gu.grid_id
        join people p on p.county_code = $1 and p.building_id = b.id group by gu.unit_id),
    work as (select gu.unit_id,
        count(*) filter (where i.created_at >= now() - make_interval(days => $2) and i.state not in ('void', 'duplicate'))::integer as reported,
        count(*) filter (where ${CLOSED_CONDITION} and i.closed_at >= now() - make_interval(days => $2))::integer as closed,
        count(*) filter (where ${OVERDUE_CONDITION})::integer as overdue
      from gu join issues i on i.county_code = $1 and i.grid_id = gu.grid_id group by gu.unit_id),
    r as (select n.id, ${unit.code} as code, n.name, n.name_en, ${unit.parent} as parent_id, h.buildings,
        coalesce(w.reported, 0) as reported, coalesce(w.closed, 0) as closed, ${publicCountSql('coalesce(m.party, 0)')} as party,
        h.households::float8 as households,
        case when h.households > 0 then 100.0 * coalesce(w.reported, 0) / h.households end::float8 as issues_per_100,
        coalesce(w.overdue, 0)::float8 as overdue,
        case when h.households > 0 then 100.0 * ${publicCountSql('coalesce(m.party, 0)')} / h.households end::float8 as party_per_100,
        case when h.buildings > 0 then coalesce(m.steward_buildings, 0)::float8 / h.buildings end as steward_coverage,
        case when h.households > 0 then h.covered_households::float8 / h.households end as station_coverage
      from ${unit.names} n join homes h on h.unit_id = n.id
        left join members m on m.unit_id = n.id left join work w on w.unit_id = n.id
      where n.county_code = $1)
  select (select json_agg(r order by r.id) from r) as rows,
    (select json_build_object(
      ${['households', 'issues_per_100', 'overdue', 'party_per_100', 'steward_coverage', 'station_coverage']
        .map((c) => `'${c}', percentile_cont(array[${QUANTILES.join(', ')}]) within group (order by ${c})`)
        .join(',\n      ')}) from r) as breaks`;
}

const COLUMN_OF: Record<Metric, string> = {
  households: 'households',
  issuesPer100: 'issues_per_100',
  overdue: 'overdue',
  partyPer100: 'party_per_100',
  stewardCoverage: 'steward_coverage',
  stationCoverage: 'station_coverage',
};

/** Ascending breaks without repeats (float noise from percentile_cont rounded off first). */
export function distinctBreaks(values: (number | null)[] | null): number[] {
  const rounded = (values ?? []).filter((v): v is number => v !== null).map((v) => Math.round(v * 1e9) / 1e9);
  return [...new Set(rounded)].sort((a, b) => a - b);
}

export async function queryAreaMetrics(
  pool: Pool,
  countyCode: string,
  level: MetricLevel,
  periodDays: number,
  distanceM: number,
): Promise<AreaMetrics> {
  // Like the coverage query: the geography tests make PostgreSQL JIT-compile it, which costs more than it runs.
  const { rows } = await inTransaction(pool, async (client) => {
    await client.query('set local jit = off');
    return client.query(metricsSql(level), [countyCode, periodDays, distanceM]);
  });
  const r = rows[0];
  type Row = Record<string, unknown> & {
    id: string;
    code: string;
    name: string;
    name_en: string | null;
    parent_id: string;
    buildings: number;
    reported: number;
    closed: number;
    party: number | null;
  };
  return {
    level,
    periodDays,
    distanceM,
    rows: ((r.rows ?? []) as Row[]).map((row) => ({
      id: row.id,
      code: row.code,
      name: row.name,
      nameEn: row.name_en,
      parentId: row.parent_id,
      buildings: row.buildings,
      issuesReported: row.reported,
      issuesClosed: row.closed,
      partyMembers: row.party,
      values: Object.fromEntries(
        Object.entries(COLUMN_OF).map(([metric, column]) => [metric, (row[column] as number | null) ?? null]),
      ) as Record<Metric, number | null>,
    })),
    breaks: Object.fromEntries(
      Object.entries(COLUMN_OF).map(([metric, column]) => [metric, distinctBreaks(r.breaks[column])]),
    ) as Record<Metric, number[]>,
  };
}
