// Logging in and out (server/auth): the session lives in an HttpOnly cookie the browser keeps.
import { sendJson } from './http';

/** Logs in; throws ApiError (status 401 for a wrong name or password, 429 when locked). */
export async function login(username: string, password: string): Promise<void> {
  await sendJson('POST', '/api/auth/login', { username, password }, { ignoreUnauthorized: true });
}

export async function logout(): Promise<void> {
  await sendJson('POST', '/api/auth/logout', undefined, { ignoreUnauthorized: true });
}

/** Who is logged in (GET /api/me); null for nobody. Never redirects: the caller decides. */
export interface Me {
  kind: 'user' | 'wall';
  username?: string;
  /** What others see of the account (the case history); null when it has none. */
  displayName?: string | null;
  role: string;
  permissions: string[];
}

/** Who is logged in, or null, without a 401 (GET /api/session): for the page frame, which asks on every page. */
export async function fetchSession(): Promise<Me | null> {
  const response = await fetch('/api/session', { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`GET /api/session: HTTP ${response.status}`);
  return ((await response.json()) as { me: Me | null }).me;
}

export async function fetchMe(): Promise<Me | null> {
  const response = await fetch('/api/me', { headers: { Accept: 'application/json' } });
  if (response.status === 401) return null;
  if (!response.ok) throw new Error(`GET /api/me: HTTP ${response.status}`);
  return (await response.json()) as Me;
}

/** The user's own new password; throws ApiError (403 wrong current password, 400 weak new one, 429 locked). */
export async function changeOwnPassword(current: string, next: string): Promise<{ sessionsEnded: number }> {
  return (await sendJson('POST', '/api/me/password', { current, next })) as { sessionsEnded: number };
}
