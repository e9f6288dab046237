import type { Queryable } from '../postgres/pool.ts';
import type { AreaScope } from '../../shared/roles.ts';
import { areaCondition } from './area-scope.ts';
import { placeholderIn, queryPage, type ListQuery } from './paged-list.ts';

/**
 * The WHERE of the lists of micro-wishes, activities and deliberation items (alias `t` with county_code,
 * grid_id, community_id): the county, the caller's area scope (in SQL), and an optional grid, community or
 * street chosen by the caller. Values are appended to params.
 */
function communityListWhere(scope: AreaScope, areaId: string | undefined, params: unknown[]): string[] {
  const where = [
    't.county_code = $1',
    areaCondition(scope, { county: 't.county_code', grid: 't.grid_id', community: 't.community_id' }, params),
  ];
  if (areaId) {
    params.push(areaId);
    where.push(
      `$${params.length} in (t.grid_id, t.community_id, (select c.street_id from communities c where c.county_code = t.county_code and c.id = t.community_id))`,
    );
  }
  return where;
}

/** One of those lists: what it selects, in which order, and the column its one filter compares (state, kind, step). */
export type CommunityList = Omit<ListQuery, 'where'> & { filterColumn: string };

/** A page of `list` inside the caller's scope, in the chosen area, and only the rows matching `value` when given. */
export function queryCommunityPage<Row>(
  db: Queryable,
  countyCode: string,
  scope: AreaScope,
  filter: { areaId?: string; limit: number; offset: number },
  { filterColumn, ...query }: CommunityList,
  value: string | undefined,
): Promise<{ total: number; rows: Row[] }> {
  const params: unknown[] = [countyCode];
  const where = communityListWhere(scope, filter.areaId, params);
  if (value) where.push(`${filterColumn} = ${placeholderIn(params)(value)}`);
  return queryPage<Row>(db, { ...query, where }, params, filter);
}
