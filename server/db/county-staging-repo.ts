import type { PoolClient } from 'pg';

// The staging of a county package: every row read (server/county/rows.ts) goes into the temporary table
// county_stage (dropped at the end of the transaction) in WGS84 — transformed by PostGIS from the file's EPSG code
// when GDAL did not reproject it, points given a square footprint marked approximate — and the checks of the
// validation report run on it. `npm run county -- check` rolls the transaction back; an import will fill the
// county's tables from the same table inside the same transaction.

/** A row as staged: geometry as WKB in `srid`; px/py the box centre as read, tx/ty its GCJ-02 twin. */
export interface StagedRow {
  role: string;
  seq: number;
  fid: string;
  name: string | null;
  community: string | null;
  grid: string | null;
  households: number | null;
  households_text: string | null;
  type: string | null;
  geometry: Buffer | null;
  srid: number;
  px: number | null;
  py: number | null;
  tx: number | null;
  ty: number | null;
}

/** A problem as a check finds it; the code and severity are the check's. */
export interface StageFinding {
  layer: string | null;
  fid: string | null;
  name: string | null;
  lon: number | null;
  lat: number | null;
  details: Record<string, string | number>;
}

export async function createStage(client: PoolClient): Promise<void> {
  await client.query(
    `create temp table county_stage (
       role text not null, seq integer primary key, fid text not null, name text, community text, grid text,
       households double precision, households_text text, type text, approximate boolean not null default false,
       valid boolean, geom geometry(Geometry, 4326), pt geometry(Point, 4326), twin geometry(Point, 4326)
     ) on commit drop`,
  );
}

/** The EPSG codes PostGIS cannot transform from (not in spatial_ref_sys). */
export async function unknownSrids(client: PoolClient, srids: number[]): Promise<number[]> {
  const { rows } = await client.query<{ srid: number }>(
    `select s from unnest($1::int[]) s(srid) where not exists (select 1 from spatial_ref_sys r where r.srid = s.srid)`,
    [srids],
  );
  return rows.map((r) => r.srid);
}

/** Rows staged in one statement. */
export const STAGE_BATCH = 5000;

/** Stages a batch of rows (at most STAGE_BATCH); finishStage completes the table once all are in. */
export async function stageRows(client: PoolClient, rows: StagedRow[]): Promise<void> {
  // Column arrays, not one JSON document: nothing is parsed twice and a batch stays small.
  const columns: { name: keyof StagedRow; type: string }[] = [
    { name: 'role', type: 'text' },
    { name: 'seq', type: 'int' },
    { name: 'fid', type: 'text' },
    { name: 'name', type: 'text' },
    { name: 'community', type: 'text' },
    { name: 'grid', type: 'text' },
    { name: 'households', type: 'float8' },
    { name: 'households_text', type: 'text' },
    { name: 'type', type: 'text' },
    { name: 'geometry', type: 'bytea' },
    { name: 'srid', type: 'int' },
    { name: 'px', type: 'float8' },
    { name: 'py', type: 'float8' },
    { name: 'tx', type: 'float8' },
    { name: 'ty', type: 'float8' },
  ];
  const unnest = columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ');
  for (let i = 0; i < rows.length; i += STAGE_BATCH) {
    const batch = rows.slice(i, i + STAGE_BATCH);
    await client.query(
      // Validity and a point on each surface as the rows go in: one write per row, not three.
      `insert into county_stage
         (role, seq, fid, name, community, grid, households, households_text, type, geom, valid, pt, twin)
       select r.role, r.seq, r.fid, r.name, r.community, r.grid, r.households, r.households_text, r.type, g.geom, v.valid,
              case when r.px is not null then st_setsrid(st_makepoint(r.px, r.py), 4326)
                   when v.valid then st_pointonsurface(g.geom) end,
              case when r.tx is null then null else st_setsrid(st_makepoint(r.tx, r.ty), 4326) end
       from unnest(${unnest}) as r(${columns.map((c) => c.name).join(', ')})
       cross join lateral (select case when r.geometry is null then null
                                       else st_transform(st_setsrid(st_geomfromwkb(r.geometry), r.srid), 4326) end geom
                           offset 0) g
       cross join lateral (select case when g.geom is null then null else st_isvalid(g.geom) end valid offset 0) v`,
      columns.map((c) => batch.map((r) => r[c.name])),
    );
  }
}

/** How far a compound given as a point reaches at most: points closer than twice this are neighbours. */
export const POINT_REACH_M = 300;

/**
 * Completes the staged table: a point of a compound or building becomes a footprint marked approximate (its
 * point stays the centre): a building a square of about 60 m² per household (40–300 m a side); a compound its
 * Voronoi cell among the compound points within POINT_REACH_M, so that neighbouring compounds meet as they do
 * on the ground and the balancing engine can join them into grids (squares would leave gaps between them).
 * Then an index and statistics.
 */
export async function finishStage(client: PoolClient): Promise<void> {
  await client.query(
    `create temp table stage_cells on commit drop as
       select (st_dump(st_voronoipolygons(st_collect(geom)))).geom cell
       from county_stage where role = 'compounds' and geometrytype(geom) = 'POINT'`,
  );
  await client.query('create index on stage_cells using gist (cell)');
  await client.query(
    `update county_stage t set approximate = true, geom = n.geom
     from (select s.seq, case when c.cell is null
                    then st_expand(s.geom, h / (111320 * cos(radians(st_y(s.geom)))), h / 110574)
                    else st_multi(st_collectionextract(st_intersection(c.cell,
                           st_buffer(s.geom::geography, ${POINT_REACH_M}, 'quad_segs=8')::geometry), 3)) end geom
           from county_stage s
           cross join lateral (select greatest(20, least(150,
                                 sqrt(greatest(coalesce(s.households, 0), 1) * 60) / 2)) h) x
           left join lateral (select cell from stage_cells
                              where s.role = 'compounds' and st_intersects(cell, s.geom) limit 1) c on true
           where s.role in ('compounds', 'buildings') and geometrytype(s.geom) = 'POINT') n
     where t.seq = n.seq`,
  );
  await client.query('drop table stage_cells');
  await client.query('create index on county_stage using gist (geom)');
  await client.query('analyze county_stage');
}

export async function stagedCounts(client: PoolClient): Promise<Record<string, number>> {
  const { rows } = await client.query<{ role: string; n: number }>(
    `select role, count(*)::int n from county_stage group by role`,
  );
  return Object.fromEntries(rows.map((r) => [r.role, r.n]));
}

const PLACE = `s.role as layer, s.fid, s.name, st_x(s.pt) lon, st_y(s.pt) lat`;
const POLYGON = `s.valid and st_dimension(s.geom) = 2`;

/** Features of `role` that do not meet the county outline (when the package has one). */
const outsideCounty = (role: string) => `
    select ${PLACE}, '{}'::jsonb details
    from county_stage s
    where s.role = '${role}' and s.valid and exists (select 1 from county_stage k where k.role = 'county' and k.valid)
      and not exists (select 1 from county_stage k where k.role = 'county' and k.valid and st_intersects(k.geom, s.geom))
    order by s.seq`;

/** Pairs of polygons of `role` whose shared area `large` calls large (x.g is the shared part). */
const overlaps = (role: string, large: string) => `
    select ${PLACE}, jsonb_build_object('other_id', o.fid, 'other_name', coalesce(o.name, ''),
           'area', round(st_area(x.g::geography))) details
    from county_stage s join county_stage o
      on o.role = s.role and s.seq < o.seq and s.geom && o.geom and st_intersects(s.geom, o.geom)
    cross join lateral (select st_collectionextract(st_intersection(s.geom, o.geom), 3) g) x
    where s.role = '${role}' and ${POLYGON} and o.valid and st_dimension(o.geom) = 2 and ${large}
    order by s.seq, o.seq`;

/** The checks by code: each query returns layer, fid, name, lon, lat and details (jsonb). $1 min, $2 max households. */
export const STAGE_CHECKS = {
  geometry_invalid: `
    select s.role as layer, s.fid, s.name, st_x(d.location) lon, st_y(d.location) lat,
           jsonb_build_object('reason', d.reason) details
    from county_stage s, st_isvaliddetail(s.geom) d
    where s.valid is false order by s.seq`,
  compounds_overlap: overlaps(
    'compounds',
    `not s.approximate and not o.approximate
     and st_area(x.g::geography) > greatest(1, 0.001 * least(st_area(s.geom::geography), st_area(o.geom::geography)))`,
  ),
  community_unknown: `
    select ${PLACE}, jsonb_build_object('community', s.community) details
    from county_stage s
    where s.role = 'compounds' and s.community is not null
      and exists (select 1 from county_stage c where c.role = 'communities')
      and not exists (select 1 from county_stage c where c.role = 'communities' and c.name = s.community)
    order by s.seq`,
  compound_outside_community: `
    select ${PLACE}, jsonb_build_object('community', s.community) details
    from county_stage s
    where s.role = 'compounds' and s.valid
      and exists (select 1 from county_stage c where c.role = 'communities' and c.name = s.community and c.valid)
      and not exists (select 1 from county_stage c
                      where c.role = 'communities' and c.name = s.community and c.valid and st_covers(c.geom, s.pt))
    order by s.seq`,
  compound_outside_county: outsideCounty('compounds'),
  station_outside_county: outsideCounty('stations'),
  compound_far_away: `
    select ${PLACE}, jsonb_build_object('distance', round(n.d)) details
    from county_stage s
    cross join lateral (select st_distance(s.geom::geography, o.geom::geography) d from county_stage o
                        where o.role = 'compounds' and o.seq <> s.seq and o.valid
                        order by o.geom <-> s.geom limit 1) n
    where s.role = 'compounds' and s.valid and n.d > 20000
    order by s.seq`,
  duplicate_name: `
    select ${PLACE}, jsonb_build_object('other_id', o.fid, 'distance', round(st_distance(s.pt::geography, o.pt::geography))) details
    from county_stage s join county_stage o
      on o.role = s.role and s.seq < o.seq and o.name = s.name and o.pt && st_expand(s.pt, 0.002)
         and st_dwithin(s.pt::geography, o.pt::geography, 100)
    where s.role in ('compounds', 'stations') and s.name is not null
    order by s.seq, o.seq`,
  households_missing: `
    select ${PLACE}, '{}'::jsonb details
    from county_stage s where s.role = 'compounds' and s.households_text is null order by s.seq`,
  households_invalid: `
    select ${PLACE}, jsonb_build_object('value', s.households_text) details
    from county_stage s
    where s.role = 'compounds' and s.households_text is not null
      and (s.households is null or s.households < 0 or s.households <> floor(s.households))
    order by s.seq`,
  households_zero: `
    select ${PLACE}, '{}'::jsonb details from county_stage s where s.role = 'compounds' and s.households = 0 order by s.seq`,
  compound_too_heavy: `
    select ${PLACE}, jsonb_build_object('households', s.households, 'max', $2::int) details
    from county_stage s where s.role = 'compounds' and s.households > $2 order by s.seq`,
  community_too_light: `
    select 'communities' as layer, coalesce(c.fid, '') fid, x.community as name, st_x(c.pt) lon, st_y(c.pt) lat,
           jsonb_build_object('households', x.total, 'min', $1::int) details
    from (select coalesce(s.community, (select c.name from county_stage c where c.role = 'communities' and c.valid
                                                and st_covers(c.geom, s.pt) limit 1)) community,
                 sum(greatest(s.households, 0)) total
          from county_stage s where s.role = 'compounds' group by 1) x
    left join lateral (select * from county_stage c where c.role = 'communities' and c.name = x.community limit 1) c on true
    where x.community is not null and x.total < $1
    order by x.community`,
  communities_overlap: overlaps('communities', 'st_area(x.g::geography) > 100'),
  // A person placed nowhere: naming neither, a grid the package's grids lack, or a community it does not know
  // (its communities, else the community names of its compounds). Names and ids are compared as sets.
  person_place_unknown: `
    with grids as (select n from county_stage, unnest(array[name, fid]) n where role = 'grids' and n is not null),
         communities as (
           select n from county_stage, unnest(array[name, fid]) n where role = 'communities' and n is not null
           union all
           select community from county_stage
           where role = 'compounds' and community is not null
             and not exists (select 1 from county_stage where role = 'communities'))
    select ${PLACE}, jsonb_build_object('grid', coalesce(s.grid, ''), 'community', coalesce(s.community, '')) details
    from county_stage s
    where s.role = 'people'
      and ((s.grid is null and s.community is null)
           or (s.grid is not null and exists (select 1 from grids) and s.grid not in (select n from grids))
           or (s.community is not null and s.community not in (select n from communities)))
    order by s.seq`,
  communities_gap: `
    with u as (select st_union(geom) g from county_stage where role = 'communities' and valid and st_dimension(geom) = 2),
         k as (select st_union(geom) g from county_stage where role = 'county' and valid and st_dimension(geom) = 2),
         holes as (select (st_dumprings((st_dump(u.g)).geom)).* from u),
         -- Holes of the union are gaps when the package has no outline; with one, they are in its difference.
         gaps as (select st_makepolygon(st_exteriorring(h.geom)) g from holes h, k where h.path[1] > 0 and k.g is null
                  union all
                  select (st_dump(st_difference(k.g, u.g))).geom from k, u where u.g is not null)
    select 'communities' as layer, null as fid, null as name, st_x(st_pointonsurface(g)) lon, st_y(st_pointonsurface(g)) lat,
           jsonb_build_object('area', round(st_area(g::geography))) details
    from gaps where st_area(g::geography) > 100
    order by st_area(g::geography) desc`,
} as const;
export type StageCheck = keyof typeof STAGE_CHECKS;

export async function runStageCheck(
  client: PoolClient,
  check: StageCheck,
  bounds: { min: number; max: number },
): Promise<StageFinding[]> {
  // Every check gets both bounds, typed here whether it uses them or not.
  const { rows } = await client.query<StageFinding>(
    `select q.* from (select $1::int, $2::int) b, (${STAGE_CHECKS[check]}) q`,
    [bounds.min, bounds.max],
  );
  return rows;
}

/**
 * Per layer with GCJ-02 twins: how many of its points fall in their reference polygons (their named community,
 * else any community, else the county) as read and once converted from GCJ-02, and the median offset in metres.
 */
const inReference = (point: string) => `count(*) filter (where exists (select 1 from county_stage r, ref
    where r.role = ref.role and r.role <> p.role and r.valid
      and (p.community is null or r.name = p.community or ref.role = 'county') and st_covers(r.geom, ${point})))::int`;

export async function offsetHints(
  client: PoolClient,
): Promise<{ layer: string; n: number; in_read: number; in_converted: number; shift: number }[]> {
  const { rows } = await client.query(
    `with ref as (select case when exists (select 1 from county_stage where role = 'communities' and valid)
                              then 'communities' else 'county' end as role)
     select p.role as layer, count(*)::int n,
       ${inReference('p.pt')} in_read,
       ${inReference('p.twin')} in_converted,
       round(percentile_cont(0.5) within group (order by st_distance(p.pt::geography, p.twin::geography)))::int shift
     from county_stage p where p.twin is not null and p.pt is not null group by p.role`,
  );
  return rows;
}
