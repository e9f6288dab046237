/**
 * Loads the synthetic issue history (server/issues/demo-history.ts) into an empty issues table: points
 * drawn inside their compounds by PostGIS (seeded), grids by point in polygon, member units from the
 * grid's units with the category's trade first. Everything is marked synthetic.
 */
import type { Pool } from '../postgres/pool.ts';
import { inTransaction } from '../postgres/pool.ts';
import {
  generateDemoHistory,
  PROPERTY_DISPUTES_DECLINE,
  type DemoCompound,
  type DemoIssue,
} from '../issues/demo-history.ts';
import type { Config } from '../config.ts';
import { ISSUE_SOURCES } from '../../shared/issue-states.ts';
import { calendarFromConfig, type WorkingCalendar } from '../issues/working-hours.ts';
import { loadCalendar, seedIssueReferenceData } from '../db/issues-categories-repo.ts';
import { loadBulkHistory, towns } from '../db/issues-bulk-history.ts';
import { demoHistoryAllowed } from './synthetic-county.ts';

type Progress = (line: string) => void;

export const DEMO_HISTORY_SEED = 640323;
/** Twelve months (the report's yearly figures), plus the year before for property-service disputes (−58.2 %). */
export const DEMO_HISTORY_DAYS = 365;
/** How near a farmers' market (metres) a compound is a hotspot. */
const MARKET_HOTSPOT_METRES = 400;

const json = (issues: DemoIssue[]) => JSON.stringify(issues.map((i) => ({ ...i, events: undefined })));

/** Generates and inserts the history, unless the county already has issues. Returns how many were stored. */
export async function loadDemoHistory(
  pool: Pool,
  countyCode: string,
  weekly: WorkingCalendar,
  progress: Progress,
  now = new Date(),
): Promise<number> {
  const started = Date.now();
  return inTransaction(pool, async (db) => {
    const { rowCount } = await db.query('select 1 from issues where county_code = $1 limit 1', [countyCode]);
    if (rowCount) return 0;
    const compounds = (
      await db.query<DemoCompound>(
        `select q.id, q.type, exists (select 1 from basemap_features m where m.county_code = q.county_code and m.class = 'market'
           and st_dwithin(m.geom::geography, q.geom::geography, $2)) as "nearMarket"
         from compounds q where q.county_code = $1 order by q.id`,
        [countyCode, MARKET_HOTSPOT_METRES],
      )
    ).rows;
    const categories = (
      await db.query<{ id: string; timeLimitHours: number }>(
        `select id, time_limit_hours as "timeLimitHours" from issue_categories where county_code = $1 and parent_id is not null order by id`,
        [countyCode],
      )
    ).rows;
    if (!compounds.length || !categories.length) return 0;
    const calendar = await loadCalendar(db, countyCode, weekly);
    const history = generateDemoHistory(compounds, categories, {
      now,
      days: DEMO_HISTORY_DAYS,
      seed: DEMO_HISTORY_SEED,
      calendar,
      yearBefore: PROPERTY_DISPUTES_DECLINE,
    });

    const inserted = await db.query(
      `with plan as (
         select p.* from rows from (json_to_recordset($2::json) as (
           key text, "compoundId" text, "pointSeed" int, "categoryId" text, source text, description text, "reporterName" text,
           "reporterPhone" text, state text, severity smallint, deadline timestamptz, "reworkCount" int, "createdAt" timestamptz,
           "filedAt" timestamptz, "closedAt" timestamptz, "updatedAt" timestamptz)) with ordinality as p(
           key, "compoundId", "pointSeed", "categoryId", source, description, "reporterName", "reporterPhone", state, severity,
           deadline, "reworkCount", "createdAt", "filedAt", "closedAt", "updatedAt", ord)
       ), placed as (
         select plan.*, pt.geom as location
         from plan join compounds q on q.county_code = $1 and q.id = plan."compoundId"
         cross join lateral (select st_geometryn(st_generatepoints(q.geom, 1, plan."pointSeed"), 1) as geom) pt
       ), numbered as (
         -- nextval in the select list runs once per row, in the order of the history (a lateral subquery that
         -- references nothing outside may be run once for all rows).
         select o.*, nextval(pg_get_serial_sequence('issues', 'id')) as issue_id from (select * from placed order by ord) o
       )
       insert into issues (county_code, id, code, category_id, source, description, location, grid_id, community_id, street_id,
                           compound_id, state, severity, deadline, reporter_name, reporter_phone, idempotency_key, rework_count,
                           synthetic, created_at, updated_at, filed_at, closed_at)
       overriding system value
       select $1, p.issue_id, 'SJ' || to_char(p."createdAt" at time zone 'Asia/Shanghai', 'YYYYMMDD') || '-' || lpad(p.issue_id::text, 6, '0'),
              p."categoryId", p.source, p.description, p.location, g.id, g.community_id, c.street_id, p."compoundId", p.state,
              p.severity, p.deadline, p."reporterName", p."reporterPhone", p.key, p."reworkCount", true, p."createdAt",
              p."updatedAt", p."filedAt", p."closedAt"
       from numbered p
       cross join lateral (select g.id, g.community_id from grids g where g.county_code = $1 and st_covers(g.geom, p.location) order by g.id limit 1) g
       join communities c on c.county_code = $1 and c.id = g.community_id
       order by p.ord`,
      [countyCode, json(history)],
    );
    const events = history.flatMap((i) =>
      i.events.map((e) => ({
        key: i.key,
        from: e.from,
        to: e.to,
        at: e.at,
        role: e.role,
        reason: e.reason ?? null,
        fields: e.fields ?? {},
      })),
    );
    await db.query(
      `insert into issue_events (county_code, issue_id, from_state, to_state, actor_user_id, actor, role, reason, fields, at)
       select $1, i.id, e."from", e."to", null, 'synthetic (示例数据)', e.role, e.reason, coalesce(e.fields, '{}'::jsonb), e.at
       from rows from (json_to_recordset($2::json) as (key text, "from" text, "to" text, at timestamptz, role text, reason text, fields jsonb))
            with ordinality as e(key, "from", "to", at, role, reason, fields, ord)
       join issues i on i.county_code = $1 and i.reporter_user_id is null and i.idempotency_key = e.key
       order by e.ord`,
      [countyCode, JSON.stringify(events)],
    );
    const summoned = history
      .filter((i) => i.dispatchedAt)
      .map((i) => ({ key: i.key, units: i.unitCount, dispatchedAt: i.dispatchedAt, signedAt: i.signedAt }));
    await db.query(
      `insert into issue_assignments (county_code, issue_id, unit_id, dispatched_at, signed_at)
       select $1, i.id, u.id, s."dispatchedAt", s."signedAt"
       from json_to_recordset($2::json) as s(key text, units int, "dispatchedAt" timestamptz, "signedAt" timestamptz)
       join issues i on i.county_code = $1 and i.reporter_user_id is null and i.idempotency_key = s.key
       join issue_categories cat on cat.county_code = i.county_code and cat.id = i.category_id
       cross join lateral (
         select m.id from member_units m
         left join member_unit_grids mg on mg.county_code = m.county_code and mg.unit_id = m.id and mg.grid_id = i.grid_id
         where m.county_code = $1
         order by (mg.grid_id is not null) desc, (m.trade is not distinct from cat.responsible_trade) desc, md5(m.id || s.key)
         limit s.units) u`,
      [countyCode, JSON.stringify(summoned)],
    );
    const rated = history.filter((i) => i.rating).map((i) => ({ key: i.key, rating: i.rating, at: i.updatedAt }));
    await db.query(
      `insert into issue_ratings (county_code, issue_id, rating, created_at)
       select $1, i.id, r.rating, r.at from json_to_recordset($2::json) as r(key text, rating text, at timestamptz)
       join issues i on i.county_code = $1 and i.reporter_user_id is null and i.idempotency_key = r.key`,
      [countyCode, JSON.stringify(rated)],
    );
    const stored = inserted.rowCount ?? 0;
    const bySource = ISSUE_SOURCES.map((s) => `${s} ${history.filter((i) => i.source === s).length}`).join(', ');
    const before = history.filter((i) => i.key.startsWith('synthetic-before-')).length;
    progress(
      `  issues (synthetic history, ${DEMO_HISTORY_DAYS} days and ${before} ${PROPERTY_DISPUTES_DECLINE.categoryId} ` +
        `the year before): ${stored} rows (${bySource}), ` +
        `${events.length} events, ${rated.length} ratings (${Date.now() - started} ms)`,
    );
    return stored;
  });
}

/**
 * At start: the category taxonomy and holidays (rows edited since stay as they are); then, outside
 * production and on a database holding the demo data set but no issue yet (first start, or after
 * npm run db:reset), the synthetic history.
 */
export async function prepareIssues(pool: Pool, config: Config, progress: Progress): Promise<void> {
  await seedIssueReferenceData(pool, config.countyCode);
  if (!(await demoHistoryAllowed(pool, config))) return;
  const { rowCount } = await pool.query(
    `select 1 where exists (select 1 from compounds where county_code = $1) and not exists (select 1 from issues where county_code = $1)`,
    [config.countyCode],
  );
  if (!rowCount) return;
  // Several towns side by side (npm run geodata -- --scale N): a year per town, generated in bulk.
  const bulk = await inTransaction(pool, async (db) => {
    if ((await towns(db, config.countyCode)).length < 2) return false;
    progress('Generating a year of synthetic issues per town (示例数据) …');
    await loadBulkHistory(db, config.countyCode, progress);
    return true;
  });
  if (!bulk) {
    progress('Generating the synthetic issue history (示例数据) …');
    await loadDemoHistory(pool, config.countyCode, calendarFromConfig(config.issues), progress);
  }
  // Fresh statistics for the planner: the dashboards' aggregates would otherwise be planned as over empty tables
  // (nested loops over thousands of rows) until autovacuum gets to them.
  await pool.query('analyze issues, issue_events, issue_assignments, issue_ratings');
}
