import type { PoolClient } from 'pg';
import type { Queryable } from '../postgres/pool.ts';
import { insertDraftFromCurrentGrids } from './plans-repo.ts';
import { firstRow } from './one-row.ts';

// The planner's files (/plan): a plan's units and grids as GeoJSON for export, the checks of an imported
// assignment against the units of the county, and loading it into a new draft.

/** A plan's units with their geometry: a compound, or a building of a split compound. */
const PLAN_UNITS = `
  select a.unit_id, a.grid_label, coalesce(c.households, b.households) as households,
         coalesce(c.community_id, bc.community_id) as community,
         case when c.id is not null then 'compound' else 'building' end as kind,
         st_multi(coalesce(c.geom, b.geom)) as geom
  from plan_assignments a
  left join compounds c on c.county_code = a.county_code and c.id = a.unit_id
  left join buildings b on c.id is null and b.county_code = a.county_code and b.id = a.unit_id
  left join compounds bc on bc.county_code = b.county_code and bc.id = b.compound_id
  where a.county_code = $1 and a.plan_id = $2`;

/** Units (one feature each) and grids (the units of each label unioned) of a plan, as GeoJSON texts; undefined: no plan. */
export const planFilesGeoJson = (db: Queryable, countyCode: string, planId: number) =>
  firstRow<{ units: string; grids: string }>(
    db,
    `with units as (${PLAN_UNITS}),
     grids as (select grid_label, sum(households)::int as households, count(*)::int as units, min(community) as community,
                      st_multi(st_union(geom)) as geom
               from units where grid_label is not null group by grid_label)
     select json_build_object('type', 'FeatureCollection', 'features', coalesce((select json_agg(json_build_object(
              'type', 'Feature', 'geometry', st_asgeojson(geom, 7)::json,
              'properties', json_build_object('unit_id', unit_id, 'grid_label', grid_label, 'households', households,
                'community', community, 'kind', kind)) order by unit_id) from units), '[]'::json))::text as units,
            json_build_object('type', 'FeatureCollection', 'features', coalesce((select json_agg(json_build_object(
              'type', 'Feature', 'geometry', st_asgeojson(geom, 7)::json,
              'properties', json_build_object('grid_label', grid_label, 'households', households, 'units', units,
                'community', community)) order by grid_label) from grids), '[]'::json))::text as grids
     where exists (select 1 from plans where county_code = $1 and id = $2)`,
    [countyCode, planId],
  );

export interface ImportedRow {
  unitId: string;
  gridLabel: string | null;
  households: number | null;
  /** GeoJSON geometry text in WGS84, or null. */
  geometry: string | null;
}

export interface ImportCheck {
  /** Ids that are neither a unit nor a building of a compound. */
  unknown: string[];
  invalid: { unitId: string; reason: string }[];
  /** Features that do not touch their unit (wrong CRS, or GCJ-02 left unconverted). */
  misplaced: string[];
  /** Households in the file that differ from the database. */
  households: { unitId: string; file: number; database: number }[];
  /** Units of the county the file does not name: they keep their current grid. */
  unnamed: number;
}

/** Checks imported rows against the county's units in one query; geometry is repaired first when `repair`. */
export async function checkImport(
  db: Queryable,
  countyCode: string,
  rows: ImportedRow[],
  repair: boolean,
): Promise<ImportCheck> {
  const { rows: out } = await db.query<ImportCheck>(
    `with given as (
       select g.unit_id, g.households, case when g.geometry is null then null else st_setsrid(st_geomfromgeojson(g.geometry), 4326) end as geom
       from unnest($2::text[], $3::int[], $4::text[]) g(unit_id, households, geometry)),
     known as (
       select g.*, coalesce(c.households, b.households) as db_households, coalesce(c.geom, b.geom) as unit_geom,
              (c.id is not null or b.id is not null) as found
       from given g
       left join compounds c on c.county_code = $1 and c.id = g.unit_id
       left join buildings b on c.id is null and b.county_code = $1 and b.id = g.unit_id),
     checked as (
       select k.*, k.geom is not null and not st_isvalid(k.geom) as invalid,
              case when k.geom is null then null when $5 then st_makevalid(k.geom) else k.geom end as usable
       from known k)
     select coalesce((select array_agg(unit_id order by unit_id) from checked where not found), '{}') as unknown,
            coalesce((select json_agg(json_build_object('unitId', unit_id, 'reason', st_isvalidreason(geom)) order by unit_id)
                      from checked where invalid), '[]'::json) as invalid,
            coalesce((select array_agg(unit_id order by unit_id) from checked
                      where found and usable is not null and (not invalid or $5) and not st_intersects(usable, unit_geom)), '{}') as misplaced,
            coalesce((select json_agg(json_build_object('unitId', unit_id, 'file', households, 'database', db_households) order by unit_id)
                      from checked where found and households is not null and households <> db_households), '[]'::json) as households,
            (select count(*)::int from plan_units u where u.county_code = $1
               and u.id not in (select unit_id from given)
               and not exists (select 1 from buildings b join given g on g.unit_id = b.id
                               where b.county_code = $1 and b.compound_id = u.id)) as unnamed`,
    [countyCode, rows.map((r) => r.unitId), rows.map((r) => r.households), rows.map((r) => r.geometry), repair],
  );
  return out[0];
}

/**
 * A new draft from the current grids with the imported labels over it, inside the caller's transaction. A building
 * of a compound kept whole splits that compound (its other buildings keep the compound's label). `onProgress`
 * hears how many imported rows are written.
 */
export async function createImportedDraft(
  client: PoolClient,
  countyCode: string,
  name: string,
  authorId: number,
  rows: ImportedRow[],
  onProgress: (done: number) => void,
): Promise<number> {
  const id = await insertDraftFromCurrentGrids(client, countyCode, name, authorId);
  await client.query(
    `with split as (
       select distinct c.id, a.grid_label from unnest($3::text[]) g(id)
       join buildings b on b.county_code = $1 and b.id = g.id
       join plan_assignments a on a.county_code = $1 and a.plan_id = $2 and a.unit_id = b.compound_id
       join compounds c on c.county_code = $1 and c.id = b.compound_id),
     gone as (delete from plan_assignments a using split s where a.county_code = $1 and a.plan_id = $2 and a.unit_id = s.id)
     insert into plan_assignments (county_code, plan_id, unit_id, grid_label)
     select $1, $2, b.id, s.grid_label from split s join buildings b on b.county_code = $1 and b.compound_id = s.id`,
    [countyCode, id, rows.map((r) => r.unitId)],
  );
  // Small batches, so that the progress lines move on a county-sized file.
  const BATCH = 100;
  for (let start = 0; start < rows.length; start += BATCH) {
    const batch = rows.slice(start, start + BATCH);
    await client.query(
      `update plan_assignments a set grid_label = g.grid_label
       from unnest($3::text[], $4::text[]) g(unit_id, grid_label)
       where a.county_code = $1 and a.plan_id = $2 and a.unit_id = g.unit_id`,
      [countyCode, id, batch.map((r) => r.unitId), batch.map((r) => r.gridLabel)],
    );
    onProgress(start + batch.length);
  }
  return id;
}
