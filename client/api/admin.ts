// Administration (/admin): accounts, wall display tokens and the audit log. Admins only; the server checks
// every request and validates every write. Shapes are checked lightly here; their types are the API contract
// (shared/api/admin.ts), where times are ISO strings.
import type { z } from 'zod';
import { ApiError, getJson, isRecord, sendJson } from './http';
import { fetchCategories, type IssueCategory } from './issues';
import type { AreaScope, Role } from '../../shared/roles.ts';
import type {
  AuditPage,
  AuditQuery,
  CreatedDisplayToken,
  DisplayToken,
  SessionsEnded,
  UserSummary,
} from '../../shared/api/admin.ts';

export type { AreaScope, AuditPage, DisplayToken, Role, UserSummary };
/** Every role, in the server's order. */
export { ROLES } from '../../shared/roles.ts';

/** The audit viewer's filters as the page holds them (dates yyyy-mm-dd). */
export type AuditFilter = Pick<z.input<typeof AuditQuery>, 'actor' | 'action' | 'entity' | 'from' | 'to'>;

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

export async function resetUserPassword(id: number, password: string): Promise<SessionsEnded> {
  return (await sendJson('POST', `/api/admin/users/${id}/password`, { password })) as SessionsEnded;
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
