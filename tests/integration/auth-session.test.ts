import { afterAll, describe, expect, inject, it } from 'vitest';
import { cookieFrom, demoAccount, loginCookie, postJson } from '../helpers/auth.ts';
import { testPool } from '../helpers/db.ts';
import { hashToken } from '../../server/auth/tokens.ts';

const base = inject('baseUrl');
const pool = testPool();
afterAll(() => pool.end());

const me = (cookie?: string) => fetch(`${base}/api/me`, { headers: cookie ? { cookie } : {} });

describe('login, /api/me, logout', () => {
  it('answers /api/session to anyone: null before a login, the account and its permissions after', async () => {
    const session = async (cookie?: string) => {
      const res = await fetch(`${base}/api/session`, { headers: cookie ? { cookie } : {} });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      return (await res.json()).me;
    };
    expect(await session()).toBeNull();
    const cookie = await loginCookie(demoAccount('leader'));
    const mine = await session(cookie);
    expect(mine).toEqual(await (await me(cookie)).json());
    expect(mine).toMatchObject({ kind: 'user', role: 'leader' });
    expect(mine.permissions).toContain('map:read');
  });

  it('answers /api/me with 401 in the error shape when not logged in', async () => {
    const res = await me();
    expect(res.status).toBe(401);
    const body = await res.json();
    expect(body).toEqual({ error: { code: 'Unauthorized', message: expect.any(String), details: null } });
  });

  it('logs in with a session cookie that is HttpOnly, SameSite=Strict, Path=/, not Secure over http', async () => {
    const account = demoAccount('leader');
    const res = await postJson(`${base}/api/auth/login`, { username: account.username, password: account.password });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ kind: 'user', username: account.username, role: 'leader' });
    expect(body.permissions).toContain('people:read-masked');
    expect(JSON.stringify(body)).not.toContain(account.password);
    const line = res.headers.getSetCookie().find((c) => c.startsWith('gridlink_session='))!;
    expect(line).toMatch(/; HttpOnly/);
    expect(line).toMatch(/; SameSite=Strict/);
    expect(line).toMatch(/; Path=\//);
    expect(line).toMatch(/; Max-Age=\d+/);
    expect(line).not.toMatch(/Secure/);
    // The database keeps the token's hash only.
    const token = line.split(';')[0].split('=')[1];
    const { rows } = await pool.query('select token_hash from sessions where token_hash in ($1, $2)', [
      token,
      hashToken(token),
    ]);
    expect(rows.map((r) => r.token_hash)).toEqual([hashToken(token)]);
  });

  it('marks the cookie Secure when the request came over https through a trusted proxy only', async () => {
    const account = demoAccount('planner');
    // The test server does not trust X-Forwarded-Proto (TRUST_PROXY unset): a client cannot fake https.
    const res = await postJson(
      `${base}/api/auth/login`,
      { username: account.username, password: account.password },
      { 'x-forwarded-proto': 'https' },
    );
    expect(res.headers.getSetCookie().find((c) => c.startsWith('gridlink_session='))).not.toMatch(/Secure/);
  });

  it('shows who is logged in, with the area scope, and logs out on the server', async () => {
    const account = demoAccount('grid_worker');
    const cookie = await loginCookie(account);
    const res = await me(cookie);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ kind: 'user', role: 'grid_worker', username: account.username });
    expect(body.scope.gridId).toMatch(/^G\d+/);
    expect(body.scope.communityId).toMatch(/^C\d+/);

    const out = await fetch(`${base}/api/auth/logout`, { method: 'POST', headers: { cookie } });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie().some((c) => c.startsWith('gridlink_session=;'))).toBe(true);
    // The old cookie no longer works: the session is gone from the database, not only from the browser.
    expect((await me(cookie)).status).toBe(401);
    const token = cookie.split('=')[1];
    const { rowCount } = await pool.query('select 1 from sessions where token_hash = $1', [hashToken(token)]);
    expect(rowCount).toBe(0);
    const audit = await pool.query(`select action from audit_log where actor = $1 order by id`, [account.username]);
    expect(audit.rows.map((r) => r.action)).toEqual(expect.arrayContaining(['auth.login', 'auth.logout']));
  });

  it('starts a new session at each login and ends the one the browser still held', async () => {
    const account = demoAccount('leader');
    const first = await loginCookie(account);
    const res = await postJson(
      `${base}/api/auth/login`,
      { username: account.username, password: account.password },
      { cookie: first },
    );
    const second = cookieFrom(res, 'gridlink_session');
    expect(second).not.toBe(first);
    expect((await me(first)).status).toBe(401);
    expect((await me(second)).status).toBe(200);
  });

  it('expires sessions on the server', async () => {
    const cookie = await loginCookie(demoAccount('reporter'));
    expect((await me(cookie)).status).toBe(200);
    await pool.query(`update sessions set expires_at = now() - interval '1 second' where token_hash = $1`, [
      hashToken(cookie.split('=')[1]),
    ]);
    expect((await me(cookie)).status).toBe(401);
  });

  it('gives a wrong password and an unknown user the identical answer', async () => {
    const account = demoAccount('planner');
    const wrong = await postJson(`${base}/api/auth/login`, {
      username: account.username,
      password: 'not-the-password',
    });
    const unknown = await postJson(`${base}/api/auth/login`, { username: 'nobody-here', password: 'not-the-password' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.text()).toBe(await unknown.text());
    expect(wrong.headers.getSetCookie()).toEqual([]);
    expect(unknown.headers.getSetCookie()).toEqual([]);
  });

  it('takes about as long for an unknown user as for a wrong password', async () => {
    const account = demoAccount('reporter');
    const time = async (username: string) => {
      // A clean slate each time, so that no throttling delay enters the measurement.
      await pool.query('delete from login_attempts');
      const t = performance.now();
      const res = await postJson(`${base}/api/auth/login`, { username, password: 'wrong-wrong' });
      expect(res.status).toBe(401);
      return performance.now() - t;
    };
    const known: number[] = [];
    const missing: number[] = [];
    for (let i = 0; i < 3; i++) {
      known.push(await time(account.username));
      missing.push(await time('missing-user-timing'));
    }
    // Both run one scrypt (tens of ms); a missing user without it would answer in about a millisecond.
    expect(Math.min(...missing)).toBeGreaterThan(Math.min(...known) / 3);
    await pool.query('delete from login_attempts');
  });
});

describe('input at the edge', () => {
  it.each([
    ['an unknown field', { username: 'a', password: 'b', admin: true }],
    ['a missing password', { username: 'a' }],
    ['a number for a name', { username: 1, password: 'b' }],
  ])('rejects a login body with %s: 400 with details', async (_label, body) => {
    const res = await postJson(`${base}/api/auth/login`, body);
    expect(res.status).toBe(400);
    const json = await res.json();
    expect(json.error.code).toBe('InvalidBody');
    expect(json.error.details.length).toBeGreaterThan(0);
  });

  it('answers malformed JSON with 400 and a body over 100 kB with 413', async () => {
    const bad = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"username":',
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe('InvalidBody');
    const big = await postJson(`${base}/api/auth/login`, { username: 'a', password: 'x'.repeat(120_000) });
    expect(big.status).toBe(413);
    expect((await big.json()).error.code).toBe('PayloadTooLarge');
  });

  it('refuses cross-site writes (Origin or Referer of another host) with 403', async () => {
    const account = demoAccount('admin');
    const body = { username: account.username, password: account.password };
    const host = new URL(base).host;
    for (const headers of [
      { origin: 'https://evil.example' },
      { referer: 'https://evil.example/page' },
      { origin: 'null' },
    ] as Record<string, string>[]) {
      const res = await postJson(`${base}/api/auth/login`, body, headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect((await res.json()).error.code).toBe('CrossSiteRequest');
    }
    const cookie = await loginCookie(account);
    const logout = await fetch(`${base}/api/auth/logout`, {
      method: 'POST',
      headers: { cookie, origin: `http://other-${host}` },
    });
    expect(logout.status).toBe(403);
    expect((await me(cookie)).status).toBe(200);
    const same = await postJson(`${base}/api/auth/login`, body, { origin: `http://${host}` });
    expect(same.status).toBe(200);
    expect(cookieFrom(same, 'gridlink_session')).toMatch(/^gridlink_session=/);
  });

  it('sends security headers with a content security policy that allows the map', async () => {
    const res = await fetch(`${base}/inspect`);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("worker-src 'self' blob:");
    expect(csp).toContain("img-src 'self' data: blob:");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });
});
