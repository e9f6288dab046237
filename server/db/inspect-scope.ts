/**
 * What an area of the hierarchy contains, as SQL: its buildings, grids, compounds and communities. Every
 * figure of the inspection card is computed over these sets, so a figure means the same at every level.
 * Households and people are counted through buildings (a building lies in exactly one grid), so a compound
 * split across grids counts in each grid with the buildings it has there.
 */
import { AREA_LEVELS, type AreaLevel } from '../../shared/api/inspect.ts';

export { AREA_LEVELS, type AreaLevel };

export interface AreaScope {
  /** Rows of `buildings` (all columns) in the area. */
  buildings: string;
  /** Ids of the grids the area covers (for a compound or building: the grids its buildings lie in). */
  grids: string;
  /** Ids of the compounds in the area (for a grid: those with a building in it). */
  compounds: string;
  /** Ids of the communities in the area (for a grid and below: the one it belongs to). */
  communities: string;
}

// $1 is always the county code; $2 the area id (not used for the county).
const gridsOfStreet = `select g.id from grids g join communities c on c.county_code = g.county_code and c.id = g.community_id
  where g.county_code = $1 and c.street_id = $2`;

export const SCOPES: Record<AreaLevel, AreaScope> = {
  county: {
    buildings: `select * from buildings where county_code = $1`,
    grids: `select id from grids where county_code = $1`,
    compounds: `select id from compounds where county_code = $1`,
    communities: `select id from communities where county_code = $1`,
  },
  street: {
    buildings: `select * from buildings where county_code = $1 and grid_id in (${gridsOfStreet})`,
    grids: gridsOfStreet,
    compounds: `select q.id from compounds q join communities c on c.county_code = q.county_code and c.id = q.community_id
      where q.county_code = $1 and c.street_id = $2`,
    communities: `select id from communities where county_code = $1 and street_id = $2`,
  },
  community: {
    buildings: `select b.* from buildings b join grids g on g.county_code = b.county_code and g.id = b.grid_id
      where b.county_code = $1 and g.community_id = $2`,
    grids: `select id from grids where county_code = $1 and community_id = $2`,
    compounds: `select id from compounds where county_code = $1 and community_id = $2`,
    communities: `select $2::text as id`,
  },
  grid: {
    buildings: `select * from buildings where county_code = $1 and grid_id = $2`,
    grids: `select $2::text as id`,
    compounds: `select distinct compound_id as id from buildings where county_code = $1 and grid_id = $2`,
    communities: `select community_id as id from grids where county_code = $1 and id = $2`,
  },
  compound: {
    buildings: `select * from buildings where county_code = $1 and compound_id = $2`,
    grids: `select distinct grid_id as id from buildings where county_code = $1 and compound_id = $2`,
    compounds: `select $2::text as id`,
    communities: `select community_id as id from compounds where county_code = $1 and id = $2`,
  },
  building: {
    buildings: `select * from buildings where county_code = $1 and id = $2`,
    grids: `select grid_id as id from buildings where county_code = $1 and id = $2`,
    compounds: `select compound_id as id from buildings where county_code = $1 and id = $2`,
    communities: `select g.community_id as id from buildings b join grids g on g.county_code = b.county_code and g.id = b.grid_id
      where b.county_code = $1 and b.id = $2`,
  },
};

/** The query arguments of a scope: the county alone, or the county and the area id. */
export function scopeArgs(level: AreaLevel, countyCode: string, id: string): string[] {
  return level === 'county' ? [countyCode] : [countyCode, id];
}
