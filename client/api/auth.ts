// Logging in and out (server/auth): the session lives in an HttpOnly cookie the browser keeps.
import { ApiError, getJson, sendJson } from './http';
import { SessionAnswer, type Session } from '../../shared/api/session.ts';
import type { SessionsEnded } from '../../shared/api/admin.ts';

export type { Session, UserSession } from '../../shared/api/session.ts';

const SESSION_URL = '/api/session';

/** Logs in; throws ApiError (status 401 for a wrong name or password, 429 when locked). */
export async function login(username: string, password: string): Promise<void> {
  await sendJson('POST', '/api/auth/login', { username, password }, { ignoreUnauthorized: true });
}

export async function logout(): Promise<void> {
  await sendJson('POST', '/api/auth/logout', undefined, { ignoreUnauthorized: true });
}

/** Who is logged in, or null, without a 401 (GET /api/session; GET /api/me answers the same with a 401 for
 * nobody, for API users): the session store asks once and again after a login, a logout or a password change. */
export async function fetchSession(): Promise<Session | null> {
  const body = await getJson(SESSION_URL, undefined, { ignoreUnauthorized: true });
  const parsed = SessionAnswer.safeParse(body);
  if (!parsed.success) throw new ApiError('invalid', SESSION_URL, `GET ${SESSION_URL}: not a session`);
  return parsed.data.me;
}

/** The user's own new password; throws ApiError (403 wrong current password, 400 weak new one, 429 locked). */
export async function changeOwnPassword(current: string, next: string): Promise<SessionsEnded> {
  return (await sendJson('POST', '/api/me/password', { current, next })) as SessionsEnded;
}
