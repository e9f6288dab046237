import fs from 'node:fs';
import path from 'node:path';
import type { PoolClient } from 'pg';
import type { Pool } from '../postgres/pool.ts';
import { inTransaction } from '../postgres/pool.ts';
import { bumpDataVersion } from '../db/data-version.ts';
import { queryCounty, upsertCounty } from '../db/counties-repo.ts';
import { CountyManifest } from '../../shared/county-manifest.ts';

type Progress = (line: string) => void;

const geom = (multi: boolean) =>
  multi
    ? `st_multi(st_setsrid(st_geomfromgeojson(f->'geometry'), 4326))`
    : `st_setsrid(st_geomfromgeojson(f->'geometry'), 4326)`;
const p = (name: string) => `f->'properties'->>'${name}'`;
const textArray = (name: string) =>
  `array(select json_array_elements_text(coalesce(f->'properties'->'${name}', '[]'::json)))`;
const bool = (name: string) => `coalesce((${p(name)})::boolean, false)`;

/** One step of the load: a file of the data set and the INSERT that takes its rows (f is one row). */
interface Step {
  table: string;
  file: string;
  insert: string;
}

const FEATURES = `from json_array_elements($2::json->'features') f`;
const ROWS = `from json_array_elements($2::json) f`;

const STEPS: Step[] = [
  {
    table: 'streets',
    file: 'streets.geojson',
    insert: `insert into streets (county_code, id, code, name, name_en, geom)
      select $1, ${p('id')}, ${p('code')}, ${p('name')}, ${p('name_en')}, ${geom(true)} ${FEATURES}`,
  },
  {
    table: 'communities',
    file: 'communities.geojson',
    insert: `insert into communities (county_code, id, code, name, name_en, street_id, synthetic_name, leader_id, geom)
      select $1, ${p('id')}, ${p('code')}, ${p('name')}, ${p('name_en')}, ${p('street_id')}, ${bool('synthetic_name')},
             ${p('leader_id')}, ${geom(true)} ${FEATURES}`,
  },
  {
    table: 'grids',
    file: 'grids.geojson',
    insert: `insert into grids (county_code, id, code, name, name_en, community_id, party_branch, head_id, geom)
      select $1, ${p('id')}, ${p('code')}, ${p('name')}, ${p('name_en')}, ${p('community_id')}, ${p('party_branch')},
             ${p('head_id')}, ${geom(true)} ${FEATURES}`,
  },
  {
    table: 'compounds',
    file: 'compounds.geojson',
    insert: `insert into compounds (county_code, id, name, name_en, type, era, facility_level, resident_type, service_needs,
             households, population, property_service, owners_committee_deputy, community_id, grid_id, geom)
      select $1, ${p('id')}, ${p('name')}, ${p('name_en')}, ${p('type')}, ${p('era')}, ${p('facility_level')},
             ${p('resident_type')}, ${textArray('service_needs')}, (${p('households')})::integer,
             (${p('population')})::integer, ${p('property_service')}, ${bool('owners_committee_deputy')},
             ${p('community_id')}, ${p('grid_id')}, ${geom(true)} ${FEATURES}`,
  },
  {
    table: 'buildings',
    file: 'buildings.geojson',
    insert: `insert into buildings (county_code, id, name, compound_id, grid_id, households, population, floors, form, geom)
      select $1, ${p('id')}, ${p('name')}, ${p('compound_id')}, ${p('grid_id')}, (${p('households')})::integer,
             (${p('population')})::integer, (${p('floors')})::integer, ${p('form')}, ${geom(true)} ${FEATURES}`,
  },
  {
    table: 'stations',
    file: 'stations.geojson',
    insert: `insert into stations (county_code, id, name, name_en, kind, community_id, grid_id, facilities, geom)
      select $1, ${p('id')}, ${p('name')}, ${p('name_en')}, ${p('kind')}, ${p('community_id')}, ${p('grid_id')},
             ${textArray('facilities')}, ${geom(false)} ${FEATURES}`,
  },
  {
    table: 'basemap_features',
    file: 'basemap.geojson',
    insert: `insert into basemap_features (county_code, id, kind, class, name, name_en, geom)
      select $1, (row_number() over ())::integer, ${p('kind')}, ${p('class')}, ${p('name')}, ${p('name_en')}, ${geom(false)}
      ${FEATURES}`,
  },
  {
    table: 'people',
    file: 'people.json',
    insert: `insert into people (county_code, id, name, phone, gender, birth_year, roles, building_id, grid_id, community_id,
             party_member, in_service, red_steward)
      select $1, f->>'id', f->>'name', f->>'phone', f->>'gender', (f->>'birth_year')::integer,
             array(select json_array_elements_text(coalesce(f->'roles', '[]'::json))), f->>'building_id', f->>'grid_id',
             f->>'community_id', coalesce((f->>'party_member')::boolean, false),
             coalesce((f->>'in_service')::boolean, false), coalesce((f->>'red_steward')::boolean, false) ${ROWS}`,
  },
  {
    table: 'member_units',
    file: 'member_units.json',
    insert: `insert into member_units (county_code, id, name, name_en, trade)
      select $1, f->>'id', f->>'name', f->>'name_en', f->>'trade' ${ROWS}`,
  },
  {
    table: 'member_unit_grids',
    file: 'member_units.json',
    insert: `insert into member_unit_grids (county_code, unit_id, grid_id)
      select $1, f->>'id', g ${ROWS}, json_array_elements_text(coalesce(f->'grid_ids', '[]'::json)) g`,
  },
  {
    table: 'social_organisations',
    file: 'social_organisations.json',
    insert: `insert into social_organisations (county_code, id, name, name_en, service, community_id)
      select $1, f->>'id', f->>'name', f->>'name_en', f->>'service', f->>'community_id' ${ROWS}`,
  },
];

export async function hasDemoData(pool: Pool, countyCode: string): Promise<boolean> {
  const { rowCount } = await pool.query('select 1 from streets where county_code = $1 limit 1', [countyCode]);
  return (rowCount ?? 0) > 0;
}

async function loadStep(client: PoolClient, dir: string, step: Step, countyCode: string): Promise<number> {
  const file = path.join(dir, step.file);
  if (!fs.existsSync(file)) throw new Error(`demo data file missing: ${file} (run npm run geodata)`);
  const { rowCount } = await client.query(step.insert, [countyCode, fs.readFileSync(file, 'utf8')]);
  return rowCount ?? 0;
}

/** The data set's manifest (county.json): who the county is, its grid bounds, whether its data is made up. */
export function readCountyManifest(dir: string): CountyManifest {
  const file = path.join(dir, 'county.json');
  if (!fs.existsSync(file)) throw new Error(`demo data file missing: ${file} (run npm run geodata)`);
  return CountyManifest.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
}

/** A database loaded before counties were recorded holds the data set of `dir`: its manifest is recorded now. */
export async function recordCountyIfMissing(pool: Pool, dir: string, countyCode: string): Promise<void> {
  if (!(await queryCounty(pool, countyCode))) await upsertCounty(pool, countyCode, readCountyManifest(dir));
}

/** Loads the demo data set and its manifest's county row in one transaction, reporting each table as it goes. */
export async function loadDemoData(pool: Pool, dir: string, countyCode: string, progress: Progress): Promise<void> {
  const started = Date.now();
  const manifest = readCountyManifest(dir);
  await inTransaction(pool, async (client) => {
    await upsertCounty(client, countyCode, manifest);
    progress(
      `  county: ${manifest.name} (bounds ${manifest.bounds.min}–${manifest.bounds.max}, synthetic: ${manifest.synthetic})`,
    );
    for (const [i, step] of STEPS.entries()) {
      const t0 = Date.now();
      const rows = await loadStep(client, dir, step, countyCode);
      const pct = Math.round(((i + 1) / STEPS.length) * 100);
      progress(`  [${String(pct).padStart(3)}%] ${step.table}: ${rows} rows (${Date.now() - t0} ms)`);
    }
    // Open streams (walls) learn of the new version at commit and refetch what they show.
    await bumpDataVersion(client, countyCode);
  });
  // gridlink's own tables only: the app's role may not analyze the catalogs (a warning each in the server log).
  const { rows } = await pool.query<{ list: string }>(
    `select string_agg(format('%I.%I', schemaname, tablename), ', ') as list from pg_tables where schemaname = current_schema()`,
  );
  if (rows[0].list) await pool.query(`analyze ${rows[0].list}`);
  progress(`Demo data loaded in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

/** Drops every gridlink table and view (the PostGIS extension stays). */
export async function dropSchema(pool: Pool): Promise<void> {
  await inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ name: string; kind: string }>(
      `select c.relname as name, c.relkind as kind from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = current_schema() and c.relkind in ('r', 'v')
         and not exists (select 1 from pg_depend d where d.objid = c.oid and d.deptype = 'e')`,
    );
    for (const r of rows.filter((r) => r.kind === 'v')) await client.query(`drop view if exists "${r.name}" cascade`);
    for (const r of rows.filter((r) => r.kind === 'r')) await client.query(`drop table if exists "${r.name}" cascade`);
  });
}
