// Accounts over HTTP: admins list, create, change role / scope, disable / enable and reset passwords; every
// write in one transaction with an audit row (never a hash); refused input writes nothing; the last admin stays.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoAccount, loginCookie, postJson } from '../helpers/auth.ts';
import { accountRowCounts, createAccount, sendJson, uniqueName } from '../helpers/accounts.ts';
import { COUNTY, testPool } from '../helpers/db.ts';

const base = inject('baseUrl');
const pool = testPool();
let admin: string;
let adminId: number;

beforeAll(async () => {
  admin = await loginCookie(demoAccount('admin'));
  adminId = (await pool.query(`select id from users where username = 'demo-admin'`)).rows[0].id;
});
afterAll(() => pool.end());

const me = (cookie: string) => fetch(`${base}/api/me`, { headers: { cookie } });
const auditOf = async (target: string): Promise<{ actor: string; action: string; before: unknown; after: unknown }[]> =>
  (await pool.query(`select actor, action, before, after from audit_log where target = $1 order by id`, [target])).rows;

/** The request is refused with `status` and changes no row of users, sessions or the audit log. */
async function expectRefused(request: () => Promise<Response>, status: number, code?: string) {
  const before = await accountRowCounts(pool);
  const res = await request();
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(status);
  expect(body.error).toMatchObject({ message: expect.any(String), ...(code ? { code } : {}) });
  expect(await accountRowCounts(pool)).toEqual(before);
  return body;
}

describe('admin: users', () => {
  it('lists every account with role, area scope, state and last login, never a hash', async () => {
    const res = await fetch(`${base}/api/admin/users`, { headers: { cookie: admin } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const { users } = await res.json();
    const fromDb = (await pool.query(`select count(*)::int as n from users where county_code = $1`, [COUNTY])).rows[0]
      .n;
    expect(users).toHaveLength(fromDb);
    const worker = users.find((u: { username: string }) => u.username === 'demo-grid-worker');
    expect(worker).toMatchObject({
      role: 'grid_worker',
      disabled: false,
      scope: { gridId: expect.stringMatching(/^G/), communityId: expect.stringMatching(/^C/) },
    });
    const self = users.find((u: { id: number }) => u.id === adminId);
    expect(Date.now() - new Date(self.lastLoginAt).getTime()).toBeLessThan(10 * 60_000);
    expect(JSON.stringify(users)).not.toMatch(/scrypt|password/i);
  });

  it('creates an account that can log in; the audit row has no hash', async () => {
    const username = uniqueName('new');
    const password = 'correct horse battery';
    const res = await postJson(
      `${base}/api/admin/users`,
      { username, password, role: 'dispatcher', scope: { communityId: 'C02' } },
      { cookie: admin },
    );
    expect(res.status).toBe(201);
    const user = await res.json();
    expect(user).toMatchObject({
      username,
      role: 'dispatcher',
      disabled: false,
      lastLoginAt: null,
      scope: { communityId: 'C02', gridId: null },
    });
    // The street is filled in from the community, in SQL.
    const street = (
      await pool.query(`select street_id from communities where county_code = $1 and id = 'C02'`, [COUNTY])
    ).rows[0].street_id;
    expect(user.scope.streetId).toBe(street);
    const row = (await pool.query('select password_hash from users where id = $1', [user.id])).rows[0];
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(row.password_hash).not.toContain(password);
    const audit = await auditOf(`user:${user.id}`);
    expect(audit).toEqual([
      {
        actor: 'demo-admin',
        action: 'user.create',
        before: null,
        after: { username, displayName: null, role: 'dispatcher', scope: user.scope, disabled: false },
      },
    ]);
    expect(JSON.stringify(audit)).not.toMatch(/scrypt|horse/);
    const cookie = await loginCookie({ username, password });
    expect((await (await me(cookie)).json()).role).toBe('dispatcher');
  });

  it('refuses bad input with a 4xx and writes nothing', async () => {
    const existing = demoAccount('reporter').username;
    const create = (body: unknown) => () => postJson(`${base}/api/admin/users`, body, { cookie: admin });
    const ok = { username: uniqueName('bad'), password: 'a long enough password', role: 'reporter' };
    await expectRefused(create({}), 400, 'InvalidBody');
    await expectRefused(create({ ...ok, admin: true }), 400, 'InvalidBody');
    await expectRefused(create({ ...ok, role: 'superuser' }), 400, 'InvalidBody');
    await expectRefused(create({ ...ok, username: 'no spaces allowed' }), 400, 'InvalidBody');
    await expectRefused(create({ ...ok, password: 'short' }), 400, 'WeakPassword');
    await expectRefused(
      create({ ...ok, username: 'Bad-Password-User', password: 'bad-password-user' }),
      400,
      'WeakPassword',
    );
    await expectRefused(create({ ...ok, role: 'grid_worker' }), 400, 'InvalidScope');
    await expectRefused(create({ ...ok, role: 'dispatcher', scope: { communityId: 'C999' } }), 400, 'InvalidScope');
    await expectRefused(create({ ...ok, scope: { gridId: 'G001', communityId: 'C09' } }), 400, 'InvalidScope');
    await expectRefused(create({ ...ok, username: existing.toUpperCase() }), 409, 'UsernameTaken');
  });

  it('changes role and area scope, with before and after in the audit log', async () => {
    const account = await createAccount(admin, 'reporter');
    const res = await sendJson(
      'PATCH',
      `/api/admin/users/${account.id}`,
      { role: 'grid_worker', scope: { gridId: 'G003' } },
      admin,
    );
    expect(res.status).toBe(200);
    const after = await res.json();
    expect(after).toMatchObject({
      role: 'grid_worker',
      scope: { gridId: 'G003', communityId: expect.stringMatching(/^C/), streetId: expect.any(String) },
    });
    const rows = await auditOf(`user:${account.id}`);
    expect(rows.at(-1)).toMatchObject({
      action: 'user.update',
      before: { role: 'reporter', scope: { gridId: null } },
      after: { role: 'grid_worker', scope: { gridId: 'G003' } },
    });
    // The role takes effect on the next request of a live session.
    const cookie = await loginCookie(account);
    await sendJson('PATCH', `/api/admin/users/${account.id}`, { role: 'leader', scope: {} }, admin);
    expect(await (await me(cookie)).json()).toMatchObject({
      role: 'leader',
      scope: { gridId: null, communityId: null, streetId: null },
    });

    const patch = (id: number | string, body: unknown) => () =>
      sendJson('PATCH', `/api/admin/users/${id}`, body, admin);
    await expectRefused(patch(account.id, {}), 400, 'InvalidBody');
    await expectRefused(patch(account.id, { role: 'grid_worker' }), 400, 'InvalidScope');
    await expectRefused(patch(account.id, { role: 'dispatcher', scope: { streetId: 'S99' } }), 400, 'InvalidScope');
    await expectRefused(patch(account.id, { disabled: 'yes' }), 400, 'InvalidBody');
    await expectRefused(patch(account.id, { password: 'a long enough password' }), 400, 'InvalidBody');
    await expectRefused(patch('abc', { disabled: true }), 400);
    await expectRefused(patch(999999999, { disabled: true }), 404);
  });

  it('sets, changes and removes a display name, trimmed, with before and after in the audit log', async () => {
    const username = uniqueName('named');
    const res = await postJson(
      `${base}/api/admin/users`,
      { username, displayName: '  张三  ', password: 'a long enough password', role: 'reporter' },
      { cookie: admin },
    );
    expect(res.status).toBe(201);
    const user = await res.json();
    expect(user).toMatchObject({ username, displayName: '张三' });
    expect((await pool.query('select display_name from users where id = $1', [user.id])).rows[0].display_name).toBe(
      '张三',
    );
    expect((await auditOf(`user:${user.id}`))[0]).toMatchObject({
      action: 'user.create',
      after: { username, displayName: '张三' },
    });
    const listed = (await (await fetch(`${base}/api/admin/users`, { headers: { cookie: admin } })).json()).users.find(
      (u: { id: number }) => u.id === user.id,
    );
    expect(listed.displayName).toBe('张三');

    const patch = (body: unknown) => sendJson('PATCH', `/api/admin/users/${user.id}`, body, admin);
    const renamed = await patch({ displayName: '李四 (Li Si)' });
    expect(renamed.status).toBe(200);
    expect(await renamed.json()).toMatchObject({ displayName: '李四 (Li Si)', role: 'reporter' });
    expect((await auditOf(`user:${user.id}`)).at(-1)).toMatchObject({
      action: 'user.update',
      before: { displayName: '张三' },
      after: { displayName: '李四 (Li Si)' },
    });
    // The account itself reads its name, on the next request of a live session too.
    const cookie = await loginCookie({ username, password: 'a long enough password' });
    expect(await (await me(cookie)).json()).toMatchObject({ username, displayName: '李四 (Li Si)' });
    expect((await patch({ displayName: '李四' })).status).toBe(200);
    expect((await (await fetch(`${base}/api/session`, { headers: { cookie } })).json()).me).toMatchObject({
      username,
      displayName: '李四',
    });
    expect((await patch({ displayName: '李四 (Li Si)' })).status).toBe(200);
    // Other changes keep the name; null removes it.
    expect(await (await patch({ disabled: true })).json()).toMatchObject({
      displayName: '李四 (Li Si)',
      disabled: true,
    });
    expect(await (await patch({ displayName: null })).json()).toMatchObject({ displayName: null, disabled: true });
    expect((await auditOf(`user:${user.id}`)).at(-1)).toMatchObject({
      action: 'user.update',
      before: { displayName: '李四 (Li Si)' },
      after: { displayName: null },
    });
    expect(
      (await pool.query('select display_name from users where id = $1', [user.id])).rows[0].display_name,
    ).toBeNull();
  });

  it('refuses a bad display name with a 400 saying why, and writes nothing', async () => {
    const account = await createAccount(admin, 'reporter');
    expect((await sendJson('PATCH', `/api/admin/users/${account.id}`, { displayName: '王五' }, admin)).status).toBe(
      200,
    );
    const create = (displayName: unknown) => () =>
      postJson(
        `${base}/api/admin/users`,
        { username: uniqueName('badname'), displayName, password: 'a long enough password', role: 'reporter' },
        { cookie: admin },
      );
    const patch = (displayName: unknown) => () =>
      sendJson('PATCH', `/api/admin/users/${account.id}`, { displayName }, admin);
    const bad: [unknown, RegExp][] = [
      ['', /must not be empty/],
      ['   \u3000 ', /must not be empty/],
      ['名'.repeat(65), /at most 64 characters/],
      ['a\u0000b', /NUL/],
      ['bell\u0007', /control/],
      ['c1\u0085', /control/],
      ['tab\there', /control/],
      ['line\nbreak', /control/],
      ['\u202Enimda', /control/],
      ['zero\u200Bwidth', /control/],
      ['lone \uD800 surrogate', /control/],
      [42, /displayName/],
      [['张三'], /displayName/],
    ];
    for (const [value, message] of bad) {
      const created = await expectRefused(create(value), 400, 'InvalidBody');
      expect(created.error.message, JSON.stringify(value)).toMatch(message);
      const patched = await expectRefused(patch(value), 400, 'InvalidBody');
      expect(patched.error.message, JSON.stringify(value)).toMatch(message);
    }
    await expectRefused(create(null), 400, 'InvalidBody');
    // 64 characters (emoji count as one each) are fine.
    const longest = '😀'.repeat(64);
    expect(
      await (await sendJson('PATCH', `/api/admin/users/${account.id}`, { displayName: longest }, admin)).json(),
    ).toMatchObject({ displayName: longest });
  });

  it('disabling ends the sessions and stops logins; enabling allows them again', async () => {
    const account = await createAccount(admin, 'planner');
    const first = await loginCookie(account);
    const second = await loginCookie(account);
    const res = await sendJson('PATCH', `/api/admin/users/${account.id}`, { disabled: true }, admin);
    expect(res.status).toBe(200);
    expect((await res.json()).disabled).toBe(true);
    expect((await me(first)).status).toBe(401);
    expect((await me(second)).status).toBe(401);
    expect(
      (await pool.query('select count(*)::int as n from sessions where user_id = $1', [account.id])).rows[0].n,
    ).toBe(0);
    expect(
      (await postJson(`${base}/api/auth/login`, { username: account.username, password: account.password })).status,
    ).toBe(401);
    expect((await auditOf(`user:${account.id}`)).at(-1)).toMatchObject({
      action: 'user.disable',
      before: { disabled: false },
      after: { disabled: true, sessionsEnded: 2 },
    });

    expect((await sendJson('PATCH', `/api/admin/users/${account.id}`, { disabled: false }, admin)).status).toBe(200);
    expect((await auditOf(`user:${account.id}`)).at(-1)).toMatchObject({
      action: 'user.enable',
      after: { disabled: false },
    });
    expect((await me(await loginCookie(account))).status).toBe(200);
  });

  it('resets a password: every session of the account ends, the old password stops working', async () => {
    const account = await createAccount(admin, 'leader');
    const cookie = await loginCookie(account);
    const reset = (body: unknown) => () => sendJson('POST', `/api/admin/users/${account.id}/password`, body, admin);
    await expectRefused(reset({ password: 'short' }), 400, 'WeakPassword');
    await expectRefused(reset({ password: account.username }), 400, 'WeakPassword');
    await expectRefused(reset({ password: 'a long enough password', extra: 1 }), 400, 'InvalidBody');
    await expectRefused(
      () => sendJson('POST', '/api/admin/users/999999999/password', { password: 'a long enough password' }, admin),
      404,
    );

    const res = await reset({ password: 'a brand new password' })();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sessionsEnded: 1 });
    expect((await me(cookie)).status).toBe(401);
    expect(
      (await postJson(`${base}/api/auth/login`, { username: account.username, password: account.password })).status,
    ).toBe(401);
    expect((await me(await loginCookie({ username: account.username, password: 'a brand new password' }))).status).toBe(
      200,
    );
    const row = (await auditOf(`user:${account.id}`)).filter((r) => r.action === 'user.password_reset').at(-1);
    expect(row).toMatchObject({ actor: 'demo-admin', action: 'user.password_reset', after: { sessionsEnded: 1 } });
    expect(JSON.stringify(row)).not.toMatch(/scrypt|brand new/);
  });

  it('never disables or demotes the last enabled admin', async () => {
    const [{ n }] = (await pool.query(`select count(*)::int as n from users where role = 'admin' and not disabled`))
      .rows;
    expect(n).toBe(1);
    const self = (body: unknown) => () => sendJson('PATCH', `/api/admin/users/${adminId}`, body, admin);
    await expectRefused(self({ disabled: true }), 409, 'LastAdmin');
    await expectRefused(self({ role: 'leader' }), 409, 'LastAdmin');

    // With a second admin, either of them may go; then the remaining one is the last again.
    const second = await createAccount(admin, 'admin');
    const secondCookie = await loginCookie(second);
    expect((await sendJson('PATCH', `/api/admin/users/${second.id}`, { role: 'planner' }, secondCookie)).status).toBe(
      200,
    );
    expect((await sendJson('PATCH', `/api/admin/users/${second.id}`, { role: 'admin' }, admin)).status).toBe(200);
    expect((await sendJson('PATCH', `/api/admin/users/${second.id}`, { disabled: true }, admin)).status).toBe(200);
    await expectRefused(self({ disabled: true }), 409, 'LastAdmin');
    // A disabled admin stays an admin in name: enabling it is no demotion and is allowed.
    expect((await sendJson('PATCH', `/api/admin/users/${second.id}`, { disabled: false }, admin)).status).toBe(200);
    expect((await sendJson('PATCH', `/api/admin/users/${second.id}`, { disabled: true }, admin)).status).toBe(200);
  });

  it('two admins demoting each other at once leave one admin', async () => {
    const other = await createAccount(admin, 'admin');
    const otherCookie = await loginCookie(other);
    const [a, b] = await Promise.all([
      sendJson('PATCH', `/api/admin/users/${other.id}`, { role: 'leader' }, admin),
      sendJson('PATCH', `/api/admin/users/${adminId}`, { role: 'leader' }, otherCookie),
    ]);
    // The loser is refused by the last-admin rule (409), or, when the winner committed first, as no admin any more (403).
    expect([a.status, b.status].filter((s) => s === 200)).toHaveLength(1);
    expect([a.status, b.status].filter((s) => s === 409 || s === 403)).toHaveLength(1);
    const admins = (await pool.query(`select username from users where role = 'admin' and not disabled`)).rows;
    expect(admins).toHaveLength(1);
    // Put the demo admin back if it was the one demoted (other test files log in as it).
    if (admins[0].username !== 'demo-admin') {
      const restore = await sendJson('PATCH', `/api/admin/users/${adminId}`, { role: 'admin' }, otherCookie);
      expect(restore.status).toBe(200);
      expect(
        (
          await sendJson(
            'PATCH',
            `/api/admin/users/${other.id}`,
            { disabled: true },
            await loginCookie(demoAccount('admin')),
          )
        ).status,
      ).toBe(200);
    }
  });

  it('is refused to every other role, with nothing written', async () => {
    const leader = await loginCookie(demoAccount('leader'));
    await expectRefused(
      () =>
        postJson(
          `${base}/api/admin/users`,
          { username: uniqueName('x'), password: 'a long enough password', role: 'admin' },
          { cookie: leader },
        ),
      403,
    );
    await expectRefused(() => sendJson('PATCH', `/api/admin/users/${adminId}`, { disabled: true }, leader), 403);
    await expectRefused(
      () => sendJson('POST', `/api/admin/users/${adminId}/password`, { password: 'a long enough password' }, leader),
      403,
    );
    expect((await fetch(`${base}/api/admin/users`, { headers: { cookie: leader } })).status).toBe(403);
  });
});
