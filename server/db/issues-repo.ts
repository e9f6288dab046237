import type { Queryable } from '../postgres/pool.ts';
import type { AreaScope } from '../../shared/roles.ts';
import { areaCondition } from './area-scope.ts';
import { placeholderIn, queryPage } from './paged-list.ts';
import { findInCounty, type RowSource } from './one-row.ts';
import { ISSUES_CHANNEL } from './notify-channels.ts';
import { publicPosition } from './public-position.ts';
import { OPEN_STATES, RUNNING_STATES, type IssueSource, type IssueState } from '../../shared/issue-states.ts';
import type { Assignment, Issue, IssueEvent, Rating } from '../../shared/api/events.ts';

export type { Assignment, Issue, IssueEvent, Rating };

const POINT = (lon: string, lat: string) => `st_setsrid(st_makepoint(${lon}, ${lat}), 4326)`;
const OVERDUE = `(i.deadline is not null and i.deadline < now() and i.state = any('{${RUNNING_STATES.join(',')}}'::text[]))`;

/** One issue, without personal fields. */
const ISSUE_COLUMNS = `i.id, i.code, i.category_id as "categoryId", cat.name as "categoryName", i.source, i.description,
  st_x(i.location) as lon, st_y(i.location) as lat, i.grid_id as "gridId", i.community_id as "communityId",
  i.street_id as "streetId", i.compound_id as "compoundId", i.state, i.severity, i.deadline, ${OVERDUE} as overdue,
  i.reporter_user_id as "reporterUserId",
  array(select a.unit_id from issue_assignments a where a.county_code = i.county_code and a.issue_id = i.id order by a.unit_id) as "unitIds",
  i.duplicate_of as "duplicateOf", i.rework_count as "reworkCount", i.synthetic,
  i.created_at as "createdAt", i.updated_at as "updatedAt", i.filed_at as "filedAt", i.closed_at as "closedAt"`;
const ISSUE_FROM = `issues i join issue_categories cat on cat.county_code = i.county_code and cat.id = i.category_id`;

/** Dates as ISO strings, as the API gives them. */
function iso<T extends object>(row: T): T {
  const r = row as Record<string, unknown>;
  for (const [k, v] of Object.entries(r)) if (v instanceof Date) r[k] = v.toISOString();
  return row;
}

export interface NewIssue {
  categoryId: string;
  source: IssueSource;
  description: string;
  lon: number;
  lat: number;
  reporterUserId: number | null;
  reporterName: string | null;
  reporterPhone: string | null;
  idempotencyKey: string | null;
  state: IssueState;
  duplicateOf: number | null;
}

/**
 * Inserts a report, placing it in SQL: the grid that covers the point (and so its community and street),
 * and the compound if one does. Undefined when no grid covers the point (outside the county).
 * The code is SJ + the Beijing date + the id: SJ20261125-000123.
 */
export async function insertIssue(db: Queryable, countyCode: string, issue: NewIssue): Promise<number | undefined> {
  const { rows } = await db.query<{ id: number }>(
    `with place as (
       select g.id as grid_id, g.community_id, c.street_id,
              (select q.id from compounds q where q.county_code = g.county_code and st_covers(q.geom, ${POINT('$5', '$6')})
               order by q.id limit 1) as compound_id
       from grids g join communities c on c.county_code = g.county_code and c.id = g.community_id
       where g.county_code = $1 and st_covers(g.geom, ${POINT('$5', '$6')})
       order by g.id limit 1
     )
     insert into issues (county_code, id, code, category_id, source, description, location, grid_id, community_id, street_id,
                         compound_id, state, reporter_user_id, reporter_name, reporter_phone, idempotency_key, duplicate_of)
     overriding system value
     select $1, n.id, 'SJ' || to_char(now() at time zone 'Asia/Shanghai', 'YYYYMMDD') || '-' || lpad(n.id::text, 6, '0'),
            $2, $3, $4, ${POINT('$5', '$6')}, p.grid_id, p.community_id, p.street_id, p.compound_id, $7, $8, $9, $10, $11, $12
     from place p cross join lateral (select nextval(pg_get_serial_sequence('issues', 'id')) as id) n
     on conflict do nothing
     returning id`,
    [
      countyCode,
      issue.categoryId,
      issue.source,
      issue.description,
      issue.lon,
      issue.lat,
      issue.state,
      issue.reporterUserId,
      issue.reporterName,
      issue.reporterPhone,
      issue.idempotencyKey,
      issue.duplicateOf,
    ],
  );
  return rows[0]?.id;
}

/** Whether any grid of the county covers the point. */
export async function isInsideCounty(db: Queryable, countyCode: string, lon: number, lat: number): Promise<boolean> {
  const { rowCount } = await db.query(
    `select 1 from grids where county_code = $1 and st_covers(geom, ${POINT('$2', '$3')}) limit 1`,
    [countyCode, lon, lat],
  );
  return (rowCount ?? 0) > 0;
}

export async function findIdByIdempotencyKey(
  db: Queryable,
  countyCode: string,
  reporterUserId: number,
  key: string,
): Promise<number | undefined> {
  const { rows } = await db.query<{ id: number }>(
    `select id from issues where county_code = $1 and reporter_user_id = $2 and idempotency_key = $3`,
    [countyCode, reporterUserId, key],
  );
  return rows[0]?.id;
}

/**
 * An open report offered to join: what the reporter needs to recognise it, never how far it is or where exactly
 * (a distance or the exact point per probe would let anyone trilaterate other people's reports).
 */
export interface DuplicateCandidate {
  id: number;
  code: string;
  state: IssueState;
  categoryId: string;
  categoryName: string;
  /** The centre of its ≈120 m heat cell (public-position.ts), [lon, lat]. */
  cell: [number, number];
  createdAt: string;
}

/** Open issues of the category within `metres` of the point, oldest first (duplicates to join). */
export async function findOpenNearby(
  db: Queryable,
  countyCode: string,
  categoryId: string,
  lon: number,
  lat: number,
  metres: number,
): Promise<DuplicateCandidate[]> {
  // Not ordered by distance: the order of several candidates would tell which is nearer.
  const { rows } = await db.query<Omit<DuplicateCandidate, 'cell'> & { lon: number; lat: number }>(
    `select i.id, i.code, i.state, i.category_id as "categoryId", cat.name as "categoryName",
            round(st_x(p.pos)::numeric, 6)::float8 as lon, round(st_y(p.pos)::numeric, 6)::float8 as lat, i.created_at as "createdAt"
     from issues i
     join issue_categories cat on cat.county_code = i.county_code and cat.id = i.category_id
     cross join lateral (select ${publicPosition('i.location')} as pos) p
     where i.county_code = $1 and i.category_id = $2 and i.duplicate_of is null
       and i.state = any($6::text[])
       and st_dwithin(i.location::geography, ${POINT('$3', '$4')}::geography, $5)
     order by i.created_at, i.id limit 5`,
    [countyCode, categoryId, lon, lat, metres, OPEN_STATES],
  );
  return rows.map(({ lon: cellLon, lat: cellLat, ...r }) =>
    iso({ ...r, cell: [cellLon, cellLat] as [number, number] }),
  );
}

/** The audit action of a report answered with a duplicate offer (409): it spends the hourly budget like a report. */
export const DUPLICATE_PROBE_ACTION = 'issue.duplicate_probe';

/**
 * Reports an account submitted in the last hour plus the duplicate offers it was answered with (the rate limit:
 * a report that ends in 409 is a probe of where others reported). Locks the account's budget until the
 * transaction ends, so concurrent reports cannot all pass the same count.
 */
export async function countRecentReports(db: Queryable, countyCode: string, reporterUserId: number): Promise<number> {
  await db.query(`select pg_advisory_xact_lock(hashtextextended('gridlink.report-budget:' || $1 || ':' || $2, 0))`, [
    countyCode,
    reporterUserId,
  ]);
  const { rows } = await db.query<{ n: number }>(
    `select (select count(*) from issues where county_code = $1 and reporter_user_id = $2 and created_at > now() - interval '1 hour')::int
          + (select count(*) from audit_log where county_code = $1 and action = $3 and actor_user_id = $2 and at > now() - interval '1 hour')::int as n`,
    [countyCode, reporterUserId, DUPLICATE_PROBE_ACTION],
  );
  return rows[0].n;
}

/** One issue by id; `forUpdate` locks its row until the transaction ends. */
const ISSUE_ROW: RowSource = { columns: ISSUE_COLUMNS, from: ISSUE_FROM, alias: 'i' };
export const findIssue = (db: Queryable, countyCode: string, id: number, forUpdate = false) =>
  findInCounty<Issue>(db, ISSUE_ROW, countyCode, id, forUpdate).then((row) => row && iso(row));

export async function findReporterContact(
  db: Queryable,
  countyCode: string,
  id: number,
): Promise<{ name: string | null; phone: string | null }> {
  const { rows } = await db.query<{ name: string | null; phone: string | null }>(
    `select reporter_name as name, reporter_phone as phone from issues where county_code = $1 and id = $2`,
    [countyCode, id],
  );
  return rows[0] ?? { name: null, phone: null };
}

export interface IssueFilter {
  states?: IssueState[];
  /** A minor class, or a major class (all its minors). */
  categoryId?: string;
  /** A grid, community or street id. */
  areaId?: string;
  overdue?: boolean;
  /** Only the reports of this account (reporters). */
  reporterUserId?: number;
  /** Only the cases this member unit is summoned to (member-unit accounts; null: none). */
  memberUnitId?: string | null;
  limit: number;
  offset: number;
}

/** The work queue: issues inside the caller's area scope (in SQL), filtered, most urgent first. */
export async function listIssues(
  db: Queryable,
  countyCode: string,
  scope: AreaScope,
  filter: IssueFilter,
): Promise<{ total: number; issues: Issue[] }> {
  const params: unknown[] = [countyCode];
  const add = placeholderIn(params);
  const where = [
    `i.county_code = $1`,
    areaCondition(
      scope,
      { county: 'i.county_code', grid: 'i.grid_id', community: 'i.community_id', street: 'i.street_id' },
      params,
    ),
  ];
  if (filter.states?.length) where.push(`i.state = any(${add(filter.states)}::text[])`);
  if (filter.categoryId) where.push(`(i.category_id = ${add(filter.categoryId)} or cat.parent_id = $${params.length})`);
  if (filter.areaId) where.push(`${add(filter.areaId)} in (i.grid_id, i.community_id, i.street_id)`);
  if (filter.overdue !== undefined) where.push(filter.overdue ? OVERDUE : `not ${OVERDUE}`);
  if (filter.reporterUserId !== undefined) where.push(`i.reporter_user_id = ${add(filter.reporterUserId)}`);
  if (filter.memberUnitId !== undefined) {
    where.push(
      `exists (select 1 from issue_assignments a where a.county_code = i.county_code and a.issue_id = i.id and a.unit_id = ${add(filter.memberUnitId)})`,
    );
  }
  const orderBy = `${OVERDUE} desc, i.deadline asc nulls last, i.created_at desc, i.id desc`;
  const query = { columns: ISSUE_COLUMNS, from: ISSUE_FROM, where, orderBy };
  const { total, rows } = await queryPage<Issue>(db, query, params, filter);
  return { total, issues: rows.map(iso) };
}

export interface NewEvent {
  fromState: IssueState | null;
  toState: IssueState;
  actorUserId: number | null;
  actor: string;
  role: string | null;
  reason?: string | null;
  fields?: Record<string, unknown>;
  at?: Date;
}

export async function insertEvent(db: Queryable, countyCode: string, issueId: number, e: NewEvent): Promise<void> {
  await db.query(
    `insert into issue_events (county_code, issue_id, from_state, to_state, actor_user_id, actor, role, reason, fields, at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, coalesce($10, now()))`,
    [
      countyCode,
      issueId,
      e.fromState,
      e.toState,
      e.actorUserId,
      e.actor,
      e.role,
      e.reason ?? null,
      JSON.stringify(e.fields ?? {}),
      e.at ?? null,
    ],
  );
}

export async function listEvents(db: Queryable, countyCode: string, issueId: number): Promise<IssueEvent[]> {
  const { rows } = await db.query<IssueEvent>(
    `select e.id, e.from_state as "fromState", e.to_state as "toState", coalesce(u.display_name, mu.name) as "actorName", e.role, e.reason, e.fields, e.at
     from issue_events e
     left join users u on u.county_code = e.county_code and u.id = e.actor_user_id
     left join member_units mu on mu.county_code = u.county_code and mu.id = u.unit_id
     where e.county_code = $1 and e.issue_id = $2 order by e.at, e.id`,
    [countyCode, issueId],
  );
  return rows.map((r) => iso(r));
}

/** What a transition changes on the issue row besides the state. */
export interface StatePatch {
  severity?: number;
  deadline?: Date;
  duplicateOf?: number;
  filed?: boolean;
  closed?: boolean;
  rework?: boolean;
}

export async function updateState(
  db: Queryable,
  countyCode: string,
  id: number,
  state: IssueState,
  patch: StatePatch = {},
): Promise<void> {
  await db.query(
    `update issues set state = $3, updated_at = now(),
       severity = coalesce($4, severity), deadline = coalesce($5, deadline), duplicate_of = coalesce($6, duplicate_of),
       filed_at = case when $7 then now() else filed_at end,
       closed_at = case when $8 then now() else closed_at end,
       rework_count = rework_count + case when $9 then 1 else 0 end
     where county_code = $1 and id = $2`,
    [
      countyCode,
      id,
      state,
      patch.severity ?? null,
      patch.deadline ?? null,
      patch.duplicateOf ?? null,
      !!patch.filed,
      !!patch.closed,
      !!patch.rework,
    ],
  );
}

/** Member units that exist, of those asked for. */
export async function existingUnits(db: Queryable, countyCode: string, unitIds: string[]): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `select id from member_units where county_code = $1 and id = any($2::text[])`,
    [countyCode, unitIds],
  );
  return rows.map((r) => r.id);
}

/** Summons member units (吹哨); a unit summoned again (rework) is dispatched anew and must sign again. */
export async function assignUnits(
  db: Queryable,
  countyCode: string,
  issueId: number,
  unitIds: string[],
): Promise<void> {
  await db.query(
    `insert into issue_assignments (county_code, issue_id, unit_id) select $1, $2, u from unnest($3::text[]) u
     on conflict (county_code, issue_id, unit_id) do update set dispatched_at = now(), signed_at = null`,
    [countyCode, issueId, unitIds],
  );
}

/** Re-dispatches the units already assigned (after rework or reopening); returns them. */
export async function redispatchUnits(db: Queryable, countyCode: string, issueId: number): Promise<string[]> {
  const { rows } = await db.query<{ unit_id: string }>(
    `update issue_assignments set dispatched_at = now(), signed_at = null where county_code = $1 and issue_id = $2 returning unit_id`,
    [countyCode, issueId],
  );
  return rows.map((r) => r.unit_id).sort();
}

/** Marks units as signed (报到): the ones given, or all still unsigned. */
export async function signUnits(
  db: Queryable,
  countyCode: string,
  issueId: number,
  unitIds: string[] | undefined,
): Promise<string[]> {
  const { rows } = await db.query<{ unit_id: string }>(
    `update issue_assignments set signed_at = now()
     where county_code = $1 and issue_id = $2 and signed_at is null and ($3::text[] is null or unit_id = any($3::text[]))
     returning unit_id`,
    [countyCode, issueId, unitIds ?? null],
  );
  return rows.map((r) => r.unit_id).sort();
}

export async function listAssignments(db: Queryable, countyCode: string, issueId: number): Promise<Assignment[]> {
  const { rows } = await db.query<Assignment>(
    `select a.unit_id as "unitId", u.name, u.trade, a.dispatched_at as "dispatchedAt", a.signed_at as "signedAt"
     from issue_assignments a join member_units u on u.county_code = a.county_code and u.id = a.unit_id
     where a.county_code = $1 and a.issue_id = $2 order by a.unit_id`,
    [countyCode, issueId],
  );
  return rows.map((r) => iso(r));
}

/**
 * Member units to summon (routing): those assigned to the issue's grid, the ones of the category's trade first,
 * then units of that trade elsewhere in the county — a cross-department case summons several.
 */
export async function suggestedUnits(
  db: Queryable,
  countyCode: string,
  issueId: number,
): Promise<{ unitId: string; name: string; trade: string | null; inGrid: boolean }[]> {
  const { rows } = await db.query<{ unitId: string; name: string; trade: string | null; inGrid: boolean }>(
    `select u.id as "unitId", u.name, u.trade, g.unit_id is not null as "inGrid"
     from issues i
     join issue_categories cat on cat.county_code = i.county_code and cat.id = i.category_id
     join member_units u on u.county_code = i.county_code
     left join member_unit_grids g on g.county_code = u.county_code and g.unit_id = u.id and g.grid_id = i.grid_id
     where i.county_code = $1 and i.id = $2 and (g.unit_id is not null or u.trade = cat.responsible_trade)
     order by (g.unit_id is not null) desc, (u.trade is not distinct from cat.responsible_trade) desc, u.id limit 12`,
    [countyCode, issueId],
  );
  return rows;
}

export async function upsertRating(
  db: Queryable,
  countyCode: string,
  issueId: number,
  userId: number | null,
  rating: Rating['rating'],
  comment: string | null,
): Promise<void> {
  await db.query(
    `insert into issue_ratings (county_code, issue_id, rating, comment, rated_by) values ($1, $2, $3, $4, $5)
     on conflict (county_code, issue_id) do update set rating = excluded.rating, comment = excluded.comment,
       rated_by = excluded.rated_by, created_at = now()`,
    [countyCode, issueId, rating, comment, userId],
  );
}

export async function findRating(db: Queryable, countyCode: string, issueId: number): Promise<Rating | undefined> {
  const { rows } = await db.query<Rating>(
    `select rating, comment, created_at as "createdAt" from issue_ratings where county_code = $1 and issue_id = $2`,
    [countyCode, issueId],
  );
  return rows[0] && iso(rows[0]);
}

/**
 * Tells listeners (the SSE stream, later) of a new or changed issue; delivered when the transaction commits.
 * `lateSignature`: a summoned unit signed without moving the case on (the ticker says "signed", not the state).
 * `photo`: a photo was added, the state did not change (queues refresh the case; the wall leaves it out).
 */
export async function notifyIssue(
  db: Queryable,
  countyCode: string,
  id: number,
  state: IssueState,
  change: { lateSignature?: true; photo?: true } = {},
): Promise<void> {
  const payload = { county: countyCode, id, state, ...change };
  await db.query(`select pg_notify($1, $2)`, [ISSUES_CHANNEL, JSON.stringify(payload)]);
}

/** The transaction's time (now() is fixed for its duration): what filed_at and the event rows get. */
export async function transactionNow(db: Queryable): Promise<Date> {
  return (await db.query<{ now: Date }>('select now() as now')).rows[0].now;
}
