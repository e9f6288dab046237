import type { PoolClient } from 'pg';
import type { Queryable } from '../postgres/pool.ts';
import type { MultiPolygon } from 'geojson';
import { deriveGridGeometry } from './plan-grid-geometry.ts';

// The import of a county package into the county's tables, from the rows staged and checked in the same
// transaction (county-staging-repo.ts: county_stage, WGS84, points already given their approximate footprint).
// Ids are the file's when they are valid ids unique in their layer, else a letter and the row's number; codes
// are the county's code and the id (640323-C01), like the loaded data set's.

/** Tables of the county's records (not its map): replacing the map would strand them, so the import refuses. */
const RECORD_TABLES = [
  'issues',
  'micro_wishes',
  'service_activities',
  'deliberation_items',
  'workforce_staff',
  'plans',
] as const;

/** Tables of the county's map data, in an order their rows can be deleted in (what points at a row goes first). */
export const MAP_TABLES = [
  'plan_baseline_assignments',
  'member_unit_grids',
  'social_organisations',
  'people',
  'stations',
  'buildings',
  'compounds',
  'grids',
  'communities',
  'streets',
  'basemap_features',
] as const;

/** People per household (China, 2020 census: 2.62): a package gives households, the tables also hold population. */
const PEOPLE_PER_HOUSEHOLD = 2.62;

const ident = (prefix: string) =>
  `case when fid ~ '^[A-Za-z0-9_-]{1,40}$' and count(*) over (partition by fid) = 1 then fid else '${prefix}' || seq end`;
/** A number zero-padded to `width` digits; never cut (lpad alone truncates 100 to "10"). */
const padded = (n: string, width: number) => `lpad(${n}, greatest(${width}, length(${n})), '0')`;
const POLYGONS = `valid and st_dimension(geom) = 2`;
const MULTI = `st_multi(st_collectionextract(geom, 3))`;
/** The package's outlines of `role` as id, name, geom. */
const outlines = (role: string, prefix: string) =>
  `select ${ident(prefix)} id, coalesce(name, fid) as name, ${MULTI} geom from county_stage where role = '${role}' and ${POLYGONS}`;

/** One import of a county at a time: a second waits for the first to commit or roll back. */
export async function lockCounty(client: PoolClient, countyCode: string): Promise<void> {
  await client.query(`select pg_advisory_xact_lock(hashtext('county import ' || $1))`, [countyCode]);
}

/** The county's records that an import would strand, by table (only tables that hold some). */
export async function countyRecords(client: PoolClient, countyCode: string): Promise<Record<string, number>> {
  const { rows } = await client.query<{ t: string; n: number }>(
    RECORD_TABLES.map((t) => `select '${t}' t, count(*)::int n from ${t} where county_code = $1`).join(' union all '),
    [countyCode],
  );
  return Object.fromEntries(rows.filter((r) => r.n > 0).map((r) => [r.t, r.n]));
}

/** Deletes the county's map data; returns the rows deleted. */
export async function deleteCountyMap(client: PoolClient, countyCode: string): Promise<number> {
  let deleted = 0;
  for (const t of MAP_TABLES)
    deleted += (await client.query(`delete from ${t} where county_code = $1`, [countyCode])).rowCount ?? 0;
  return deleted;
}

/**
 * The communities to write (import_communities): the package's outlines, else one per community name of the
 * compounds (those without one in a community named after the county), the union of its compounds grown by
 * 60 m and shrunk by 50 m: gaps between neighbouring compounds closed, every compound inside.
 */
export async function stageCommunities(client: PoolClient, countyName: string): Promise<void> {
  await client.query(`create temp table import_communities on commit drop as ${outlines('communities', 'C')}`);
  await client.query(
    `insert into import_communities (id, name, geom)
     select 'C' || ${padded('(row_number() over (order by name))::text', 2)}, name,
            st_multi(st_collectionextract(st_makevalid(
              st_buffer(st_buffer(g::geography, 60)::geometry::geography, -50)::geometry), 3))
     from (select coalesce(community, $1) as name, st_union(geom) g
           from county_stage where role = 'compounds' and ${POLYGONS} group by 1) x
     where not exists (select 1 from import_communities)`,
    [countyName],
  );
  // Compounds find their community by name, else by position: hundreds of communities, tens of thousands of compounds.
  await client.query('create index on import_communities (name)');
  await client.query('create index on import_communities using gist (geom)');
  await client.query('analyze import_communities');
}

/** The package's streets, else one: the union of the communities, named after the county. */
export async function insertStreets(client: PoolClient, countyCode: string, countyName: string): Promise<number> {
  await client.query(`create temp table import_streets on commit drop as ${outlines('streets', 'S')}`);
  await client.query(
    `insert into import_streets (id, name, geom)
     select 'S01', $1, st_multi(st_collectionextract(st_union(geom), 3)) from import_communities
     having count(*) > 0 and not exists (select 1 from import_streets)`,
    [countyName],
  );
  const { rowCount } = await client.query(
    `insert into streets (county_code, id, code, name, geom) select $1, id, $1 || '-' || id, name, geom from import_streets`,
    [countyCode],
  );
  return rowCount ?? 0;
}

/** Communities, each in the street that holds it (the nearest when none does). */
export async function insertCommunities(client: PoolClient, countyCode: string): Promise<number> {
  const { rowCount } = await client.query(
    `insert into communities (county_code, id, code, name, street_id, geom)
     select $1, c.id, $1 || '-' || c.id, c.name, s.id, c.geom
     from import_communities c
     left join (select min(id) id from import_streets having count(*) = 1) sole on true
     cross join lateral (select coalesce(sole.id, (
       select s.id from import_streets s
       order by st_covers(s.geom, st_pointonsurface(c.geom)) desc, s.geom <-> c.geom, s.id limit 1)) id) s`,
    [countyCode],
  );
  return rowCount ?? 0;
}

/**
 * The compounds to write (import_compounds), each in the community of its name, else the one holding it, else
 * the nearest; a type word we do not know reads as commercial-residential.
 */
export async function stageCompounds(client: PoolClient): Promise<void> {
  await client.query(
    `create temp table import_compounds on commit drop as
     select s.seq, s.id, coalesce(s.name, s.fid) as name, c.id as community_id, s.households::int as households,
            coalesce(s.type, 'commercial_residential') as type, s.approximate, s.geom, s.pt, null::text as grid_id
     from (select *, ${ident('Q')} id from county_stage where role = 'compounds' and ${POLYGONS}) s
     left join (select name, min(id) id from import_communities group by name having count(*) = 1) u on u.name = s.community
     cross join lateral (select coalesce(u.id,
       (select c.id from import_communities c where c.name = s.community
        order by st_covers(c.geom, s.pt) desc, c.geom <-> s.pt, c.id limit 1),
       (select c.id from import_communities c where st_covers(c.geom, s.pt) order by c.id limit 1),
       (select c.id from import_communities c order by c.geom <-> s.pt, c.id limit 1)) id) c`,
  );
  await client.query(`update import_compounds set geom = ${MULTI}`);
  await client.query('create index on import_compounds using gist (geom)');
  await client.query('analyze import_compounds');
}

export interface UnitRow {
  id: string;
  community_id: string;
  households: number;
  geometry: MultiPolygon;
}

/** The compounds as units of the balancing engine. */
export async function compoundUnits(client: PoolClient): Promise<UnitRow[]> {
  const { rows } = await client.query<UnitRow>(
    `select id, community_id, households, st_asgeojson(geom, 7)::json geometry from import_compounds order by seq`,
  );
  return rows;
}

/** Whether the package gives grid outlines. */
export async function hasGivenGrids(client: PoolClient): Promise<boolean> {
  const { rowCount } = await client.query(`select 1 from county_stage where role = 'grids' and ${POLYGONS} limit 1`);
  return (rowCount ?? 0) > 0;
}

/** The package's grids, each in the community holding it; every compound in the grid holding it, else the nearest. */
export async function insertGivenGrids(client: PoolClient, countyCode: string): Promise<number> {
  const { rowCount } = await client.query(
    `insert into grids (county_code, id, code, name, community_id, geom)
     select $1, g.id, $1 || '-' || g.id, g.name, c.id, g.geom
     from (${outlines('grids', 'G')}) g
     cross join lateral (select c.id from import_communities c
                         order by st_covers(c.geom, st_pointonsurface(g.geom)) desc, c.geom <-> g.geom, c.id limit 1) c`,
    [countyCode],
  );
  await client.query(
    `update import_compounds q set grid_id = (
       select g.id from grids g where g.county_code = $1 order by st_covers(g.geom, q.pt) desc, g.geom <-> q.pt, g.id limit 1)`,
    [countyCode],
  );
  return rowCount ?? 0;
}

/**
 * Grids of the balancing engine's plan (compound id → label): numbered per community like published grids
 * (640323-C01-01, 社区第1网格), each community partitioned among its grids as a publication does
 * (plan-grid-geometry.ts), the Voronoi seeds spaced for the size of the units.
 */
export async function insertPlannedGrids(
  client: PoolClient,
  countyCode: string,
  assignment: Record<string, string | null>,
): Promise<number> {
  await client.query(
    `update import_compounds q set grid_id = 'L' || a.label
     from jsonb_each_text($1::jsonb) a(id, label) where q.id = a.id and a.label is not null`,
    [JSON.stringify(assignment)],
  );
  await client.query(
    `create temp table import_labels on commit drop as
     select grid_id as label, community_id, row_number() over (partition by community_id order by min(seq)) n,
            'G' || ${padded('(row_number() over (order by community_id, min(seq)))::text', 3)} as grid_id
     from import_compounds where grid_id is not null group by grid_id, community_id`,
  );
  await client.query(
    `update import_compounds q set grid_id = l.grid_id from import_labels l where q.grid_id = l.label`,
  );
  await client.query(
    `create temp table publish_kept_grids (community_id text, grid_id text, geom geometry) on commit drop`,
  );
  await client.query(
    `create temp table publish_unit_geoms on commit drop as
     select community_id, grid_id, geom, st_transform(geom, 3857) geom_3857 from import_compounds`,
  );
  await client.query('create index on publish_unit_geoms (grid_id)');
  // About 20,000 seeds at most along all outlines; never closer than a publication's.
  const { rows } = await client.query<{ spacing: number }>(
    `select greatest(16, sum(st_perimeter(geom_3857)) / 20000) spacing from publish_unit_geoms where grid_id is not null`,
  );
  await deriveGridGeometry(client, countyCode, rows[0].spacing ?? 16);
  await mergeStrayParts(client, countyCode);
  const { rowCount } = await client.query(
    `insert into grids (county_code, id, code, name, name_en, community_id, party_branch, geom)
     select $1, l.grid_id, $1 || '-' || l.community_id || '-' || ${padded('l.n::text', 2)},
            c.name || '第' || l.n || '网格', c.name || ' Grid ' || l.n, l.community_id, c.name || '第' || l.n || '网格党支部', g.geom
     from import_labels l
     join publish_grid_geoms g on g.grid_id = l.grid_id
     join import_communities c on c.id = l.community_id`,
    [countyCode],
  );
  return rowCount ?? 0;
}

/**
 * A part of a derived grid that holds none of its units is a scrap of the space between units whose Voronoi cells
 * went to the grid across: it joins the grid of its community it shares the longest border with (islands that
 * touch no other grid stay). The union is clipped to the community again: overlay noise leaves no sliver outside.
 */
async function mergeStrayParts(client: PoolClient, countyCode: string): Promise<void> {
  await client.query('create index on publish_grid_geoms (community_id)');
  await client.query('analyze publish_unit_geoms, publish_grid_geoms');
  await client.query(
    `create temp table import_grid_parts on commit drop as
     select g.community_id, g.grid_id, p.geom,
            case when not exists (select 1 from publish_unit_geoms u where u.grid_id = g.grid_id and u.geom && p.geom
                                  and st_area(st_intersection(u.geom, p.geom)) > 0)
                 then (select o.grid_id from publish_grid_geoms o
                       where o.community_id = g.community_id and o.grid_id <> g.grid_id and st_intersects(o.geom, p.geom)
                       order by st_length(st_intersection(o.geom, p.geom)) desc, o.grid_id limit 1) end as joins
     from publish_grid_geoms g cross join lateral st_dump(g.geom) p`,
  );
  await client.query(
    `update publish_grid_geoms g set geom = m.geom
     from (select p.community_id, coalesce(p.joins, p.grid_id) grid_id,
                  st_multi(st_collectionextract(st_makevalid(st_intersection(st_union(p.geom), c.geom)), 3))
                    ::geometry(MultiPolygon, 4326) geom
           from import_grid_parts p join communities c on c.county_code = $1 and c.id = p.community_id
           group by 1, 2, c.geom) m
     where m.grid_id = g.grid_id`,
    [countyCode],
  );
}

/** Compounds; a unit left without a grid (no households around it) takes the grid it lies in, else the nearest. */
export async function insertCompounds(client: PoolClient, countyCode: string): Promise<number> {
  await client.query(
    `update import_compounds q set grid_id = (
       select g.id from grids g where g.county_code = $1
       order by g.community_id = q.community_id desc, st_covers(g.geom, q.pt) desc, g.geom <-> q.geom, g.id limit 1)
     where grid_id is null`,
    [countyCode],
  );
  const { rowCount } = await client.query(
    `insert into compounds (county_code, id, name, type, households, population, community_id, grid_id, approximate, geom)
     select $1, id, name, type, households, round(households * $2::float8), community_id, grid_id, approximate, geom
     from import_compounds`,
    [countyCode, PEOPLE_PER_HOUSEHOLD],
  );
  return rowCount ?? 0;
}

/**
 * The package's buildings, each in the compound holding it (the nearest within about 200 m, else left out), and
 * for every compound without any a building of its whole footprint: households are summed from buildings.
 */
export async function insertBuildings(client: PoolClient, countyCode: string): Promise<number> {
  // The compound holding the building by the index, else the nearest (KNN): plans the planner cannot turn into a
  // scan of every compound per building; on a compact copy, since the compounds' rows were rewritten with each
  // grid assignment and each lookup would read their old versions too.
  await client.query(
    `create temp table import_units on commit drop as
     select id, grid_id, geom from import_compounds where grid_id is not null`,
  );
  await client.query('create index on import_units using gist (geom)');
  await client.query('analyze import_units');
  const given = await client.query(
    `insert into buildings (county_code, id, name, compound_id, grid_id, households, population, approximate, geom)
     select $1, b.id, b.name, q.id, q.grid_id, h, round(h * $2::float8), b.approximate, b.geom
     from (select ${ident('B')} id, name, coalesce(households, 0)::int h, approximate, ${MULTI} geom, pt
           from county_stage where role = 'buildings' and ${POLYGONS}) b
     cross join lateral ((select q.id, q.grid_id from import_units q where st_covers(q.geom, b.pt) order by q.id limit 1)
                         union all
                         (select k.id, k.grid_id
                          from (select q.id, q.grid_id, q.geom from import_units q order by q.geom <-> b.pt limit 8) k
                          where st_dwithin(k.geom, b.pt, 0.002) order by k.geom <-> b.pt, k.id limit 1)
                         limit 1) q`,
    [countyCode, PEOPLE_PER_HOUSEHOLD],
  );
  // Fresh statistics of the rows just written, or the planner scans every building once per compound.
  await client.query(`analyze compounds, buildings`);
  const whole = await client.query(
    `insert into buildings (county_code, id, name, compound_id, grid_id, households, population, approximate, geom)
     select $1, case when exists (select 1 from buildings b where b.county_code = $1 and b.id = q.id)
                     then left(q.id, 34) || '-whole' else q.id end,
            q.name, q.id, q.grid_id, q.households, q.population, q.approximate, q.geom
     from compounds q
     where q.county_code = $1 and q.grid_id is not null
       and not exists (select 1 from buildings b where b.county_code = $1 and b.compound_id = q.id)`,
    [countyCode],
  );
  return (given.rowCount ?? 0) + (whole.rowCount ?? 0);
}

/** Stations at their point, in the community and grid holding it (none when outside every one). */
export async function insertStations(client: PoolClient, countyCode: string): Promise<number> {
  const { rowCount } = await client.query(
    `insert into stations (county_code, id, name, kind, community_id, grid_id, geom)
     select $1, s.id, s.name, 'micro_living_room', c.id, g.id, s.pt
     from (select ${ident('Z')} id, coalesce(name, fid) as name, pt from county_stage where role = 'stations' and pt is not null) s
     left join lateral (select c.id from communities c where c.county_code = $1 and st_covers(c.geom, s.pt) order by c.id limit 1) c on true
     left join lateral (select g.id from grids g where g.county_code = $1 and st_covers(g.geom, s.pt) order by g.id limit 1) g on true`,
    [countyCode],
  );
  return rowCount ?? 0;
}

/** Fresh planner statistics for the map tables after their rows were replaced. */
export async function analyzeMap(db: Queryable): Promise<void> {
  await db.query(`analyze ${MAP_TABLES.join(', ')}`);
}
