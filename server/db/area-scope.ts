import type { Queryable } from '../postgres/pool.ts';
import type { AreaScope } from '../../shared/roles.ts';

/** Columns of a queried row that place it in the county: any of grid, community, street (SQL expressions). */
export interface PlaceColumns {
  county: string;
  grid?: string;
  community?: string;
  street?: string;
}

/**
 * A SQL condition that keeps only the rows inside an account's area scope, enforced in the database,
 * never in the client. Values are appended to params and referenced as $n. A row that cannot be placed
 * at the scope's level is excluded.
 *
 *   const params = [county]; const where = areaCondition(principal.scope, { county: 'p.county_code', grid: 'p.grid_id' }, params);
 *   pool.query(`select … from people p where p.county_code = $1 and ${where}`, params)
 */
export function areaCondition(scope: AreaScope, row: PlaceColumns, params: unknown[]): string {
  const param = (value: string) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (scope.gridId) {
    return row.grid ? `${row.grid} = ${param(scope.gridId)}` : 'false';
  }
  if (scope.communityId) {
    if (row.community) return `${row.community} = ${param(scope.communityId)}`;
    if (row.grid) {
      return `exists (select 1 from grids scope_g where scope_g.county_code = ${row.county} and scope_g.id = ${row.grid}
        and scope_g.community_id = ${param(scope.communityId)})`;
    }
    return 'false';
  }
  if (scope.streetId) {
    if (row.street) return `${row.street} = ${param(scope.streetId)}`;
    if (row.community) {
      return `exists (select 1 from communities scope_c where scope_c.county_code = ${row.county} and scope_c.id = ${row.community}
        and scope_c.street_id = ${param(scope.streetId)})`;
    }
    if (row.grid) {
      return `exists (select 1 from grids scope_g join communities scope_c on scope_c.county_code = scope_g.county_code
        and scope_c.id = scope_g.community_id where scope_g.county_code = ${row.county} and scope_g.id = ${row.grid}
        and scope_c.street_id = ${param(scope.streetId)})`;
    }
    return 'false';
  }
  return 'true';
}

/**
 * The full scope (street, community, grid) of the most specific area given; undefined when it does not
 * exist or the parts given do not belong together.
 */
export async function resolveArea(db: Queryable, countyCode: string, given: AreaScope): Promise<AreaScope | undefined> {
  let found: AreaScope | undefined;
  if (given.memberUnitId) {
    // A member unit's account has the unit and no area (scopeProblem refuses both together).
    const { rowCount } = await db.query('select 1 from member_units where county_code = $1 and id = $2', [
      countyCode,
      given.memberUnitId,
    ]);
    return rowCount ? { streetId: null, communityId: null, gridId: null, memberUnitId: given.memberUnitId } : undefined;
  }
  if (given.gridId) {
    const { rows } = await db.query<AreaScope>(
      `select c.street_id as "streetId", c.id as "communityId", g.id as "gridId"
       from grids g join communities c on c.county_code = g.county_code and c.id = g.community_id
       where g.county_code = $1 and g.id = $2`,
      [countyCode, given.gridId],
    );
    found = rows[0];
  } else if (given.communityId) {
    const { rows } = await db.query<AreaScope>(
      `select street_id as "streetId", id as "communityId", null as "gridId" from communities where county_code = $1 and id = $2`,
      [countyCode, given.communityId],
    );
    found = rows[0];
  } else if (given.streetId) {
    const { rows } = await db.query<AreaScope>(
      `select id as "streetId", null as "communityId", null as "gridId" from streets where county_code = $1 and id = $2`,
      [countyCode, given.streetId],
    );
    found = rows[0];
  } else {
    return given;
  }
  if (!found) return undefined;
  if (given.communityId && given.communityId !== found.communityId) return undefined;
  if (given.streetId && given.streetId !== found.streetId) return undefined;
  return found;
}

/** A member unit assigned to the grid (or the first of the county), for the demo member-unit account. */
export async function demoMemberUnit(
  db: Queryable,
  countyCode: string,
  gridId: string | undefined,
): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>(
    `select u.id from member_units u
     left join member_unit_grids g on g.county_code = u.county_code and g.unit_id = u.id and g.grid_id = $2
     where u.county_code = $1 order by (g.unit_id is not null) desc, u.id limit 1`,
    [countyCode, gridId ?? null],
  );
  return rows[0]?.id;
}

/** A community and one of its grids from the loaded data, for the demo dispatcher and grid worker. */
export async function demoArea(
  db: Queryable,
  countyCode: string,
): Promise<{ communityId: string; streetId: string; gridId: string } | undefined> {
  const { rows } = await db.query<{ communityId: string; streetId: string; gridId: string }>(
    `select c.id as "communityId", c.street_id as "streetId", min(g.id) as "gridId"
     from communities c join grids g on g.county_code = c.county_code and g.community_id = c.id
     where c.county_code = $1 group by c.id, c.street_id order by c.id limit 1`,
    [countyCode],
  );
  return rows[0];
}
