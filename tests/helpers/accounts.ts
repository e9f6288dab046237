import { inject } from 'vitest';
import type pg from 'pg';
import { postJson } from './auth.ts';

/** A request with a JSON body and a session cookie. */
export function sendJson(
  method: 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  body: unknown,
  cookie: string,
): Promise<Response> {
  return fetch(`${inject('baseUrl')}${path}`, {
    method,
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** A username no other test uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
}

export interface CreatedAccount {
  id: number;
  username: string;
  password: string;
}

/** Creates an account through the admin API (expects 201). */
export async function createAccount(
  adminCookie: string,
  role: string,
  scope?: Record<string, string>,
  prefix = 'acct',
): Promise<CreatedAccount> {
  const username = uniqueName(prefix);
  const password = `pw of ${username} ok`;
  const res = await postJson(
    `${inject('baseUrl')}/api/admin/users`,
    { username, password, role, ...(scope ? { scope } : {}) },
    { cookie: adminCookie },
  );
  if (res.status !== 201) throw new Error(`creating ${username} failed: ${res.status} ${await res.text()}`);
  const { id } = (await res.json()) as { id: number };
  return { id, username, password };
}

/** Rows of the tables an account write touches: compared before and after a refused request. */
export async function accountRowCounts(pool: pg.Pool): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ users: number; sessions: number; audit: number; hashes: string }>(
    `select (select count(*)::int from users) as users, (select count(*)::int from sessions) as sessions,
            (select count(*)::int from audit_log) as audit,
            (select md5(string_agg(password_hash || role || disabled::text || coalesce(grid_id, '') || coalesce(community_id, '')
                                   || coalesce(display_name, '-'), ',' order by id)) from users) as hashes`,
  );
  return rows[0] as unknown as Record<string, number>;
}
