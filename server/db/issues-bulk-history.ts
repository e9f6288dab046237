/**
 * The synthetic issue history of a multi-town data set (`npm run geodata -- --scale N`): a year of issues
 * per town (≈ 10,000), generated in bulk by PostgreSQL rather than walked one by one in JavaScript, so a
 * hundred towns (a million issues) load in minutes. Per compound, a count weighted by its households;
 * points drawn inside it by st_generatepoints; a category; a state plausible for the issue's age (older
 * ones closed or rated, recent ones spread over the lifecycle); created_at over the last 365 days. Each
 * issue gets two events (reported → its final state) and, when rated, a rating. All marked synthetic;
 * no reporter is named. The single county town keeps the detailed history (server/demo/issues.ts).
 */
import type { PoolClient } from 'pg';

export const BULK_ISSUES_PER_TOWN_YEAR = 10_000;
/** Towns per statement: one progress line each. */
const TOWNS_PER_BATCH = 5;

type Progress = (line: string) => void;

/** The town of a compound: the `T001` of `T001-…`, or '' for a single-town data set. */
export const TOWN_OF_COMPOUND = `case when q.id ~ '^T[0-9]{3}-' then split_part(q.id, '-', 1) else '' end`;

export async function towns(db: PoolClient, countyCode: string): Promise<string[]> {
  const { rows } = await db.query<{ town: string }>(
    `select distinct ${TOWN_OF_COMPOUND} as town from compounds q where q.county_code = $1 order by 1`,
    [countyCode],
  );
  return rows.map((r) => r.town);
}

export interface BulkCounts {
  issues: number;
  events: number;
  ratings: number;
}

/** One statement: the year's issues of the given towns, with their events and ratings. */
export async function insertBulkIssues(
  db: PoolClient,
  countyCode: string,
  townIds: string[],
  perTownYear: number,
  now = new Date(),
): Promise<BulkCounts> {
  const { rows } = await db.query<BulkCounts>(
    `with cats as (
       select array_agg(id order by id) as ids, array_agg(time_limit_hours::float8 order by id) as hours, count(*)::int as n
       from issue_categories where county_code = $1 and parent_id is not null
     ), town as (
       select ${TOWN_OF_COMPOUND} as town, sum(q.households)::float8 as households
       from compounds q where q.county_code = $1 and ${TOWN_OF_COMPOUND} = any($2) group by 1
     ), quota as (
       -- households-weighted share of the town's year, rounded at random so the town's total is right on average
       select q.id, q.geom, q.community_id,
              coalesce(q.grid_id, (select g.id from grids g where g.county_code = $1 and st_covers(g.geom, st_pointonsurface(q.geom))
                                   order by g.id limit 1)) as grid_id,
              floor($3::float8 * q.households / nullif(t.households, 0) + random())::int as k
       from compounds q join town t on t.town = ${TOWN_OF_COMPOUND}
       where q.county_code = $1 and q.households > 0
     ), points as (
       select quota.id as compound_id, quota.grid_id, quota.community_id, (st_dump(st_generatepoints(quota.geom, quota.k))).geom as location
       from quota where quota.k > 0 and quota.grid_id is not null
     ), drawn as (
       select p.*, 1 + floor(random() * cats.n)::int as c, $4::timestamptz - random() * interval '365 days' as created_at,
              random() as r, random() as share, random() as s, random() as src
       from points p, cats
     ), staged as (
       select d.*, cats.ids[d.c] as category_id, cats.hours[d.c] as hours,
              extract(epoch from $4::timestamptz - d.created_at) / 86400 as age_days,
              case when d.r < 0.03 then 'returned' when d.r < 0.05 then 'void'
                   -- older than two weeks: done; recent: the younger, the earlier in the lifecycle
                   when extract(epoch from $4::timestamptz - d.created_at) / 86400 > 14 * d.share
                     then case when d.s < 0.7 then 'rated' else 'closed' end
                   else (array['reported', 'accepted', 'filed', 'dispatched', 'signed', 'handling', 'feedback'])[1 + floor(d.s * 7)::int]
              end as state
       from drawn d, cats
     ), timed as (
       select st.*,
              case when st.state in ('reported', 'accepted', 'returned', 'void') then null
                   else least($4::timestamptz, st.created_at + interval '1 hour') end as filed_at,
              case when st.state in ('closed', 'rated')
                   then least($4::timestamptz, st.created_at + (0.2 + st.share) * st.hours * interval '1 hour') end as closed_at
       from staged st
     ), numbered as (
       select t.*, nextval(pg_get_serial_sequence('issues', 'id')) as issue_id from timed t
     ), ins as (
       insert into issues (county_code, id, code, category_id, source, description, location, grid_id, community_id, street_id,
                           compound_id, state, severity, deadline, idempotency_key, synthetic, created_at, updated_at, filed_at, closed_at)
       overriding system value
       select $1, n.issue_id,
              'SJ' || to_char(n.created_at at time zone 'Asia/Shanghai', 'YYYYMMDD') || '-'
                || lpad(n.issue_id::text, greatest(6, length(n.issue_id::text)), '0'),
              n.category_id,
              case width_bucket(n.src, array[0.48, 0.83, 0.94]) when 0 then 'rider' when 1 then 'resident' when 2 then 'grid_worker' else 'party_member' end,
              cat.name || '（示例数据）', n.location, n.grid_id, n.community_id, c.street_id, n.compound_id, n.state,
              case when n.filed_at is not null then 1 + floor(n.share * 3)::smallint end,
              n.filed_at + n.hours * interval '1 hour',
              'synthetic-bulk-' || n.issue_id, true, n.created_at,
              coalesce(n.closed_at, n.filed_at, n.created_at), n.filed_at, n.closed_at
       from numbered n
       join issue_categories cat on cat.county_code = $1 and cat.id = n.category_id
       join communities c on c.county_code = $1 and c.id = n.community_id
       returning id, state, created_at, updated_at, source
     ), ev as (
       insert into issue_events (county_code, issue_id, from_state, to_state, actor, role, fields, at)
       select $1, ins.id, e.from_state, e.to_state, 'synthetic (示例数据)', e.role, e.fields, e.at
       from ins cross join lateral (values
         (null, 'reported', case when ins.source = 'grid_worker' then 'grid_worker' else 'reporter' end,
          jsonb_build_object('source', ins.source), ins.created_at),
         ('reported', ins.state, 'dispatcher', '{}'::jsonb, ins.updated_at)) e(from_state, to_state, role, fields, at)
       where e.from_state is null or ins.state <> 'reported'
       returning 1
     ), rt as (
       insert into issue_ratings (county_code, issue_id, rating, created_at)
       select $1, ins.id,
              case width_bucket(random(), array[0.8, 0.95]) when 0 then 'satisfied' when 1 then 'basically_satisfied' else 'unsatisfied' end,
              ins.updated_at
       from ins where ins.state = 'rated'
       returning 1
     )
     select (select count(*)::int from ins) as issues, (select count(*)::int from ev) as events, (select count(*)::int from rt) as ratings`,
    [countyCode, townIds, perTownYear, now],
  );
  return rows[0];
}

/** The whole year for every town, in one transaction, a progress line per batch of towns. */
export async function loadBulkHistory(
  db: PoolClient,
  countyCode: string,
  progress: Progress,
  now = new Date(),
): Promise<number> {
  const started = Date.now();
  const all = await towns(db, countyCode);
  const total: BulkCounts = { issues: 0, events: 0, ratings: 0 };
  for (let i = 0; i < all.length; i += TOWNS_PER_BATCH) {
    const batch = all.slice(i, i + TOWNS_PER_BATCH);
    const n = await insertBulkIssues(db, countyCode, batch, BULK_ISSUES_PER_TOWN_YEAR, now);
    total.issues += n.issues;
    total.events += n.events;
    total.ratings += n.ratings;
    progress(
      `  issues (synthetic, 365 days): towns ${i + batch.length}/${all.length}, ${total.issues} issues (${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );
  }
  progress(
    `  issues (synthetic, 365 days): ${total.issues} rows, ${total.events} events, ${total.ratings} ratings (${Date.now() - started} ms)`,
  );
  return total.issues;
}
