// Logging in and out (server/auth): the session lives in an HttpOnly cookie the browser keeps.
import { sendJson } from './http';

/** Logs in; throws ApiError (status 401 for a wrong name or password, 429 when locked). */
export async function login(username: string, password: string): Promise<void> {
  await sendJson('POST', '/api/auth/login', { username, password }, { ignoreUnauthorized: true });
}

export async function logout(): Promise<void> {
  await sendJson('POST', '/api/auth/logout', undefined, { ignoreUnauthorized: true });
}
