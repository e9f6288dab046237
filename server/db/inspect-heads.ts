/**
 * SQL for the head of an area card: its code and names, its parent chain (for the breadcrumb), its bounding
 * box, level-specific attributes, and its children one level down with their households.
 * $1 is the county code, $2 the area id (not used for the county). Places only — never a person.
 */
import type { AreaLevel } from './inspect-scope.ts';

/** The county's names, from its counties row (written from its manifest). */
const countyName = (column: 'name' | 'name_en') => `(select k.${column} from counties k where k.county_code = $1)`;

const ref = (level: AreaLevel, alias: string) =>
  `json_build_object('level', '${level}', 'id', ${alias}.id, 'name', ${alias}.name, 'nameEn', ${alias}.name_en)`;
const countyRef = `json_build_object('level', 'county', 'id', $1::text, 'name', ${countyName('name')},
  'nameEn', ${countyName('name_en')})`;
const bbox = (geom: string) =>
  `json_build_array(st_xmin(${geom}), st_ymin(${geom}), st_xmax(${geom}), st_ymax(${geom}))`;
const join = (table: string, alias: string, on: string) =>
  `left join ${table} ${alias} on ${alias}.county_code = $1 and ${alias}.id = ${on}`;

/** One row: id, code, name, name_en, parents (json array), bbox (json array), attributes (json). */
export const HEADS: Record<AreaLevel, string> = {
  county: `select $1::text as id, $1::text as code, ${countyName('name')} as name, ${countyName('name_en')} as name_en,
      '[]'::json as parents, ${bbox('e')} as bbox, '{}'::json as attributes
    from (select st_extent(geom)::geometry as e from streets where county_code = $1) x`,
  street: `select s.id, s.code, s.name, s.name_en, json_build_array(${countyRef}) as parents,
      ${bbox('s.geom')} as bbox, '{}'::json as attributes
    from streets s where s.county_code = $1 and s.id = $2`,
  community: `select c.id, c.code, c.name, c.name_en, json_build_array(${countyRef}, ${ref('street', 's')}) as parents,
      ${bbox('c.geom')} as bbox, json_build_object('syntheticName', c.synthetic_name) as attributes
    from communities c ${join('streets', 's', 'c.street_id')}
    where c.county_code = $1 and c.id = $2`,
  grid: `select g.id, g.code, g.name, g.name_en,
      json_build_array(${countyRef}, ${ref('street', 's')}, ${ref('community', 'c')}) as parents,
      ${bbox('g.geom')} as bbox, json_build_object('partyBranch', g.party_branch) as attributes
    from grids g ${join('communities', 'c', 'g.community_id')} ${join('streets', 's', 'c.street_id')}
    where g.county_code = $1 and g.id = $2`,
  // A compound split across grids has no single grid: its chain skips that step.
  compound: `select q.id, q.id as code, q.name, q.name_en,
      (json_build_array(${countyRef}, ${ref('street', 's')}, ${ref('community', 'c')})::jsonb ||
        case when g.id is null then '[]'::jsonb else jsonb_build_array(${ref('grid', 'g')}) end) as parents,
      ${bbox('q.geom')} as bbox,
      json_build_object('type', q.type, 'era', q.era, 'facilityLevel', q.facility_level, 'residentType', q.resident_type,
        'serviceNeeds', q.service_needs, 'propertyService', q.property_service,
        'ownersCommitteeDeputy', q.owners_committee_deputy, 'splitAcrossGrids', q.grid_id is null) as attributes
    from compounds q ${join('communities', 'c', 'q.community_id')} ${join('streets', 's', 'c.street_id')}
      ${join('grids', 'g', 'q.grid_id')}
    where q.county_code = $1 and q.id = $2`,
  building: `select b.id, b.id as code, coalesce(b.name, b.id) as name, null::text as name_en,
      json_build_array(${countyRef}, ${ref('street', 's')}, ${ref('community', 'c')}, ${ref('grid', 'g')}, ${ref('compound', 'q')}) as parents,
      ${bbox('b.geom')} as bbox, json_build_object('floors', b.floors, 'form', b.form) as attributes
    from buildings b ${join('grids', 'g', 'b.grid_id')} ${join('compounds', 'q', 'b.compound_id')}
      ${join('communities', 'c', 'g.community_id')} ${join('streets', 's', 'c.street_id')}
    where b.county_code = $1 and b.id = $2`,
};

export interface ChildrenSql {
  level: AreaLevel;
  /** Rows: id, name, name_en, households, ordered by id. */
  sql: string;
}

/** The next level down; a building has none. */
export const CHILDREN: Partial<Record<AreaLevel, ChildrenSql>> = {
  county: {
    level: 'street',
    sql: `select s.id, s.name, s.name_en, coalesce(sum(t.households), 0)::integer as households
      from streets s left join communities c on c.county_code = s.county_code and c.street_id = s.id
      left join community_totals t on t.county_code = c.county_code and t.community_id = c.id
      where s.county_code = $1 group by s.id, s.name, s.name_en order by s.id`,
  },
  street: {
    level: 'community',
    sql: `select c.id, c.name, c.name_en, t.households from communities c
      join community_totals t on t.county_code = c.county_code and t.community_id = c.id
      where c.county_code = $1 and c.street_id = $2 order by c.id`,
  },
  community: {
    level: 'grid',
    sql: `select g.id, g.name, g.name_en, t.households from grids g
      join grid_totals t on t.county_code = g.county_code and t.grid_id = g.id
      where g.county_code = $1 and g.community_id = $2 order by g.id`,
  },
  grid: {
    level: 'compound',
    // The households of each compound that live in this grid.
    sql: `select q.id, q.name, q.name_en, sum(b.households)::integer as households
      from buildings b join compounds q on q.county_code = b.county_code and q.id = b.compound_id
      where b.county_code = $1 and b.grid_id = $2 group by q.id, q.name, q.name_en order by q.id`,
  },
  compound: {
    level: 'building',
    sql: `select id, coalesce(name, id) as name, null::text as name_en, households from buildings
      where county_code = $1 and compound_id = $2 order by id`,
  },
};
