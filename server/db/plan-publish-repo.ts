import type { PoolClient } from 'pg';
import { checkGridGeometry, deriveGridGeometry } from './plan-grid-geometry.ts';
import { queryPlanUnitsGeoJson } from './plans-repo.ts';
import { bumpDataVersion } from './data-version.ts';
import { areaCondition } from './area-scope.ts';
import type { AreaScope } from '../../shared/roles.ts';
import type { PublishRefusal, PublishResult, PublishSummary, PublishedSince } from '../../shared/api/plan-publish.ts';

export type { PublishRefusal, PublishResult, PublishSummary, PublishedSince };

// Publishing a draft plan: everything in the caller's transaction, so a crash at any moment leaves the old grids or
// the new ones, never a mix. Order: lock the county's data version (publishes queue behind each other), refuse a
// stale or invalid draft, give new grid labels ids, derive the polygons of every grid of the communities that
// change (plan-grid-geometry.ts), write grids, buildings, compounds and what points at grids (stations, people,
// issues, member units, micro-wishes, activities, deliberation items), retire grids left without units, check the geometry, bump the data version with NOTIFY,
// and keep the plan as the published record.

/** Thrown inside the transaction, so that nothing of a refused publish is written. */
export class PublishRefused extends Error {
  constructor(readonly refusal: PublishRefusal) {
    super(`publish refused: ${refusal.reason}`);
  }
}

/** Checks a plan before anything is written: the same engine as the planner's browser (server/plans/validate-plan.ts). */
export type PlanValidator = (unitsGeoJson: string, assignment: Record<string, string | null>) => PublishRefusal | null;

/** Test-only: holds the caller's transaction open this long (crash-safety tests stop the server meanwhile). */
export async function holdTransaction(client: Pick<PoolClient, 'query'>, ms: number): Promise<void> {
  await client.query('select pg_sleep($1)', [ms / 1000]);
}

/** Published plans newer than `baseDataVersion`: a draft begun before them must be rebased first. */
export async function publishedSince(
  client: Pick<PoolClient, 'query'>,
  countyCode: string,
  baseDataVersion: number,
  exceptId = -1,
): Promise<PublishedSince[]> {
  const { rows } = await client.query<PublishedSince>(
    `select p.id::int, p.name, u.username as author,
            to_char(p.published_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "publishedAt"
     from plans p join users u on u.county_code = p.county_code and u.id = p.published_by
     where p.county_code = $1 and p.status = 'published' and p.published_data_version > $2 and p.id <> $3
     order by p.published_data_version`,
    [countyCode, baseDataVersion, exceptId],
  );
  return rows;
}

/** Name of the history entry that holds the grids as loaded (before any publication). */
export const BASELINE_PLAN_NAME = '初始网格 Grids as loaded';

/**
 * The grids as loaded, kept once before the first publication changes them: as the base of older drafts, and as
 * the first entry of the history (a published plan of the current data version), so that they can be restored.
 */
async function keepBaseline(client: PoolClient, countyCode: string, publisherId: number): Promise<void> {
  const { rowCount } = await client.query(
    `insert into plan_baseline_assignments (county_code, unit_id, grid_id)
     select county_code, id, grid_id from plan_units
     where county_code = $1 and not exists (select 1 from plan_baseline_assignments where county_code = $1)`,
    [countyCode],
  );
  if (!rowCount) return;
  await client.query(
    `with p as (
       insert into plans (county_code, name, author_id, base_data_version, status, published_at, published_by, published_data_version)
       select $1, $3, $2, v.version, 'published', now(), $2, v.version from data_versions v where v.county_code = $1
       returning id)
     insert into plan_assignments (county_code, plan_id, unit_id, grid_label)
     select b.county_code, p.id, b.unit_id, b.grid_id from plan_baseline_assignments b, p where b.county_code = $1`,
    [countyCode, publisherId, BASELINE_PLAN_NAME],
  );
}

/**
 * A compound one grid can hold that the planner split into buildings that all ended in one grid is whole again: its
 * buildings' rows become the compound's (the published record names the compound, as the engine's rule wants).
 */
async function normaliseSplitCompounds(client: PoolClient, countyCode: string, planId: number): Promise<void> {
  await client.query(
    `with split as (
       select c.id as compound, min(a.grid_label) as label
       from plan_assignments a
       join buildings b on b.county_code = a.county_code and b.id = a.unit_id
       join compounds c on c.county_code = b.county_code and c.id = b.compound_id
       join counties k on k.county_code = c.county_code and c.households <= k.max_households
       where a.county_code = $1 and a.plan_id = $2
       group by c.id
       having count(distinct coalesce(a.grid_label, '')) = 1
          and count(*) = (select count(*) from buildings x where x.county_code = $1 and x.compound_id = c.id)),
     gone as (
       delete from plan_assignments a using buildings b, split s
       where a.county_code = $1 and a.plan_id = $2 and b.county_code = $1 and b.id = a.unit_id and b.compound_id = s.compound)
     insert into plan_assignments (county_code, plan_id, unit_id, grid_label)
     select $1, $2, compound, label from split`,
    [countyCode, planId],
  );
}

/** `publisher` may only change the grids of communities inside its area scope (checked in SQL before any write). */
export async function publishPlan(
  client: PoolClient,
  countyCode: string,
  planId: number,
  publisher: { userId: number; scope: AreaScope },
  validator: PlanValidator,
): Promise<PublishResult> {
  // One publish at a time per county: the data version row is the lock, taken first.
  await client.query('insert into data_versions (county_code) values ($1) on conflict do nothing', [countyCode]);
  await client.query('select version from data_versions where county_code = $1 for update', [countyCode]);
  const { rows: found } = await client.query<{ status: string; base: string }>(
    'select status, base_data_version as base from plans where county_code = $1 and id = $2 for update',
    [countyCode, planId],
  );
  if (!found[0]) throw new PublishRefused({ reason: 'not-found' });
  if (found[0].status !== 'draft') throw new PublishRefused({ reason: 'not-draft' });
  const base = Number(found[0].base);
  const since = await publishedSince(client, countyCode, base, planId);
  if (since.length) throw new PublishRefused({ reason: 'stale', baseDataVersion: base, publishedSince: since });

  await normaliseSplitCompounds(client, countyCode, planId);
  const { rows: assigned } = await client.query<{ assignments: Record<string, string | null> }>(
    `select coalesce(json_object_agg(unit_id, grid_label), '{}'::json) as assignments from plan_assignments where county_code = $1 and plan_id = $2`,
    [countyCode, planId],
  );
  const refusal = validator(await queryPlanUnitsGeoJson(client, countyCode), assigned[0].assignments);
  if (refusal) throw new PublishRefused(refusal);

  await keepBaseline(client, countyCode, publisher.userId);
  const summary = await applyAssignment(client, countyCode, planId, publisher.scope);
  const problems = await checkGridGeometry(client, countyCode, summary.communities);
  if (problems.length) throw new PublishRefused({ reason: 'geometry', problems });

  const dataVersion = await bumpDataVersion(client, countyCode);
  const { rows } = await client.query<{ publishedAt: string }>(
    `update plans set status = 'published', published_at = now(), published_by = $3, published_data_version = $4,
            publish_summary = $5::jsonb, updated_at = now()
     where county_code = $1 and id = $2
     returning to_char(published_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "publishedAt"`,
    [countyCode, planId, publisher.userId, dataVersion, JSON.stringify(summary)],
  );
  return { planId, dataVersion, publishedAt: rows[0].publishedAt, summary };
}

/** Writes the plan's assignment into grids, buildings, compounds and what refers to grids; returns what changed. */
async function applyAssignment(
  client: PoolClient,
  countyCode: string,
  planId: number,
  scope: AreaScope,
): Promise<PublishSummary> {
  const q = (sql: string, args: unknown[] = [countyCode]) => client.query(sql, args);
  await q(
    `create temp table publish_units on commit drop as
     select u.id as unit_id, u.kind, u.community_id, u.compound_id, u.households, u.grid_id as current_grid, a.grid_label as label
     from plan_units u join plan_assignments a on a.county_code = u.county_code and a.unit_id = u.id and a.plan_id = $2
     where u.county_code = $1`,
    [countyCode, planId],
  );
  // Labels that are grid ids stay those grids; the others become new grids numbered after the highest id.
  await q(
    `create temp table publish_labels on commit drop as
     with labels as (select label, min(community_id) as community_id from publish_units where label is not null group by label),
     top as (select coalesce(max(substring(id from '^G(\\d+)$')::int), 0) as n from grids where county_code = $1),
     numbered as (select l.label, l.community_id, g.id as found, top.n + row_number() over (partition by g.id is null order by l.label) as k
                  from labels l cross join top left join grids g on g.county_code = $1 and g.id = l.label)
     -- New ids after the highest, G001 … G999, then G1000 … (lpad would cut 1000 to "100").
     select label, community_id, found is not null as existing, coalesce(found, 'G' || lpad(k::text, greatest(3, length(k::text)), '0')) as grid_id
     from numbered`,
  );
  await q(
    `create temp table publish_buildings on commit drop as
     select b.id, b.compound_id, c.community_id, b.households, b.grid_id as current_grid, l.grid_id as new_grid
     from buildings b
     join compounds c on c.county_code = b.county_code and c.id = b.compound_id
     left join publish_units ub on ub.kind = 'building' and ub.unit_id = b.id
     left join publish_units uc on uc.kind = 'compound' and uc.unit_id = b.compound_id
     left join publish_labels l on l.label = coalesce(ub.label, uc.label)
     where b.county_code = $1`,
  );
  // Communities whose grids change: a building changes grid, a grid is retired, or a grid changes community.
  const { rows: changed } = await q(
    `select array(
       select community_id from publish_buildings where new_grid is distinct from current_grid
       union select g.community_id from grids g where g.county_code = $1 and not exists (select 1 from publish_labels l where l.grid_id = g.id)
       union select l.community_id from publish_labels l join grids g on g.county_code = $1 and g.id = l.grid_id where g.community_id <> l.community_id
       union select g.community_id from publish_labels l join grids g on g.county_code = $1 and g.id = l.grid_id where g.community_id <> l.community_id
       union select community_id from publish_labels where not existing
       order by 1) as communities`,
  );
  const communities: string[] = changed[0].communities;
  const params: unknown[] = [countyCode, communities];
  const inScope = areaCondition(scope, { county: 'c.county_code', community: 'c.id', street: 'c.street_id' }, params);
  const { rows: outside } = await q(
    `select array(select c.id from communities c where c.county_code = $1 and c.id = any($2::text[]) and not (${inScope}) order by 1) as ids`,
    params,
  );
  if (outside[0].ids.length) throw new PublishRefused({ reason: 'scope', communities: outside[0].ids });
  // Locked grids whose buildings and community are unchanged keep their polygon exactly; the rest of their
  // community is partitioned around them.
  await q(
    `create temp table publish_kept_grids on commit drop as
     select g.community_id, g.id as grid_id, g.geom
     from plans p
     cross join unnest(p.locked_grids) k(label)
     join publish_labels l on l.label = k.label and l.existing
     join grids g on g.county_code = $1 and g.id = l.grid_id and g.community_id = l.community_id
     where p.county_code = $1 and p.id = $2 and g.community_id = any($3::text[])
       and not exists (select 1 from publish_buildings b where (b.current_grid is not distinct from g.id) <> (b.new_grid is not distinct from g.id))`,
    [countyCode, planId, communities],
  );
  await q(
    `create temp table publish_unit_geoms on commit drop as
     select u.community_id, l.grid_id, coalesce(c.geom, b.geom) as geom, coalesce(c.geom_3857, b.geom_3857) as geom_3857
     from publish_units u
     left join publish_labels l on l.label = u.label
     left join compounds c on u.kind = 'compound' and c.county_code = $1 and c.id = u.unit_id
     left join buildings b on u.kind = 'building' and b.county_code = $1 and b.id = u.unit_id
     where u.community_id = any($2::text[]) and not exists (select 1 from publish_kept_grids k where k.grid_id = l.grid_id)`,
    [countyCode, communities],
  );
  await deriveGridGeometry(client, countyCode);

  // New grids, named after their community like the loaded ones (640323-C01-12, 振兴社区第12网格), numbered
  // after every code of that community's form, also those of grids since moved to another community; from 100 on
  // with three digits (lpad would cut 100 to "10").
  const { rows: created } = await q(
    `with fresh as (
       select l.grid_id, l.community_id, g.geom,
              (select coalesce(max(substring(code from '-(\\d+)$')::int), 0) from grids x
               where x.county_code = $1 and x.code like $1 || '-' || l.community_id || '-%')
                + row_number() over (partition by l.community_id order by l.grid_id) as n
       from publish_labels l join publish_grid_geoms g on g.grid_id = l.grid_id
       where not l.existing)
     insert into grids (county_code, id, code, name, name_en, community_id, party_branch, geom)
     select $1, f.grid_id, $1 || '-' || f.community_id || '-' || lpad(f.n::text, greatest(2, length(f.n::text)), '0'),
            c.name || '第' || f.n || '网格', coalesce(c.name_en, c.name) || ' Grid ' || f.n, f.community_id,
            c.name || '第' || f.n || '网格党支部', f.geom
     from fresh f join communities c on c.county_code = $1 and c.id = f.community_id
     returning id`,
  );
  const { rows: redrawn } = await q(
    `update grids g set geom = d.geom, community_id = d.community_id
     from publish_grid_geoms d where g.county_code = $1 and g.id = d.grid_id
     returning g.id`,
  );
  await q(`update buildings b set grid_id = p.new_grid from publish_buildings p
           where b.county_code = $1 and b.id = p.id and p.new_grid is not null and p.new_grid <> b.grid_id`);
  // Buildings of a unit left without grid (no households around it) take the grid they now lie in.
  await q(
    `update buildings b set grid_id = g.id from publish_buildings p, grids g
           where b.county_code = $1 and b.id = p.id and p.new_grid is null and g.county_code = $1
             and g.community_id = any($2::text[]) and st_covers(g.geom, st_pointonsurface(b.geom))`,
    [countyCode, communities],
  );
  // A compound has a grid of its own unless its buildings lie in several.
  await q(
    `update compounds c set grid_id = s.grid_id
     from (select compound_id, case when count(distinct grid_id) = 1 then min(grid_id) end as grid_id
           from buildings where county_code = $1 group by compound_id) s
     where c.county_code = $1 and c.id = s.compound_id and c.grid_id is distinct from s.grid_id`,
  );

  // What points at grids follows the new ones before retired grids go.
  const { rows: retired } = await q(
    `select array(select g.id from grids g where g.county_code = $1 and g.community_id = any($2::text[])
                  and not exists (select 1 from buildings b where b.county_code = $1 and b.grid_id = g.id)
                  order by g.id) as ids`,
    [countyCode, communities],
  );
  const retiredIds: string[] = retired[0].ids;
  await q(`update people p set grid_id = b.grid_id from buildings b
           where p.county_code = $1 and b.county_code = $1 and b.id = p.building_id and p.grid_id is distinct from b.grid_id`);
  await q(`update people set grid_id = null where county_code = $1 and grid_id = any($2::text[])`, [
    countyCode,
    retiredIds,
  ]);
  // Grid staff serve the grid they live in: they follow their home into its new grid.
  await q(`update workforce_staff w set grid_id = p.grid_id from people p
           where w.county_code = $1 and p.county_code = $1 and p.id = w.person_id
             and w.grid_id is not null and w.grid_id is distinct from p.grid_id`);
  // Stations and issues belong to the grid their location lies in (the nearest of their community at a border).
  const relocate = async (table: string, geom: string) => {
    const scope = `t.county_code = $1 and t.grid_id is not null and (t.community_id = any($2::text[]) or t.grid_id = any($3::text[]))`;
    await q(
      `update ${table} t set grid_id = g.id from grids g
       where ${scope} and g.county_code = $1 and g.community_id = t.community_id and not (g.id = any($3::text[]))
         and st_covers(g.geom, t.${geom}) and t.grid_id <> g.id`,
      [countyCode, communities, retiredIds],
    );
    await q(
      `update ${table} t set grid_id = (
         select g.id from grids g
         where g.county_code = $1 and (t.community_id is null or g.community_id = t.community_id) and not (g.id = any($3::text[]))
         order by g.geom <-> t.${geom}, g.id limit 1)
       where ${scope} and (t.grid_id = any($3::text[])
         or not exists (select 1 from grids g where g.county_code = $1 and g.id = t.grid_id and st_covers(g.geom, t.${geom})))`,
      [countyCode, communities, retiredIds],
    );
  };
  await relocate('stations', 'geom');
  await relocate('issues', 'location');
  // Each retired grid's successors, found once (not once per record pointing at it) from one intersection with
  // each grid overlapping it: the grid of its community, and the grid of any community, that took most of its area
  // (within its community the nearest, when none overlaps it).
  await q(
    `create temp table publish_overlaps on commit drop as
     select old.id as retired, old.community_id as retired_community, g.id, g.community_id, st_area(st_intersection(g.geom, old.geom)) as area
     from grids old join grids g on g.county_code = $1 and g.geom && old.geom and not (g.id = any($2::text[]))
     where old.county_code = $1 and old.id = any($2::text[])`,
    [countyCode, retiredIds],
  );
  await q(
    `create temp table publish_successors on commit drop as
     select old.id as retired,
            coalesce((select o.id from publish_overlaps o where o.retired = old.id and o.community_id = old.community_id and o.area > 0
                      order by o.area desc, o.id limit 1),
                     (select g.id from grids g
                      where g.county_code = $1 and g.community_id = old.community_id and not (g.id = any($2::text[]))
                      order by g.geom <-> old.geom, g.id limit 1)) as in_community,
            (select o.id from publish_overlaps o where o.retired = old.id order by o.area desc, o.id limit 1) as anywhere
     from grids old where old.county_code = $1 and old.id = any($2::text[])`,
    [countyCode, retiredIds],
  );
  // Micro-wishes, activities and deliberation items of a retired grid (they have no location) go to the grid of
  // their community that took most of its area.
  for (const table of ['micro_wishes', 'service_activities', 'deliberation_items']) {
    await q(
      `update ${table} t set grid_id = s.in_community from publish_successors s
       where t.county_code = $1 and t.grid_id = s.retired and s.in_community is not null`,
    );
  }
  // A member unit that served a retired grid serves the grids that took most of its area.
  await q(
    `insert into member_unit_grids (county_code, unit_id, grid_id)
     select m.county_code, m.unit_id, s.anywhere from member_unit_grids m
     join publish_successors s on s.retired = m.grid_id
     where m.county_code = $1 and s.anywhere is not null
     on conflict do nothing`,
  );
  await q('delete from member_unit_grids where county_code = $1 and grid_id = any($2::text[])', [
    countyCode,
    retiredIds,
  ]);
  await q('delete from grids where county_code = $1 and id = any($2::text[])', [countyCode, retiredIds]);
  // Staff records serve the grid their person now lives in (a retired grid's were set to none by its deletion).
  await q(`update workforce_staff w set grid_id = p.grid_id from people p
           where w.county_code = $1 and p.county_code = $1 and p.id = w.person_id and w.grid_id is distinct from p.grid_id`);

  // The published plan keeps the grid ids its labels became.
  await q(
    `update plan_assignments a set grid_label = l.grid_id from publish_labels l
     where a.county_code = $1 and a.plan_id = $2 and a.grid_label = l.label and l.grid_id <> l.label`,
    [countyCode, planId],
  );
  const { rows: moved } = await q(
    `select (select count(*) from publish_units u left join publish_labels l on l.label = u.label
             where l.grid_id is distinct from u.current_grid)::int as units,
            (select coalesce(sum(households), 0) from publish_buildings where new_grid is distinct from current_grid)::int as households,
            (select coalesce(json_object_agg(label, grid_id), '{}'::json) from publish_labels where not existing) as "newIds"`,
    [],
  );
  return {
    unitsMoved: moved[0].units,
    householdsMoved: moved[0].households,
    gridsCreated: created.map((r) => r.id).sort(),
    gridsRetired: retiredIds,
    gridsRedrawn: redrawn.map((r) => r.id).sort(),
    communities,
    newIds: moved[0].newIds,
  };
}
