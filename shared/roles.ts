/** Roles of accounts, the wall display principal, and what each may do (the permission table PERMISSIONS). */

export const ROLES = ['admin', 'leader', 'planner', 'dispatcher', 'grid_worker', 'reporter', 'member_unit'] as const;
export type Role = (typeof ROLES)[number];

/** Who is asking: an account, a wall display (token), or nobody. */
export type Principal =
  | { kind: 'anonymous' }
  | {
      kind: 'user';
      userId: number;
      username: string;
      displayName?: string | null;
      role: Role;
      scope: AreaScope;
      sessionHash: string;
    }
  | { kind: 'wall'; displayTokenId: number; screen: string };
/** A principal that is an account (the writes of the workflow record who did them). */
export type UserPrincipal = Extract<Principal, { kind: 'user' }>;

/** The part of the county an account works in; all null means the whole county. */
export interface AreaScope {
  streetId: string | null;
  communityId: string | null;
  gridId: string | null;
  /** Member-unit accounts (吹哨报到): the joint party committee member unit they sign and handle for. */
  memberUnitId?: string | null;
}

export const COUNTY_WIDE: AreaScope = { streetId: null, communityId: null, gridId: null };

type Actor = Role | 'wall';

/**
 * What each permission allows, and to whom. Routes ask for a permission (requirePermission) or a role
 * (requireRole); area scope is applied separately, in SQL (server/db/area-scope.ts).
 */
export const PERMISSIONS = {
  /** Tiles, OGC, style: also anonymous callers unless REQUIRE_LOGIN=1. */
  'map:read': ['admin', 'leader', 'planner', 'dispatcher', 'grid_worker', 'reporter', 'member_unit', 'wall'],
  /** Counts and KPIs per area, never a person. */
  'aggregates:read': ['admin', 'leader', 'planner', 'dispatcher', 'grid_worker', 'member_unit', 'wall'],
  /** People with names and phones masked (张*, 138****1234). */
  'people:read-masked': ['admin', 'leader', 'planner', 'dispatcher', 'grid_worker'],
  /** Unmasked names and phones, each view audited; dispatchers only for cases in their area. */
  'people:read-unmasked': ['admin', 'dispatcher'],
  'plans:write': ['admin', 'planner'],
  'issues:handle': ['admin', 'dispatcher', 'grid_worker'],
  /** Micro-wishes, service activities and deliberation items of the area (lists and counts). */
  'community-service:read': ['admin', 'leader', 'dispatcher', 'grid_worker'],
  /** Claiming and fulfilling micro-wishes, logging activities, moving deliberation items on. */
  'community-service:handle': ['admin', 'dispatcher', 'grid_worker'],
  'reports:submit': ['admin', 'grid_worker', 'reporter'],
  'users:manage': ['admin'],
  'display-tokens:manage': ['admin'],
  'audit:read': ['admin'],
  /** Uploading, checking and importing a county package (/admin/data). */
  'county:import': ['admin'],
} as const satisfies Record<string, readonly Actor[]>;

export type Permission = keyof typeof PERMISSIONS;

function actorOf(principal: Principal): Actor | undefined {
  return principal.kind === 'user' ? principal.role : principal.kind === 'wall' ? 'wall' : undefined;
}

export function can(principal: Principal, permission: Permission): boolean {
  const actor = actorOf(principal);
  return actor !== undefined && (PERMISSIONS[permission] as readonly Actor[]).includes(actor);
}

export function permissionsOf(principal: Principal): Permission[] {
  return (Object.keys(PERMISSIONS) as Permission[]).filter((p) => can(principal, p));
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Which scope level an account of this role must have: dispatchers a street or community, grid workers a grid. */
export function scopeProblem(role: Role, scope: AreaScope): string | undefined {
  if (role === 'grid_worker' && !scope.gridId) return 'a grid_worker needs a grid (--grid)';
  if (role === 'dispatcher' && !scope.streetId && !scope.communityId)
    return 'a dispatcher needs a street or a community (--street / --community)';
  if (role === 'member_unit' && (!scope.memberUnitId || scope.streetId || scope.communityId || scope.gridId))
    return 'a member_unit needs a member unit and no area (--unit)';
  if (role !== 'member_unit' && scope.memberUnitId) return 'only a member_unit account has a member unit';
  return undefined;
}

/** A label for the audit log. */
export function actorLabel(principal: Principal): string {
  return principal.kind === 'user'
    ? principal.username
    : principal.kind === 'wall'
      ? `wall:${principal.screen}`
      : 'anonymous';
}
