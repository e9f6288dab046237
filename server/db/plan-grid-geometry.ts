import type { PoolClient } from 'pg';
import type { GeometryProblem } from '../../shared/api/plan-publish.ts';

// Grid polygons derived from a plan, inside the publishing transaction (plan-publish-repo.ts). For each community
// whose grids change, the community is partitioned among its grids: points every ≈ 13 m along the outline of every
// unit (compound, or building of a split compound) seed a Voronoi diagram; each cell goes to its seed's grid, so the
// road space between units goes to the nearest unit's grid. A grid is then (its cells − every unit) ∪ its own units,
// clipped to the community: units stay whole in their grid, grids tile the community and cannot overlap, since
// Voronoi cells only share edges and units do not overlap. Works on the temp tables publish_unit_geoms
// (community_id, grid_id, geom, geom_3857; the units of grids to derive) and publish_kept_grids (community_id,
// grid_id, geom: locked grids that keep their polygon, cut out of the community first), and writes
// publish_grid_geoms (community_id, grid_id, geom).

/** Spacing of the Voronoi seeds along unit outlines, in EPSG:3857 units (≈ 12.6 m on the ground at 37.8° N): the
 * bisector across a road stays straight between parallel walls; denser seeds cost time (bench:plan) for no gain. */
const SEED_SPACING_3857 = 16;
/** Tolerances of the checks, square metres: float noise of the overlay operations is far below. */
const AREA_TOLERANCE_M2 = 0.05;

/** `spacing` in EPSG:3857 units: a county import of large units spaces the seeds wider (county-import-repo.ts). */
export async function deriveGridGeometry(
  client: PoolClient,
  countyCode: string,
  spacing = SEED_SPACING_3857,
): Promise<void> {
  await client.query(
    `create temp table publish_seeds on commit drop as
     select community_id, grid_id, (st_dumppoints(st_segmentize(st_boundary(geom_3857), $1))).geom as pt
     from publish_unit_geoms where grid_id is not null`,
    [spacing],
  );
  await client.query('create index on publish_seeds using gist (pt)');
  await client.query(
    `create temp table publish_cells on commit drop as
     select v.community_id, v.cell
     from (select s.community_id,
                  (st_dump(st_voronoipolygons(st_collect(s.pt), 0, st_expand(c.geom_3857, 500)))).geom as cell
           from publish_seeds s join communities c on c.county_code = $1 and c.id = s.community_id
           group by s.community_id, c.geom_3857) v`,
    [countyCode],
  );
  await client.query(
    `create temp table publish_owned on commit drop as
     select c.community_id, s.grid_id, c.cell
     from publish_cells c
     cross join lateral (select grid_id from publish_seeds s
                         where s.community_id = c.community_id and st_intersects(c.cell, s.pt)
                         order by grid_id limit 1) s`,
  );
  await client.query(
    `create temp table publish_grid_cells on commit drop as
     select community_id, grid_id, st_transform(st_union(cell), 4326) as cells from publish_owned group by 1, 2`,
  );
  await client.query(
    `create temp table publish_grid_geoms on commit drop as
     with own as (select community_id, grid_id, st_union(geom) as geom from publish_unit_geoms where grid_id is not null group by 1, 2),
     taken as (select community_id, st_union(geom) as geom from publish_unit_geoms where grid_id is not null group by 1),
     free as (select c.id as community_id,
                     coalesce(st_difference(c.geom, (select st_union(k.geom) from publish_kept_grids k where k.community_id = c.id)), c.geom) as geom
              from communities c where c.county_code = $1 and c.id in (select community_id from own)),
     -- ((cells − taken) ∪ own) ∩ free = (cells ∩ road) ∪ (own ∩ free), with road = free − taken made once per
     -- community instead of one difference with every unit of the community per grid.
     road as (select f.community_id, f.geom as free, st_difference(f.geom, t.geom) as geom from free f join taken t using (community_id))
     select o.community_id, o.grid_id,
            st_multi(st_collectionextract(st_makevalid(
              st_union(st_intersection(cells.cells, road.geom), st_intersection(o.geom, road.free))), 3))::geometry(MultiPolygon, 4326) as geom
     from own o
     join publish_grid_cells cells using (community_id, grid_id)
     join road using (community_id)`,
    [countyCode],
  );
}

export type { GeometryProblem };

/**
 * Checks the grids of `communities` as they now stand in the grids table: valid, within their community, not
 * overlapping one another, every building inside its grid. Empty when all hold.
 */
export async function checkGridGeometry(
  client: PoolClient,
  countyCode: string,
  communities: string[],
): Promise<GeometryProblem[]> {
  const { rows } = await client.query<GeometryProblem>(
    `with g as (select id, community_id, geom from grids where county_code = $1 and community_id = any($2::text[])),
     -- The grids of a community overlap by (sum of their areas − area of their union): one union per community
     -- finds the communities to search pair by pair (none, when the polygons are sound).
     overlapping as (select community_id from g group by community_id
                     having sum(st_area(geom::geography)) - st_area(st_union(geom)::geography) > $3)
     select 'invalid' as check, g.id as grid, null as other, null::float8 as "squareMetres" from g where not st_isvalid(g.geom)
     union all
     select 'outside-community', g.id, c.id, a from g
       join communities c on c.county_code = $1 and c.id = g.community_id
       cross join lateral (select st_area(st_difference(g.geom, c.geom)::geography) as a where not st_coveredby(g.geom, c.geom)) d where a > $3
     union all
     select 'overlap', a.id, b.id, s from g a join g b on a.id < b.id and a.community_id = b.community_id and st_intersects(a.geom, b.geom)
       cross join lateral (select st_area(st_intersection(a.geom, b.geom)::geography) as s) i
       where s > $3 and a.community_id in (select community_id from overlapping)
     union all
     select 'unit-outside-grid', g.id, b.id, s from g join buildings b on b.county_code = $1 and b.grid_id = g.id
       cross join lateral (select st_area(st_difference(b.geom, g.geom)::geography) as s where not st_coveredby(b.geom, g.geom)) d where s > $3
     union all
     select 'unit-outside-grid', g.id, q.id, s from g join compounds q on q.county_code = $1 and q.grid_id = g.id
       cross join lateral (select st_area(st_difference(q.geom, g.geom)::geography) as s where not st_coveredby(q.geom, g.geom)) d where s > $3`,
    [countyCode, communities, AREA_TOLERANCE_M2],
  );
  return rows;
}
