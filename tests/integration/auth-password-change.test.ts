// POST /api/me/password: the current password is checked like a login (a wrong one counts toward the lock),
// the new one follows the policy, the user's other sessions end and this one stays.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoAccount, loginCookie, postJson } from '../helpers/auth.ts';
import { accountRowCounts, createAccount, sendJson } from '../helpers/accounts.ts';
import { testPool } from '../helpers/db.ts';

const base = inject('baseUrl');
const pool = testPool();
let admin: string;
beforeAll(async () => {
  admin = await loginCookie(demoAccount('admin'));
});
afterAll(() => pool.end());

const me = (cookie: string) => fetch(`${base}/api/me`, { headers: { cookie } });
const change = (cookie: string, body: unknown) => sendJson('POST', '/api/me/password', body, cookie);
const failuresOf = async (username: string) =>
  (
    await pool.query(
      `select failures from login_attempts where key like 'pair:%' and split_part(key, ' ', 2) = lower($1)`,
      [username],
    )
  ).rows[0]?.failures ?? 0;

describe('own password change', () => {
  it('needs the current password, ends the other sessions and keeps this one', async () => {
    const account = await createAccount(admin, 'reporter', undefined, 'pwchange');
    const here = await loginCookie(account);
    const elsewhere = await loginCookie(account);
    const next = 'my new secret phrase';

    const before = await accountRowCounts(pool);
    const wrong = await change(here, { current: 'not my password', next });
    expect(wrong.status).toBe(403);
    expect((await wrong.json()).error.code).toBe('WrongPassword');
    expect(await accountRowCounts(pool)).toEqual(before);
    // It counts toward the login throttle of the username.
    expect(await failuresOf(account.username)).toBe(1);

    const res = await change(here, { current: account.password, next });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sessionsEnded: 1 });
    expect((await me(here)).status).toBe(200);
    expect((await me(elsewhere)).status).toBe(401);
    expect(
      (await postJson(`${base}/api/auth/login`, { username: account.username, password: account.password })).status,
    ).toBe(401);
    expect((await me(await loginCookie({ username: account.username, password: next }))).status).toBe(200);
    const audit = (
      await pool.query(
        `select actor, action, after from audit_log where target = $1 and action = 'user.password_change'`,
        [`user:${account.id}`],
      )
    ).rows;
    expect(audit).toEqual([{ actor: account.username, action: 'user.password_change', after: { sessionsEnded: 1 } }]);
  });

  it('refuses a weak or unchanged new password and malformed bodies, writing and counting nothing', async () => {
    const account = await createAccount(admin, 'planner', undefined, 'pwweak');
    const cookie = await loginCookie(account);
    const cases: [unknown, string][] = [
      [{ current: account.password, next: 'short' }, 'WeakPassword'],
      [{ current: account.password, next: account.username.toUpperCase() }, 'WeakPassword'],
      [{ current: account.password, next: account.password }, 'WeakPassword'],
      [{ current: account.password }, 'InvalidBody'],
      [{ current: account.password, next: 'a long enough password', admin: true }, 'InvalidBody'],
      [{ current: '', next: 'a long enough password' }, 'InvalidBody'],
    ];
    for (const [body, code] of cases) {
      const before = await accountRowCounts(pool);
      const res = await change(cookie, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await res.json()).error.code).toBe(code);
      expect(await accountRowCounts(pool)).toEqual(before);
    }
    expect(await failuresOf(account.username)).toBe(0);
  });

  it('locks after repeated wrong current passwords, like the login', async () => {
    const account = await createAccount(admin, 'leader', undefined, 'pwlock');
    const cookie = await loginCookie(account);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await change(cookie, { current: `wrong ${i}`, next: 'a long enough password' })).status);
    expect(statuses).toEqual([403, 403, 403, 403, 403]);
    const locked = await change(cookie, { current: account.password, next: 'a long enough password' });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    // The password did not change.
    await pool.query(`delete from login_attempts where key like 'pair:%' and split_part(key, ' ', 2) = lower($1)`, [
      account.username,
    ]);
    expect(
      (await postJson(`${base}/api/auth/login`, { username: account.username, password: account.password })).status,
    ).toBe(200);
  });

  it('is for accounts only', async () => {
    expect((await postJson(`${base}/api/me/password`, { current: 'x', next: 'a long enough password' })).status).toBe(
      401,
    );
  });
});
