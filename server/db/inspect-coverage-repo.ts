/**
 * Station coverage: which compounds lie farther than N metres (on the ellipsoid, ST_DWithin over geography)
 * from every service station, and the share of households living in covered compounds, per grid and for
 * the county. Households are counted through buildings, so a compound split across grids counts in each.
 */
import { inTransaction, type Pool } from '../postgres/pool.ts';
import type { Coverage, GridCoverage, UncoveredCompound } from '../../shared/api/inspect.ts';

export type { Coverage, GridCoverage, UncoveredCompound };

/**
 * A distance in degrees at least as long as `metres` near `point`: a cheap planar pre-filter before the
 * exact (and slow) test on the ellipsoid. A degree of longitude is the shorter one, cos(latitude) × 111.32 km.
 */
export function degreesAtLeast(metres: string, point: string): string {
  return `${metres} * 1.1 / (111320 * cos(radians(st_y(${point}))))`;
}

/** Rows (id, covered) for every compound of county $1: covered when a station lies within $n metres. */
export const coveredCompoundsSql = (metres: string) => `
    select q.id, exists (select 1 from stations s where s.county_code = q.county_code
      and st_dwithin(q.geom, s.geom, ${degreesAtLeast(metres, 's.geom')})
      and st_dwithin(q.geom::geography, s.geom::geography, ${metres})) as covered
    from compounds q where q.county_code = $1`;

const COVERAGE_SQL = `
  with covered as (${coveredCompoundsSql('$2')}),
  uncovered as (
    select q.id, q.name, q.name_en, q.type, q.community_id, q.grid_id, q.households,
      (select round(min(st_distance(q.geom::geography, s.geom::geography)))::integer
         from stations s where s.county_code = q.county_code) as nearest_m
    from compounds q join covered c on c.id = q.id where q.county_code = $1 and not c.covered),
  per_grid as (
    select g.id, g.name, g.name_en, coalesce(sum(b.households), 0)::integer as households,
      coalesce(sum(b.households) filter (where c.covered), 0)::integer as covered_households
    from grids g left join buildings b on b.county_code = g.county_code and b.grid_id = g.id
      left join covered c on c.id = b.compound_id
    where g.county_code = $1 group by g.id, g.name, g.name_en)
  select
    (select coalesce(json_agg(u order by u.nearest_m desc, u.id), '[]'::json) from uncovered u) as uncovered,
    (select json_agg(p order by p.id) from per_grid p) as grids,
    (select count(*) from covered)::integer as compounds,
    (select coalesce(sum(households), 0) from per_grid)::integer as households,
    (select coalesce(sum(covered_households), 0) from per_grid)::integer as covered_households`;

export async function queryCoverage(pool: Pool, countyCode: string, distanceM: number): Promise<Coverage> {
  // The geography functions' cost estimates make PostgreSQL compile the query (JIT), which takes longer
  // than running it (~100 ms against a few ms): off for this one query.
  const { rows } = await inTransaction(pool, async (client) => {
    await client.query('set local jit = off');
    return client.query(COVERAGE_SQL, [countyCode, distanceM]);
  });
  const r = rows[0];
  const grids: GridCoverage[] = (r.grids ?? []).map(
    (g: { id: string; name: string; name_en: string | null; households: number; covered_households: number }) => ({
      gridId: g.id,
      name: g.name,
      nameEn: g.name_en,
      households: g.households,
      coveredHouseholds: g.covered_households,
      share: g.households > 0 ? g.covered_households / g.households : null,
    }),
  );
  const households: number = r.households;
  const coveredHouseholds: number = r.covered_households;
  const uncovered: UncoveredCompound[] = r.uncovered.map(
    (u: {
      id: string;
      name: string;
      name_en: string | null;
      type: string;
      community_id: string;
      grid_id: string | null;
      households: number;
      nearest_m: number | null;
    }) => ({
      id: u.id,
      name: u.name,
      nameEn: u.name_en,
      type: u.type,
      communityId: u.community_id,
      gridId: u.grid_id,
      households: u.households,
      nearestStationM: u.nearest_m,
    }),
  );
  return {
    distanceM,
    county: {
      households,
      coveredHouseholds,
      share: households > 0 ? coveredHouseholds / households : null,
      compounds: r.compounds,
      uncoveredCompounds: uncovered.length,
    },
    uncovered,
    grids,
  };
}
