// The issues and the period GET /api/stats is computed over (issue-stats-repo.ts, issue-stats-breakdowns.ts).
import type { AreaScope } from '../../shared/roles.ts';
import { areaCondition } from './area-scope.ts';

/** [start, end) */
export interface StatsPeriod {
  start: Date;
  end: Date;
}

/**
 * Where an issue `i` is the county's ($1), inside the scope and the area; the values it needs are appended to
 * params. Each part of the stats adds it to a read of its own window (an index), never to every issue in scope.
 */
export function scopedIssuesCondition(scope: AreaScope, areaId: string | null, params: unknown[]): string {
  const inScope = areaCondition(
    scope,
    { county: 'i.county_code', grid: 'i.grid_id', community: 'i.community_id', street: 'i.street_id' },
    params,
  );
  let inArea = 'true';
  if (areaId) {
    params.push(areaId);
    inArea = `$${params.length} in (i.grid_id, i.community_id, i.street_id)`;
  }
  return `i.county_code = $1 and ${inScope} and ${inArea}`;
}

/** Issues joined to a row `alias` of a table keyed by (county_code, issue_id). */
export const issueOf = (alias: string) =>
  `join issues i on i.county_code = ${alias}.county_code and i.id = ${alias}.issue_id`;
