import type { Queryable } from '../postgres/pool.ts';
import type { PlanDetail, PlanSummary } from '../../shared/api/plans.ts';

export type { PlanDetail, PlanSummary };

// Plans of the planner (/plan): drafts, their assignments of units to grid labels, and the units themselves
// (the view plan_units of migrations 030 and 051; geometry joined here). Which compounds stay whole follows the
// county's grid bounds (counties.max_households).

/**
 * The units of a plan as one GeoJSON FeatureCollection, built in SQL and returned as text: compounds one grid can
 * hold and the buildings of heavier compounds, with `parents` (heavy compound id → outline) for the engine, and
 * `compoundBuildings`: the buildings of the compounds kept whole, which a planner may split a compound into.
 */
export async function queryPlanUnitsGeoJson(db: Queryable, countyCode: string): Promise<string> {
  const { rows } = await db.query<{ body: string }>(
    `with units as (
       select u.id, u.kind, u.households, u.community_id, u.compound_id, u.grid_id,
              coalesce(c.geom, b.geom) as geom
       from plan_units u
       left join compounds c on u.kind = 'compound' and c.county_code = u.county_code and c.id = u.id
       left join buildings b on u.kind = 'building' and b.county_code = u.county_code and b.id = u.id
       where u.county_code = $1)
     select json_build_object(
       'type', 'FeatureCollection',
       'features', coalesce((select json_agg(json_build_object(
           'type', 'Feature', 'id', id, 'geometry', st_asgeojson(geom, 7)::json,
           'properties', json_build_object('id', id, 'kind', kind, 'households', households,
             'community_id', community_id, 'compound_id', compound_id, 'grid_id', grid_id)) order by id)
         from units), '[]'::json),
       'parents', coalesce((select json_object_agg(c.id, st_asgeojson(c.geom, 7)::json order by c.id)
         from compounds c join counties k on k.county_code = c.county_code
         where c.county_code = $1 and c.households > k.max_households), '{}'::json),
       'compoundBuildings', coalesce((select json_agg(json_build_object(
           'type', 'Feature', 'id', b.id, 'geometry', st_asgeojson(b.geom, 7)::json,
           'properties', json_build_object('id', b.id, 'kind', 'building', 'households', b.households,
             'community_id', c.community_id, 'compound_id', c.id, 'grid_id', b.grid_id)) order by b.id)
         from buildings b join compounds c on c.county_code = b.county_code and c.id = b.compound_id
         join counties k on k.county_code = c.county_code
         where b.county_code = $1 and c.households <= k.max_households), '[]'::json)
     )::text as body`,
    [countyCode],
  );
  return rows[0].body;
}

const SUMMARY_COLUMNS = `p.id, p.name, u.username as author, p.base_data_version as "baseDataVersion", p.status,
  to_char(p.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "createdAt",
  to_char(p.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "updatedAt",
  to_char(p.published_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "publishedAt",
  (select count(*) from plan_assignments a where a.county_code = p.county_code and a.plan_id = p.id)::int as units,
  (select count(distinct a.grid_label) from plan_assignments a where a.county_code = p.county_code and a.plan_id = p.id)::int as grids`;

const SUMMARY_FROM = `from plans p join users u on u.county_code = p.county_code and u.id = p.author_id`;

export async function listPlans(db: Queryable, countyCode: string): Promise<PlanSummary[]> {
  const { rows } = await db.query<PlanSummary>(
    `select ${SUMMARY_COLUMNS} ${SUMMARY_FROM} where p.county_code = $1 order by p.updated_at desc, p.id desc`,
    [countyCode],
  );
  return rows;
}

async function findSummary(db: Queryable, countyCode: string, id: number): Promise<PlanSummary | undefined> {
  const { rows } = await db.query<PlanSummary>(
    `select ${SUMMARY_COLUMNS} ${SUMMARY_FROM} where p.county_code = $1 and p.id = $2`,
    [countyCode, id],
  );
  return rows[0];
}

export async function findPlan(db: Queryable, countyCode: string, id: number): Promise<PlanDetail | undefined> {
  const summary = await findSummary(db, countyCode, id);
  if (!summary) return undefined;
  const { rows } = await db.query<{ assignments: Record<string, string | null>; locks: string[] }>(
    `select coalesce((select json_object_agg(unit_id, grid_label order by unit_id) from plan_assignments
                      where county_code = $1 and plan_id = $2), '{}'::json) as assignments,
            (select locked_grids from plans where county_code = $1 and id = $2) as locks`,
    [countyCode, id],
  );
  return { ...summary, assignments: rows[0].assignments, locks: rows[0].locks ?? [] };
}

/** Inserts a draft named `name` whose assignment is the current grids, in the caller's transaction; its id. */
export async function insertDraftFromCurrentGrids(
  client: Queryable,
  countyCode: string,
  name: string,
  authorId: number,
): Promise<number> {
  const { rows } = await client.query<{ id: string }>(
    `insert into plans (county_code, name, author_id, base_data_version)
     values ($1, $2, $3, coalesce((select version from data_versions where county_code = $1), 1)) returning id`,
    [countyCode, name, authorId],
  );
  await client.query(
    `insert into plan_assignments (county_code, plan_id, unit_id, grid_label)
     select county_code, $2, id, grid_id from plan_units where county_code = $1`,
    [countyCode, rows[0].id],
  );
  return Number(rows[0].id);
}

/** What a save changed: units whose grid label changed ([before, after]; null: no grid or not a unit before/after), and the locks. */
export interface AssignmentChange {
  moved: Record<string, [string | null, string | null]>;
  locks?: { before: string[]; after: string[] };
}

export type SaveAssignmentsResult =
  | { ok: true; updatedAt: string; change: AssignmentChange }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'not-draft' }
  | { ok: false; reason: 'units'; unknown: string[]; missing: string[] };

/**
 * Replaces a draft's whole assignment, inside the caller's transaction (`client`). Every unit of plan_units must
 * be named exactly once and no other id — except that a compound kept whole may be replaced by all of its
 * buildings (the planner split it): otherwise nothing changes and the unknown and missing ids are returned.
 * `locks`, when given, replaces the draft's locked grids. The answer says what changed (for the audit row).
 */
export async function saveAssignments(
  client: Queryable,
  countyCode: string,
  id: number,
  assignments: Record<string, string | null>,
  locks: string[] | undefined,
): Promise<SaveAssignmentsResult> {
  const ids = Object.keys(assignments);
  const { rows: plan } = await client.query<{ status: string; locked_grids: string[] }>(
    'select status, locked_grids from plans where county_code = $1 and id = $2 for update',
    [countyCode, id],
  );
  if (!plan[0]) return { ok: false, reason: 'not-found' };
  if (plan[0].status !== 'draft') return { ok: false, reason: 'not-draft' };
  // A compound kept whole may be named by its buildings instead (split by the planner): then by all of them.
  const { rows: check } = await client.query<{ unknown: string[]; missing: string[] }>(
    `with given as (select unnest($2::text[]) as id),
     split as (select distinct c.id from given g
               join buildings b on b.county_code = $1 and b.id = g.id
               join compounds c on c.county_code = b.county_code and c.id = b.compound_id
               join counties k on k.county_code = c.county_code and c.households <= k.max_households),
     expected as (select u.id from plan_units u where u.county_code = $1 and u.id not in (select id from split)
                  union all
                  select b.id from buildings b where b.county_code = $1 and b.compound_id in (select id from split))
     select coalesce((select array_agg(g.id order by g.id) from given g where g.id not in (select id from expected)), '{}') as unknown,
            coalesce((select array_agg(e.id order by e.id) from expected e where e.id not in (select id from given)), '{}') as missing`,
    [countyCode, ids],
  );
  const { unknown, missing } = check[0];
  if (unknown.length || missing.length) return { ok: false, reason: 'units', unknown, missing };
  const { rows: before } = await client.query<{ unit_id: string; grid_label: string | null }>(
    'delete from plan_assignments where county_code = $1 and plan_id = $2 returning unit_id, grid_label',
    [countyCode, id],
  );
  await client.query(
    `insert into plan_assignments (county_code, plan_id, unit_id, grid_label)
     select $1, $2, unit_id, grid_label from unnest($3::text[], $4::text[]) a(unit_id, grid_label)`,
    [countyCode, id, ids, ids.map((unit) => assignments[unit])],
  );
  const { rows } = await client.query<{ updatedAt: string }>(
    `update plans set updated_at = now(),
            locked_grids = coalesce((select array_agg(distinct l order by l) from unnest($3::text[]) l),
                                    case when $3::text[] is null then locked_grids else '{}' end)
     where county_code = $1 and id = $2
     returning to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "updatedAt"`,
    [countyCode, id, locks ?? null],
  );
  const change = assignmentChange(before, assignments, plan[0].locked_grids, locks);
  return { ok: true, updatedAt: rows[0].updatedAt, change };
}

/** The units a save moved (a unit split into buildings, or merged back, shows as gone and new) and the locks, if they changed. */
function assignmentChange(
  before: { unit_id: string; grid_label: string | null }[],
  after: Record<string, string | null>,
  locksBefore: string[],
  locksAfter: string[] | undefined,
): AssignmentChange {
  const was = new Map(before.map((r) => [r.unit_id, r.grid_label]));
  const moved: AssignmentChange['moved'] = {};
  for (const [unit, label] of Object.entries(after))
    if (!was.has(unit) || was.get(unit) !== label) moved[unit] = [was.get(unit) ?? null, label];
  for (const [unit, label] of was) if (!(unit in after)) moved[unit] = [label, null];
  const sorted = (l: string[]) => [...new Set(l)].sort();
  const lockChange =
    locksAfter && sorted(locksAfter).join() !== sorted(locksBefore).join()
      ? { before: sorted(locksBefore), after: sorted(locksAfter) }
      : undefined;
  return lockChange ? { moved, locks: lockChange } : { moved };
}

/** Deletes a draft (its assignments go with it), with its name and unit count for the audit row. */
export async function deleteDraft(
  db: Queryable,
  countyCode: string,
  id: number,
): Promise<{ outcome: 'deleted'; name: string; units: number } | { outcome: 'not-found' | 'not-draft' }> {
  const { rows } = await db.query<{ status: string; name: string; units: number }>(
    `with units as (select count(*)::integer as n from plan_assignments where county_code = $1 and plan_id = $2),
     gone as (delete from plans where county_code = $1 and id = $2 and status = 'draft' returning status, name)
     select coalesce((select status from gone), (select status from plans where county_code = $1 and id = $2)) as status,
            (select name from gone) as name, (select n from units) as units`,
    [countyCode, id],
  );
  if (rows[0]?.status === 'draft') return { outcome: 'deleted', name: rows[0].name, units: rows[0].units };
  return { outcome: rows[0]?.status ? 'not-draft' : 'not-found' };
}
