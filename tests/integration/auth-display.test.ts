import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cookieFrom, demoAccount, loginCookie, postJson } from '../helpers/auth.ts';
import { testPool } from '../helpers/db.ts';
import { hashToken } from '../../server/auth/tokens.ts';

const base = inject('baseUrl');
const pool = testPool();
let admin: string;
beforeAll(async () => {
  admin = await loginCookie(demoAccount('admin'));
});
afterAll(() => pool.end());

async function createToken(screen: string) {
  const res = await postJson(`${base}/api/admin/display-tokens`, { screen }, { cookie: admin });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: number; screen: string; token: string; url: string };
}

describe('wall display tokens', () => {
  it('are created by an admin, shown once, stored as a hash, listed without the secret', async () => {
    const created = await createToken('指挥中心 4K 大屏');
    expect(created.token).toMatch(/^[\w-]{43}$/);
    expect(created.url).toBe(`${base}/wall?token=${created.token}`);
    const { rows } = await pool.query('select token_hash, screen from display_tokens where id = $1', [created.id]);
    expect(rows[0]).toEqual({ token_hash: hashToken(created.token), screen: '指挥中心 4K 大屏' });
    const list = await (await fetch(`${base}/api/admin/display-tokens`, { headers: { cookie: admin } })).json();
    expect(list.displayTokens.map((t: { id: number }) => t.id)).toContain(created.id);
    expect(JSON.stringify(list)).not.toContain(created.token);
    expect(JSON.stringify(list)).not.toContain(hashToken(created.token));
    const audit = await pool.query(
      `select actor, after from audit_log where action = 'display_token.create' and target = $1`,
      [`display_token:${created.id}`],
    );
    expect(audit.rows[0].actor).toBe('demo-admin');
    expect(audit.rows[0].after.screen).toBe('指挥中心 4K 大屏');
  });

  it('reject an unknown field or an empty screen name', async () => {
    for (const body of [{ screen: '' }, { screen: 'a', role: 'admin' }, {}]) {
      const res = await postJson(`${base}/api/admin/display-tokens`, body, { cookie: admin });
      expect(res.status).toBe(400);
    }
  });

  it('are exchanged on /wall for a cookie and the wall role, then dropped from the address', async () => {
    const { token } = await createToken('wall A');
    const res = await fetch(`${base}/wall?token=${token}&lang=en`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/wall?lang=en');
    const line = res.headers.getSetCookie().find((c) => c.startsWith('gridlink_display='))!;
    expect(line).toMatch(/; HttpOnly/);
    expect(line).toMatch(/; SameSite=Strict/);
    const cookie = cookieFrom(res, 'gridlink_display');
    const me = await (await fetch(`${base}/api/me`, { headers: { cookie } })).json();
    expect(me).toEqual({ kind: 'wall', role: 'wall', screen: 'wall A', permissions: ['map:read', 'aggregates:read'] });
    // Read-only: the wall may not change anything an admin may.
    expect((await postJson(`${base}/api/admin/display-tokens`, { screen: 'x' }, { cookie })).status).toBe(403);
  });

  it('work as ?token= on any request, answered in place', async () => {
    const { token } = await createToken('wall B');
    const me = await fetch(`${base}/api/me?token=${token}`);
    expect(me.status).toBe(200);
    expect((await me.json()).screen).toBe('wall B');
    expect(me.headers.getSetCookie().some((c) => c.startsWith('gridlink_display='))).toBe(true);
    // The token is taken off before the route sees its parameters.
    const items = await fetch(`${base}/ogc/collections/grids/items?limit=1&token=${token}`);
    expect(items.status).toBe(200);
    expect(await items.text()).not.toContain(token);
  });

  it('once revoked, answer 401 and no longer identify the wall', async () => {
    const { id, token } = await createToken('wall C');
    const cookie = cookieFrom(await fetch(`${base}/wall?token=${token}`, { redirect: 'manual' }), 'gridlink_display');
    const revoke = await fetch(`${base}/api/admin/display-tokens/${id}`, {
      method: 'DELETE',
      headers: { cookie: admin },
    });
    expect(revoke.status).toBe(200);
    expect((await revoke.json()).revokedAt).toBeTruthy();
    const res = await fetch(`${base}/wall?token=${token}`, { redirect: 'manual' });
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('InvalidToken');
    expect((await fetch(`${base}/api/me`, { headers: { cookie } })).status).toBe(401);
    const audit = await pool.query(
      `select before, after from audit_log where action = 'display_token.revoke' and target = $1`,
      [`display_token:${id}`],
    );
    expect(audit.rows[0].before.revokedAt).toBeNull();
    expect(audit.rows[0].after.revokedAt).toBeTruthy();
    expect(
      (await fetch(`${base}/api/admin/display-tokens/99999999`, { method: 'DELETE', headers: { cookie: admin } }))
        .status,
    ).toBe(404);
  });

  it('answer 401 for a token that never existed', async () => {
    expect((await fetch(`${base}/wall?token=not-a-token`, { redirect: 'manual' })).status).toBe(401);
  });
});
