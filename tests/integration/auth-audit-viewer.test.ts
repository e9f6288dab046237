// GET /api/admin/audit: filters by actor, action (or family), entity (or kind) and time; newest first; paged
// with a capped limit; bad parameters are a 400; admins only.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoAccount, loginCookie } from '../helpers/auth.ts';
import { createAccount, uniqueName } from '../helpers/accounts.ts';
import { COUNTY, testPool } from '../helpers/db.ts';

const base = inject('baseUrl');
const pool = testPool();
let admin: string;
const actor = uniqueName('auditor');
beforeAll(async () => {
  admin = await loginCookie(demoAccount('admin'));
  // Rows of one actor: three actions of two families, two kinds of target, spread over time.
  await pool.query(
    `insert into audit_log (county_code, actor, action, target, at, after) values
       ($1, $2, 'user.create', 'user:901', '2026-01-01T00:00:00Z', '{"n":1}'),
       ($1, $2, 'user.update', 'user:902', '2026-02-01T00:00:00Z', '{"n":2}'),
       ($1, $2, 'display_token.create', 'display_token:7', '2026-03-01T00:00:00Z', '{"n":3}'),
       ($1, $2, 'user.update', 'user:9010', '2026-04-01T00:00:00Z', '{"n":4}')`,
    [COUNTY, actor],
  );
});
afterAll(async () => {
  await pool.query('delete from audit_log where actor = $1', [actor]);
  await pool.end();
});

const audit = (query: string, cookie = admin) => fetch(`${base}/api/admin/audit?${query}`, { headers: { cookie } });
const ns = async (query: string) => {
  const res = await audit(query);
  expect(res.status, await res.clone().text()).toBe(200);
  const body = await res.json();
  return { total: body.total as number, n: body.entries.map((e: { after: { n: number } }) => e.after.n) as number[] };
};

describe('audit viewer', () => {
  it('filters by actor (any case), newest first', async () => {
    expect(await ns(`actor=${actor.toUpperCase()}`)).toEqual({ total: 4, n: [4, 3, 2, 1] });
  });

  it('filters by an action or its family', async () => {
    expect(await ns(`actor=${actor}&action=user.update`)).toEqual({ total: 2, n: [4, 2] });
    expect(await ns(`actor=${actor}&action=user`)).toEqual({ total: 3, n: [4, 2, 1] });
    expect(await ns(`actor=${actor}&action=user.up`)).toEqual({ total: 0, n: [] });
  });

  it('filters by an entity or its kind', async () => {
    expect(await ns(`actor=${actor}&entity=user:901`)).toEqual({ total: 1, n: [1] });
    expect(await ns(`actor=${actor}&entity=user`)).toEqual({ total: 3, n: [4, 2, 1] });
    expect(await ns(`actor=${actor}&entity=display_token`)).toEqual({ total: 1, n: [3] });
  });

  it('filters by time, from inclusive and to exclusive', async () => {
    expect(await ns(`actor=${actor}&from=2026-02-01T00:00:00Z&to=2026-04-01T00:00:00Z`)).toEqual({
      total: 2,
      n: [3, 2],
    });
    expect(await ns(`actor=${actor}&from=2026-03-15`)).toEqual({ total: 1, n: [4] });
  });

  it('pages with limit and offset, telling the total', async () => {
    expect(await ns(`actor=${actor}&limit=2`)).toEqual({ total: 4, n: [4, 3] });
    expect(await ns(`actor=${actor}&limit=2&offset=2`)).toEqual({ total: 4, n: [2, 1] });
    const body = await (await audit('limit=200')).json();
    expect(body.limit).toBe(200);
    expect(body.entries.length).toBeLessThanOrEqual(200);
  });

  it('shows what the account API writes', async () => {
    const created = await createAccount(admin, 'reporter', undefined, 'audited');
    const body = await (await audit(`entity=user:${created.id}&action=user.create`)).json();
    expect(body.entries).toHaveLength(1);
    expect(body.entries[0]).toMatchObject({
      actor: 'demo-admin',
      action: 'user.create',
      target: `user:${created.id}`,
      after: { username: created.username },
    });
  });

  it('answers bad parameters with a 400 naming them', async () => {
    for (const query of [
      'limit=201',
      'limit=0',
      'offset=-1',
      'from=yesterday',
      'to=2026-13-01',
      'from=2026-05-01&to=2026-04-01',
      'sort=at',
      `actor=${'x'.repeat(101)}`,
    ]) {
      const res = await audit(query);
      expect(res.status, query).toBe(400);
      expect((await res.json()).error.details.length, query).toBeGreaterThan(0);
    }
  });

  it('is for admins only', async () => {
    expect((await audit('limit=1', await loginCookie(demoAccount('leader')))).status).toBe(403);
    expect((await fetch(`${base}/api/admin/audit`)).status).toBe(401);
  });
});
