/**
 * The inspection card of one area (县 → 街道 → 社区 → 网格 → 小区 → 楼栋): names, breadcrumb, bbox, children
 * and figures, all computed in SQL from the tables. Counts of people only — never a name or phone.
 */
import type { Pool } from '../postgres/pool.ts';
import { CHILDREN, HEADS } from './inspect-heads.ts';
import { SCOPES, scopeArgs, type AreaLevel } from './inspect-scope.ts';
import { COMPOUND_TYPES } from '../../shared/map/kinds.ts';
import { degreesAtLeast } from './inspect-coverage-repo.ts';
import { publicCount } from '../community/small-groups.ts';
import type { AreaCard, AreaChild, AreaFigures, AreaRef, NearbyStation } from '../../shared/api/inspect.ts';

export type { AreaCard, AreaChild, AreaFigures, AreaRef, NearbyStation };

export { AREA_LEVELS, type AreaLevel } from './inspect-scope.ts';

/** Stations within this distance of a grid, compound or building are listed as nearby. */
export const NEARBY_STATION_METRES = 300;

/** Stations "in" an area: by their community for the higher levels, their grid, or the geometry below. */
const STATIONS_IN: Record<AreaLevel, string> = {
  county: `select s.* from stations s where s.county_code = $1`,
  street: `select s.* from stations s where s.county_code = $1 and s.community_id in (select id from c)`,
  community: `select s.* from stations s where s.county_code = $1 and s.community_id = $2`,
  grid: `select s.* from stations s where s.county_code = $1 and s.grid_id = $2`,
  compound: `select s.* from stations s join compounds q on q.county_code = s.county_code and q.id = $2
    where s.county_code = $1 and st_intersects(q.geom, s.geom)`,
  building: `select s.* from stations s join buildings b on b.county_code = s.county_code and b.id = $2
    where s.county_code = $1 and st_intersects(b.geom, s.geom)`,
};

const GEOMETRY_OF: Partial<Record<AreaLevel, string>> = {
  grid: `select geom from grids where county_code = $1 and id = $2`,
  compound: `select geom from compounds where county_code = $1 and id = $2`,
  building: `select geom from buildings where county_code = $1 and id = $2`,
};

/** Social organisations serve communities: counted from the community up. */
const SOCIAL_LEVELS: readonly AreaLevel[] = ['county', 'street', 'community'];
const SOCIAL_ORGANISATIONS = `(select count(*) from social_organisations
  where county_code = $1 and community_id in (select id from c))::integer`;

function figuresSql(level: AreaLevel): string {
  const scope = SCOPES[level];
  return `with b as (${scope.buildings}), g as (${scope.grids}), q as (${scope.compounds}), c as (${scope.communities}),
    p as (select p.party_member, p.in_service, p.red_steward, p.building_id
          from people p join b on b.id = p.building_id where p.county_code = $1),
    st as (${STATIONS_IN[level]})
  select
    (select coalesce(sum(households), 0) from b)::integer as households,
    (select coalesce(sum(population), 0) from b)::integer as population,
    (select count(*) from c)::integer as communities,
    (select count(*) from g)::integer as grids,
    (select count(*) from q)::integer as compounds,
    (select coalesce(json_object_agg(type, n), '{}'::json) from (select t.type, count(*)::integer as n
       from compounds t where t.county_code = $1 and t.id in (select id from q) group by t.type) x) as compounds_by_type,
    (select count(*) from b)::integer as buildings,
    (select count(*) from p where red_steward)::integer as red_stewards,
    (select count(distinct building_id) from p where red_steward)::integer as buildings_with_steward,
    (select count(*) from p where party_member)::integer as party_members,
    (select count(*) from p where in_service)::integer as in_service_members,
    (select count(distinct unit_id) from member_unit_grids where county_code = $1 and grid_id in (select id from g))::integer as member_units,
    ${SOCIAL_LEVELS.includes(level) ? SOCIAL_ORGANISATIONS : 'null::integer'} as social_organisations,
    (select count(*) from st)::integer as stations,
    (select coalesce(json_object_agg(kind, n), '{}'::json) from (select kind, count(*)::integer as n from st group by kind) y) as stations_by_kind`;
}

function nearbySql(level: AreaLevel): string | undefined {
  const geometry = GEOMETRY_OF[level];
  if (!geometry) return undefined;
  return `with a as (${geometry}), inside as (${STATIONS_IN[level]})
    select s.id, s.name, s.name_en, s.kind, round(st_distance(a.geom::geography, s.geom::geography))::integer as distance_m,
      s.id in (select id from inside) as inside
    from stations s, a
    where s.county_code = $1 and (s.id in (select id from inside) or (st_dwithin(a.geom, s.geom, ${degreesAtLeast(String(NEARBY_STATION_METRES), 's.geom')})
      and st_dwithin(a.geom::geography, s.geom::geography, ${NEARBY_STATION_METRES})))
    order by distance_m, s.id`;
}

const MEMBER_UNITS_SQL = (level: AreaLevel) => `with g as (${SCOPES[level].grids})
  select u.id, u.name, u.name_en, u.trade from member_units u
  where u.county_code = $1 and exists (select 1 from member_unit_grids m
    where m.county_code = $1 and m.unit_id = u.id and m.grid_id in (select id from g))
  order by u.id`;

const SOCIAL_ORGANISATIONS_SQL = `select id, name, name_en, service from social_organisations
  where county_code = $1 and community_id = $2 order by id`;

interface FiguresRow {
  households: number;
  population: number;
  communities: number;
  grids: number;
  compounds: number;
  compounds_by_type: Record<string, number>;
  buildings: number;
  red_stewards: number;
  buildings_with_steward: number;
  party_members: number;
  in_service_members: number;
  member_units: number;
  social_organisations: number | null;
  stations: number;
  stations_by_kind: Record<string, number>;
}

function toFigures(r: FiguresRow): AreaFigures {
  return {
    households: r.households,
    population: r.population,
    communities: r.communities,
    grids: r.grids,
    compounds: r.compounds,
    compoundsByType: Object.fromEntries(COMPOUND_TYPES.map((t) => [t, r.compounds_by_type[t] ?? 0])),
    buildings: r.buildings,
    redStewards: publicCount(r.red_stewards),
    buildingsWithSteward: r.buildings_with_steward,
    stewardShare: r.buildings > 0 ? r.buildings_with_steward / r.buildings : null,
    partyMembers: publicCount(r.party_members),
    inServiceMembers: publicCount(r.in_service_members),
    memberUnits: r.member_units,
    socialOrganisations: r.social_organisations,
    stations: r.stations,
    stationsByKind: r.stations_by_kind,
  };
}

export async function areaExists(pool: Pool, countyCode: string, level: AreaLevel, id: string): Promise<boolean> {
  const { rows } = await pool.query(HEADS[level], scopeArgs(level, countyCode, id));
  return rows.length > 0 && rows[0].id !== null;
}

/** The card of one area, or undefined when there is no such area. */
export async function queryAreaCard(
  pool: Pool,
  countyCode: string,
  level: AreaLevel,
  id: string,
): Promise<AreaCard | undefined> {
  const args = scopeArgs(level, countyCode, id);
  const head = await pool.query(HEADS[level], args);
  const h = head.rows[0];
  if (!h || h.id === null || (level === 'county' && id !== countyCode)) return undefined;
  const children = CHILDREN[level];
  const nearby = nearbySql(level);
  const [figures, childRows, nearbyRows, units, organisations] = await Promise.all([
    pool.query<FiguresRow>(figuresSql(level), args),
    children ? pool.query(children.sql, args) : undefined,
    nearby ? pool.query(nearby, args) : undefined,
    nearby ? pool.query(MEMBER_UNITS_SQL(level), args) : undefined,
    level === 'community' ? pool.query(SOCIAL_ORGANISATIONS_SQL, args) : undefined,
  ]);
  return {
    level,
    id: h.id,
    code: h.code,
    name: h.name,
    nameEn: h.name_en,
    parents: h.parents,
    bbox: h.bbox,
    attributes: h.attributes,
    children:
      children && childRows
        ? {
            level: children.level,
            items: childRows.rows.map((r) => ({ id: r.id, name: r.name, nameEn: r.name_en, households: r.households })),
          }
        : null,
    figures: toFigures(figures.rows[0]),
    nearbyStations: nearbyRows
      ? nearbyRows.rows.map((r) => ({
          id: r.id,
          name: r.name,
          nameEn: r.name_en,
          kind: r.kind,
          distanceM: r.distance_m,
          inside: r.inside,
        }))
      : null,
    memberUnits: units ? units.rows.map((r) => ({ id: r.id, name: r.name, nameEn: r.name_en, trade: r.trade })) : null,
    socialOrganisations: organisations
      ? organisations.rows.map((r) => ({ id: r.id, name: r.name, nameEn: r.name_en, service: r.service }))
      : null,
  };
}
