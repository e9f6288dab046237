import { HttpError } from '../http-error.ts';
import type { AreaScope, Principal } from '../../shared/roles.ts';

/**
 * Checks one record's place (as loaded from the database) against the caller's area scope. Outside
 * the scope is a 404: the caller may not know that it exists. Lists are scoped in SQL instead
 * (areaCondition in server/db/area-scope.ts); this is for a single record fetched by id.
 */
export function requireArea(principal: Principal, place: AreaScope): void {
  if (!isInsideArea(principal, place)) throw new HttpError(404, 'no such record');
}

/** Whether a place lies inside the area scope of an account (false for walls and anonymous callers). */
export function isInsideArea(principal: Principal, place: AreaScope): boolean {
  if (principal.kind !== 'user') return false;
  const { scope } = principal;
  return (
    (!scope.gridId || scope.gridId === place.gridId) &&
    (!scope.communityId || scope.communityId === place.communityId) &&
    (!scope.streetId || scope.streetId === place.streetId)
  );
}
