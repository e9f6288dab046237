// Administration (/admin): accounts, wall display tokens and the audit log. Admins only; the server checks
// every request and validates every write. Shapes are checked lightly here.
import { ApiError, getJson, isRecord, sendJson } from './http';
import { fetchCategories, type IssueCategory } from './issues';

// Roles, scopes and accounts are declared once, where the server defines them (type-only: no server code in
// the bundle); times arrive as ISO strings.
import type { AreaScope, Role } from '../../shared/roles.ts';
import type { UserSummary } from '../../shared/api/admin.ts';
export type { AreaScope, Role, UserSummary };

/** Every role, in the server's order (the type makes a missing or unknown one a compile error). */
export const ROLES = [
  'admin',
  'leader',
  'planner',
  'dispatcher',
  'grid_worker',
  'reporter',
  'member_unit',
] as const satisfies readonly Role[];

export interface DisplayToken {
  id: number;
  screen: string;
  createdAt: string;
  revokedAt: string | null;
}

/** A new token: the secret and the wall's address are shown once. */
export interface CreatedDisplayToken extends DisplayToken {
  token: string;
  url: string;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  entity?: string;
  /** yyyy-mm-dd */
  from?: string;
  to?: string;
}

export interface AuditPage {
  total: number;
  limit: number;
  offset: number;
  entries: AuditEntry[];
}

function listOf<T>(body: unknown, key: string, url: string): T[] {
  if (!isRecord(body) || !Array.isArray(body[key])) throw new ApiError('invalid', url, `GET ${url}: no ${key} array`);
  return body[key] as T[];
}

export async function listUsers(signal?: AbortSignal): Promise<UserSummary[]> {
  return listOf<UserSummary>(await getJson('/api/admin/users', signal), 'users', '/api/admin/users');
}

export async function createUser(input: {
  username: string;
  displayName?: string;
  password: string;
  role: Role;
  scope: Partial<AreaScope>;
}): Promise<UserSummary> {
  return (await sendJson('POST', '/api/admin/users', input)) as UserSummary;
}

export async function updateUser(
  id: number,
  change: { displayName?: string | null; role?: Role; scope?: Partial<AreaScope>; disabled?: boolean },
): Promise<UserSummary> {
  return (await sendJson('PATCH', `/api/admin/users/${id}`, change)) as UserSummary;
}

export async function resetUserPassword(id: number, password: string): Promise<{ sessionsEnded: number }> {
  return (await sendJson('POST', `/api/admin/users/${id}/password`, { password })) as { sessionsEnded: number };
}

export async function listDisplayTokens(signal?: AbortSignal): Promise<DisplayToken[]> {
  return listOf<DisplayToken>(
    await getJson('/api/admin/display-tokens', signal),
    'displayTokens',
    '/api/admin/display-tokens',
  );
}

export async function createDisplayToken(screen: string): Promise<CreatedDisplayToken> {
  return (await sendJson('POST', '/api/admin/display-tokens', { screen })) as CreatedDisplayToken;
}

export async function revokeDisplayToken(id: number): Promise<void> {
  await sendJson('DELETE', `/api/admin/display-tokens/${id}`);
}

export async function fetchAudit(
  filter: AuditFilter,
  limit: number,
  offset: number,
  signal?: AbortSignal,
): Promise<AuditPage> {
  const params = new URLSearchParams({ limit: String(limit), offset: String(offset) });
  for (const [key, value] of Object.entries(filter)) if (value) params.set(key, value);
  const url = `/api/admin/audit?${params}`;
  const body = await getJson(url, signal);
  if (!isRecord(body) || !Array.isArray(body.entries) || typeof body.total !== 'number')
    throw new ApiError('invalid', url, `GET ${url}: not an audit page`);
  return body as unknown as AuditPage;
}

/** A category with its time limit in working hours (minor categories have one; majors null). */
export type CategoryLimit = IssueCategory & { timeLimitHours: number | null };

export async function listCategoryLimits(signal?: AbortSignal): Promise<CategoryLimit[]> {
  return (await fetchCategories(signal)) as CategoryLimit[];
}

/** Sets a minor category's time limit (working hours, above 0, at most 2000). */
export async function setCategoryTimeLimit(id: string, hours: number): Promise<void> {
  await sendJson('PUT', `/api/admin/categories/${encodeURIComponent(id)}`, { time_limit_hours: hours });
}
