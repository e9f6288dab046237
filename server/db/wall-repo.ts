/**
 * The command-centre wall (/wall): every programme of the domain.md figures table, computed in SQL from the
 * tables, with the change against the previous period where the data has time (issues: the last 30 days
 * against the 30 before; the registers have no history, so no change). Counts only — never a person.
 */
import type { Pool, Queryable } from '../postgres/pool.ts';
import { OPEN_STATES, RUNNING_STATES } from '../../shared/issue-states.ts';
import { hasServiceTables, queryServiceFigures } from './wall-service-repo.ts';
import { countyWorkforce } from './workforce-repo.ts';
import { queryCounty } from './counties-repo.ts';
import { publicPosition } from './public-position.ts';
import { WALL_PERIOD_DAYS, WALL_TIME_ZONE } from './wall-period.ts';
import type {
  CategoryTrend,
  IssueFigures,
  IssueTickerItem,
  MemberUnitRank,
  StaticFigures,
  WallCommunity,
  WallFigures,
} from '../../shared/api/wall.ts';

export type { WallFigures };

/** How many member units the ranking lists. */
export const RANKING_SIZE = 10;
/** How many recent lifecycle events the figures carry for the ticker. */
export const RECENT_EVENTS = 12;

const COMMUNITIES_SQL = `select id, name, name_en as "nameEn",
    json_build_array(st_xmin(geom), st_ymin(geom), st_xmax(geom), st_ymax(geom)) as bbox
  from communities where county_code = $1 order by id`;

export async function queryWallCommunities(db: Queryable, countyCode: string): Promise<WallCommunity[]> {
  return (await db.query<WallCommunity>(COMMUNITIES_SQL, [countyCode])).rows;
}

const STATIC_SQL = `select
  (select count(*) from compounds where county_code = $1)::integer as compounds,
  (select coalesce(json_object_agg(type, n), '{}'::json) from (select type, count(*)::integer as n from compounds
     where county_code = $1 group by type) x) as compounds_by_type,
  (select count(*) from grids where county_code = $1)::integer as grids,
  (select count(*) from people where county_code = $1 and red_steward)::integer as red_stewards,
  (select count(*) from stations where county_code = $1)::integer as stations,
  (select coalesce(json_object_agg(kind, n), '{}'::json) from (select kind, count(*)::integer as n from stations
     where county_code = $1 group by kind) y) as stations_by_kind,
  (select count(*) from people where county_code = $1 and party_member)::integer as party_members,
  (select count(*) from people where county_code = $1 and in_service)::integer as in_service_members,
  (select count(*) from member_units where county_code = $1)::integer as member_units,
  (select count(*) from social_organisations where county_code = $1)::integer as social_organisations,
  (select count(*) from people where county_code = $1 and 'community_staff' = any(roles))::integer as community_staff,
  (select count(*) from people where county_code = $1 and 'auxiliary_worker' = any(roles))::integer as auxiliary_workers,
  (select count(*) from workforce_staff where county_code = $1 and team = 'part_time' and post = 'retired_cadre')::integer as retired_cadres,
  (select count(*) from people where county_code = $1 and 'rider_worker' = any(roles))::integer as rider_workers`;

const list = (states: readonly string[]) => `'{${states.join(',')}}'::text[]`;

/**
 * $1 county, $2 the end of the current period (now), $3 the period in days. The current period is
 * [$2 - $3 days, $2), the previous one the $3 days before. The state of an issue at a past moment is the
 * target of its last event up to then. Each figure reads only its window through an index (migration 046):
 * a county of a million issues is not read whole.
 */
const ISSUES_SQL = `with bounds as (
    select $2::timestamptz as now, $2::timestamptz - make_interval(days => $3) as start,
      $2::timestamptz - make_interval(days => 2 * $3) as before
  ),
  -- Issues whose state changed after the period began: their state then is where their first later event
  -- started from (null for issues reported since). Every other issue has been in its current state since before
  -- then (each change of state writes an event from the state it leaves).
  moved as (select distinct on (e.issue_id) e.issue_id as id, e.from_state from issue_events e, bounds b
    where e.county_code = $1 and e.at > b.start order by e.issue_id, e.at, e.id),
  past as (
    select (select i.deadline from issues i where i.county_code = $1 and i.id = m.id) as deadline, m.from_state as state
    from moved m where m.from_state = any(${list(OPEN_STATES)})
    union all
    select i.deadline, i.state from issues i, bounds b
    where i.county_code = $1 and i.state = any(${list(OPEN_STATES)}) and i.created_at <= b.start
      and not exists (select 1 from moved m where m.id = i.id)
  ),
  recent as (select source, created_at, state from issues, bounds b
    where county_code = $1 and created_at >= b.before and created_at < b.now),
  closed as (select closed_at, deadline from issues, bounds b
    where county_code = $1 and closed_at >= b.before and closed_at < b.now and deadline is not null and state in ('closed', 'rated')),
  cohort as (select created_at, state in ('closed', 'rated') as solved from recent where state not in ('returned', 'duplicate', 'void')),
  a as (select dispatched_at, signed_at from issue_assignments, bounds b
    where county_code = $1 and dispatched_at >= b.before and dispatched_at < b.now),
  r as (select created_at, rating from issue_ratings, bounds b where county_code = $1 and created_at >= b.before and created_at < b.now)
  select
    (select count(*) from issues where county_code = $1 and source = 'rider')::integer as rider_total,
    (select count(*) from recent, bounds b where source = 'rider' and created_at >= b.start)::integer as rider_recent,
    (select count(*) from recent, bounds b where source = 'rider' and created_at < b.start)::integer as rider_previous,
    (select count(*) from recent, bounds b where created_at >= b.start)::integer as reports,
    (select count(*) from recent, bounds b where created_at < b.start)::integer as reports_previous,
    (select count(*) from issues where county_code = $1 and state = any(${list(OPEN_STATES)}))::integer as open_now,
    (select count(*) from past where state = any(${list(OPEN_STATES)}))::integer as open_previous,
    (select count(*) from issues, bounds b where county_code = $1 and state = any(${list(RUNNING_STATES)}) and deadline < b.now)::integer as overdue_now,
    (select count(*) from past, bounds b where deadline < b.start and state = any(${list(RUNNING_STATES)}))::integer as overdue_previous,
    (select count(*) filter (where closed_at <= deadline)::float8 / nullif(count(*), 0) from closed, bounds b
       where closed_at >= b.start) as on_time,
    (select count(*) filter (where closed_at <= deadline)::float8 / nullif(count(*), 0) from closed, bounds b
       where closed_at < b.start) as on_time_previous,
    (select count(signed_at)::float8 / nullif(count(*), 0) from a, bounds b where dispatched_at >= b.start) as response,
    (select count(signed_at)::float8 / nullif(count(*), 0) from a, bounds b where dispatched_at < b.start) as response_previous,
    (select count(*) filter (where solved)::float8 / nullif(count(*), 0) from cohort, bounds b where created_at >= b.start) as resolution,
    (select count(*) filter (where solved)::float8 / nullif(count(*), 0) from cohort, bounds b where created_at < b.start) as resolution_previous,
    (select count(*) filter (where rating <> 'unsatisfied')::float8 / nullif(count(*), 0) from r, bounds b where created_at >= b.start) as satisfaction,
    (select count(*) filter (where rating <> 'unsatisfied')::float8 / nullif(count(*), 0) from r, bounds b
     where created_at < b.start) as satisfaction_previous`;

const RANKING_SQL = `select u.id, u.name, u.name_en as "nameEn",
    count(*) filter (where i.state in ('closed', 'rated'))::integer as solved, count(*)::integer as assigned
  from issue_assignments a
  join member_units u on u.county_code = a.county_code and u.id = a.unit_id
  join issues i on i.county_code = a.county_code and i.id = a.issue_id
  where a.county_code = $1
  group by u.id, u.name, u.name_en
  order by solved desc, assigned desc, u.id
  limit $2`;

/** $1 county, $2 now, $3 days, $4 time zone: reports per major category per local day, the last $3 days. */
const TREND_SQL = `with days as (
    select d::date as day from generate_series(($2::timestamptz at time zone $4)::date - ($3 - 1),
      ($2::timestamptz at time zone $4)::date, interval '1 day') d
  ),
  majors as (select id, name, name_en, sort from issue_categories where county_code = $1 and parent_id is null),
  counted as (
    select coalesce(c.parent_id, c.id) as major, (i.created_at at time zone $4)::date as day, count(*)::integer as n
    from issues i join issue_categories c on c.county_code = i.county_code and c.id = i.category_id
    -- a day more than the period: local days start up to a day apart from UTC ones
    where i.county_code = $1 and i.created_at <= $2 and i.created_at > $2::timestamptz - make_interval(days => $3 + 1)
    group by 1, 2
  )
  select m.id, m.name, m.name_en as "nameEn",
    array_agg(coalesce(k.n, 0) order by d.day) as counts, array_agg(to_char(d.day, 'YYYY-MM-DD') order by d.day) as days
  from majors m cross join days d left join counted k on k.major = m.id and k.day = d.day
  group by m.id, m.name, m.name_en, m.sort
  order by m.sort, m.id`;

interface StaticRow {
  compounds: number;
  compounds_by_type: Record<string, number>;
  grids: number;
  red_stewards: number;
  stations: number;
  stations_by_kind: Record<string, number>;
  party_members: number;
  in_service_members: number;
  member_units: number;
  social_organisations: number;
  community_staff: number;
  auxiliary_workers: number;
  retired_cadres: number;
  rider_workers: number;
}

type IssuesRow = Record<
  | 'rider_total'
  | 'rider_recent'
  | 'rider_previous'
  | 'reports'
  | 'reports_previous'
  | 'open_now'
  | 'open_previous'
  | 'overdue_now'
  | 'overdue_previous',
  number
> &
  Record<
    | 'on_time'
    | 'on_time_previous'
    | 'response'
    | 'response_previous'
    | 'resolution'
    | 'resolution_previous'
    | 'satisfaction'
    | 'satisfaction_previous',
    number | null
  >;

/** True when the issue tables (migration 020_issues.sql) exist in this database. */
export async function hasIssueTables(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ ok: boolean }>(
    `select to_regclass('issues') is not null and to_regclass('issue_events') is not null
       and to_regclass('issue_assignments') is not null and to_regclass('issue_ratings') is not null
       and to_regclass('issue_categories') is not null as ok`,
  );
  return rows[0].ok;
}

export async function queryStaticFigures(db: Queryable, countyCode: string): Promise<StaticFigures> {
  const row = (await db.query<StaticRow>(STATIC_SQL, [countyCode])).rows[0];
  return {
    compounds: row.compounds,
    compoundsByType: row.compounds_by_type,
    grids: row.grids,
    redStewards: row.red_stewards,
    stations: row.stations,
    stationsByKind: row.stations_by_kind,
    partyMembers: row.party_members,
    inServiceMembers: row.in_service_members,
    memberUnits: row.member_units,
    socialOrganisations: row.social_organisations,
    communityStaff: row.community_staff,
    auxiliaryWorkers: row.auxiliary_workers,
    retiredCadres: row.retired_cadres,
    riderWorkers: row.rider_workers,
  };
}

export async function queryIssueFigures(
  db: Queryable,
  countyCode: string,
  now: Date,
  days = WALL_PERIOD_DAYS,
): Promise<IssueFigures> {
  const row = (await db.query<IssuesRow>(ISSUES_SQL, [countyCode, now, days])).rows[0];
  return {
    riderReports: { total: row.rider_total, recent: row.rider_recent, previousRecent: row.rider_previous },
    reports: { value: row.reports, previous: row.reports_previous },
    openIssues: { value: row.open_now, previous: row.open_previous },
    overdueIssues: { value: row.overdue_now, previous: row.overdue_previous },
    onTimeClosureRate: { value: row.on_time, previous: row.on_time_previous },
    responseRate: { value: row.response, previous: row.response_previous },
    resolutionRate: { value: row.resolution, previous: row.resolution_previous },
    satisfactionRate: { value: row.satisfaction, previous: row.satisfaction_previous },
  };
}

export async function queryMemberUnitRanking(
  db: Queryable,
  countyCode: string,
  size = RANKING_SIZE,
): Promise<MemberUnitRank[]> {
  return (await db.query<MemberUnitRank>(RANKING_SQL, [countyCode, size])).rows;
}

export async function queryCategoryTrend(
  db: Queryable,
  countyCode: string,
  now: Date,
  days = WALL_PERIOD_DAYS,
): Promise<CategoryTrend> {
  const { rows } = await db.query<{ id: string; name: string; nameEn: string; counts: number[]; days: string[] }>(
    TREND_SQL,
    [countyCode, now, days, WALL_TIME_ZONE],
  );
  return {
    days: rows[0]?.days ?? [],
    series: rows.map(({ id, name, nameEn, counts }) => ({ id, name, nameEn, counts })),
  };
}

/** Every figure of the wall, at one moment. */
export async function queryWallFigures(pool: Pool, countyCode: string, now = new Date()): Promise<WallFigures> {
  const [withIssues, withService] = await Promise.all([hasIssueTables(pool), hasServiceTables(pool)]);
  const [registers, issues, memberUnitRanking, issuesByCategory, recentEvents, communities, service] =
    await Promise.all([
      queryStaticFigures(pool, countyCode),
      withIssues ? queryIssueFigures(pool, countyCode, now) : null,
      withIssues ? queryMemberUnitRanking(pool, countyCode) : null,
      withIssues ? queryCategoryTrend(pool, countyCode, now) : null,
      withIssues ? queryRecentTickerItems(pool, countyCode, RECENT_EVENTS) : [],
      queryWallCommunities(pool, countyCode),
      withService ? queryServiceFigures(pool, countyCode, now, WALL_PERIOD_DAYS) : null,
    ]);
  return {
    generatedAt: now.toISOString(),
    periodDays: WALL_PERIOD_DAYS,
    synthetic: (await queryCounty(pool, countyCode))?.synthetic ?? false,
    registers,
    issues,
    memberUnitRanking,
    service,
    workforce: await countyWorkforce(pool, countyCode),
    issuesByCategory,
    recentEvents,
    communities,
  };
}

const TICKER_COLUMNS = `i.id::integer as id, i.code, i.source, i.category_id as "categoryId", c.name as "categoryName",
  c.name_en as "categoryNameEn", i.community_id as "communityId", m.name as "communityName",
  m.name_en as "communityNameEn", i.grid_id as "gridId", st_x(p.pos) as lon, st_y(p.pos) as lat`;
const TICKER_JOINS = `from issues i
  cross join lateral (select ${publicPosition('i.location')} as pos) p
  left join issue_categories c on c.county_code = i.county_code and c.id = i.category_id
  left join communities m on m.county_code = i.county_code and m.id = i.community_id`;

/** Opens a connection of the pool and loads PostGIS into its backend, so that its first real query does not wait. */
export async function warmConnection(db: Queryable): Promise<void> {
  await db.query('select postgis_lib_version()');
}

/** The ticker line of one issue that has just changed (null fields when it is not there). */
export async function queryTickerItem(
  db: Queryable,
  countyCode: string,
  id: number,
  state: string,
  at: Date,
  lateSignature = false,
): Promise<IssueTickerItem> {
  const { rows } = await db.query<Omit<IssueTickerItem, 'state' | 'at' | 'lateSignature'>>(
    `select ${TICKER_COLUMNS} ${TICKER_JOINS} where i.county_code = $1 and i.id = $2`,
    [countyCode, id],
  );
  const found = rows[0];
  return {
    id,
    code: found?.code ?? null,
    state,
    source: found?.source ?? null,
    categoryId: found?.categoryId ?? null,
    categoryName: found?.categoryName ?? null,
    categoryNameEn: found?.categoryNameEn ?? null,
    communityId: found?.communityId ?? null,
    communityName: found?.communityName ?? null,
    communityNameEn: found?.communityNameEn ?? null,
    gridId: found?.gridId ?? null,
    lon: found?.lon ?? null,
    lat: found?.lat ?? null,
    at: at.toISOString(),
    lateSignature,
  };
}

/** The latest lifecycle events, newest first, for the ticker to start with. */
export async function queryRecentTickerItems(
  db: Queryable,
  countyCode: string,
  limit: number,
): Promise<IssueTickerItem[]> {
  const { rows } = await db.query<IssueTickerItem & { at: Date }>(
    `select ${TICKER_COLUMNS}, e.to_state as state, e.at, coalesce((e.fields->>'lateSignature')::boolean, false) as "lateSignature"
     from (select issue_id, to_state, fields, at, id from issue_events where county_code = $1 order by at desc, id desc limit $2) e
     join issues i on i.county_code = $1 and i.id = e.issue_id
     cross join lateral (select ${publicPosition('i.location')} as pos) p
     left join issue_categories c on c.county_code = i.county_code and c.id = i.category_id
     left join communities m on m.county_code = i.county_code and m.id = i.community_id
     order by e.at desc, e.id desc`,
    [countyCode, limit],
  );
  return rows.map((r) => ({ ...r, at: new Date(r.at).toISOString() }));
}
