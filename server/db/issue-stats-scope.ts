// The issues and the period GET /api/stats is computed over (issue-stats-repo.ts, issue-stats-breakdowns.ts).
import type { AreaScope } from '../auth/roles.ts';
import { areaCondition } from './area-scope.ts';

/** [start, end) */
export interface StatsPeriod {
  start: Date;
  end: Date;
}

/**
 * The CTE `i`: the county's issues inside the scope and the area, with their major category. $1 county; the
 * values it needs are appended to params.
 */
export function scopedIssuesCte(scope: AreaScope, areaId: string | null, params: unknown[]): string {
  const inScope = areaCondition(scope, { county: 'i.county_code', grid: 'i.grid_id', community: 'i.community_id', street: 'i.street_id' }, params);
  let inArea = 'true';
  if (areaId) {
    params.push(areaId);
    inArea = `$${params.length} in (i.grid_id, i.community_id, i.street_id)`;
  }
  return `i as (select i.*, coalesce(c.parent_id, c.id) as major from issues i
      join issue_categories c on c.county_code = i.county_code and c.id = i.category_id
      where i.county_code = $1 and ${inScope} and ${inArea})`;
}
