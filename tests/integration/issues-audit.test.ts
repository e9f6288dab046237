import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COUNTY, testPool } from '../helpers/db.ts';
import {
  api,
  demoSession,
  freshSession,
  issueCast,
  memberUnitIds,
  report,
  type IssueCast,
} from '../helpers/issues-fixtures.ts';
import { jpegWithGps, uploadPhoto } from '../helpers/photos.ts';

/**
 * Every write of the issue lifecycle leaves an audit row in the same transaction as its event row: the
 * report, each transition, the rating and each photo; a refused write leaves neither.
 */
const pool = testPool();
let { grids, reporter, dispatcher, worker } = {} as IssueCast;
let unit: string;

beforeAll(async () => {
  ({ grids, reporter, dispatcher, worker } = await issueCast(pool));
  [unit] = await memberUnitIds(pool, 1);
});
afterAll(() => pool.end());

interface AuditRow {
  action: string;
  actor: string;
  before: any;
  after: any;
  at: Date;
  txid: string;
}

/** The audit rows of one issue, oldest first, with the transaction id of the row's insert. */
async function auditOf(issueId: number): Promise<AuditRow[]> {
  const { rows } = await pool.query<AuditRow>(
    `select action, actor, before, after, at, xmin::text as txid from audit_log where county_code = $1 and target = $2 order by id`,
    [COUNTY, `issue:${issueId}`],
  );
  return rows;
}

async function eventsOf(issueId: number): Promise<{ to_state: string; at: Date; txid: string }[]> {
  const { rows } = await pool.query(
    `select to_state, at, xmin::text as txid from issue_events where county_code = $1 and issue_id = $2 order by id`,
    [COUNTY, issueId],
  );
  return rows;
}

async function go(cookie: string, id: number, body: Record<string, unknown>): Promise<void> {
  const res = await api('POST', `/api/issues/${id}/transitions`, cookie, body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

describe('audit rows of issue writes', () => {
  it('writes one audit row per report, transition, photo and rating, each in the transaction of its event', async () => {
    const issue = await report(pool, reporter.cookie, grids.workerGrid, 'street_litter', {
      contact: { name: '李四', phone: '13900001111' },
    });
    await go(worker, issue.id, { to: 'accepted' });
    await go(dispatcher, issue.id, { to: 'filed', severity: 2 });
    await go(dispatcher, issue.id, { to: 'dispatched', unit_ids: [unit] });
    await go(worker, issue.id, { to: 'signed' });
    await go(worker, issue.id, { to: 'handling' });
    expect((await uploadPhoto(worker, issue.id, await jpegWithGps(), 'after.jpg', 'image/jpeg', 'after')).status).toBe(
      201,
    );
    await go(worker, issue.id, { to: 'feedback', note: '已处理' });
    await go(dispatcher, issue.id, { to: 'verified', result: 'pass' });
    await go(dispatcher, issue.id, { to: 'closed' });
    expect((await api('POST', `/api/issues/${issue.id}/rating`, reporter.cookie, { rating: 'satisfied' })).status).toBe(
      200,
    );

    const audits = await auditOf(issue.id);
    expect(audits.map((a) => a.action)).toEqual([
      'issue.report',
      'issue.transition',
      'issue.transition',
      'issue.transition',
      'issue.transition',
      'issue.transition',
      'issue.photo',
      'issue.transition',
      'issue.transition',
      'issue.transition',
      'issue.rate',
    ]);
    const events = await eventsOf(issue.id);
    const stateAudits = audits.filter((a) => a.action !== 'issue.photo');
    expect(stateAudits.length).toBe(events.length);
    stateAudits.forEach((a, i) => {
      // Same transaction: the same transaction id, and now() is the transaction's start.
      expect(a.txid).toBe(events[i].txid);
      expect(a.at.getTime()).toBe(events[i].at.getTime());
      expect(a.after.state).toBe(events[i].to_state);
    });
    expect(audits[0]).toMatchObject({
      actor: expect.stringMatching(/^t-reporter-/),
      after: { state: 'reported', categoryId: 'street_litter', source: 'resident' },
    });
    expect(audits[3]).toMatchObject({
      actor: 'demo-dispatcher',
      before: { state: 'filed' },
      after: { state: 'dispatched', unitIds: [unit] },
    });
    const photo = audits.find((a) => a.action === 'issue.photo')!;
    expect(photo.after).toMatchObject({ kind: 'after', mediaType: 'image/jpeg' });
    const { rows } = await pool.query(
      'select xmin::text as txid from issue_photos where county_code = $1 and id = $2',
      [COUNTY, photo.after.photoId],
    );
    expect(rows[0].txid).toBe(photo.txid);
    // The audit log names the case, never the reporter's contact or text.
    const text = JSON.stringify(audits);
    for (const personal of ['李四', '13900001111', '测试上报']) expect(text).not.toContain(personal);
  });

  it('writes no audit row for a refused transition or upload', async () => {
    const issue = await report(pool, reporter.cookie, grids.workerGrid, 'street_litter');
    const before = (await auditOf(issue.id)).length;
    expect((await api('POST', `/api/issues/${issue.id}/transitions`, worker, { to: 'closed' })).status).toBe(409);
    expect(
      (await api('POST', `/api/issues/${issue.id}/transitions`, worker, { to: 'void', reason: '无效' })).status,
    ).toBe(403);
    expect(
      (await uploadPhoto(reporter.cookie, issue.id, Buffer.from('not an image at all'.repeat(10)), 'x.jpg')).status,
    ).toBe(400);
    expect((await auditOf(issue.id)).length).toBe(before);
  });
});

describe('the case history readers see', () => {
  it('names no account by its username: display names, a member unit by its name, else the role, for every reader', async () => {
    const unitAccount = await demoSession('member_unit');
    const ownUnit = (
      await pool.query(
        `select u.unit_id as id, mu.name from users u join member_units mu on mu.county_code = u.county_code and mu.id = u.unit_id
                                        where u.county_code = $1 and u.username = 'demo-member-unit'`,
        [COUNTY],
      )
    ).rows[0];
    const issue = await report(pool, reporter.cookie, grids.workerGrid, 'street_litter');
    await go(worker, issue.id, { to: 'accepted' });
    await go(dispatcher, issue.id, { to: 'filed', severity: 1 });
    await go(dispatcher, issue.id, { to: 'dispatched', unit_ids: [ownUnit.id] });
    await go(unitAccount, issue.id, { to: 'signed' });

    const usernames = (
      await pool.query<{ username: string }>('select username from users where county_code = $1', [COUNTY])
    ).rows.map((r) => r.username.toLowerCase());
    expect(usernames.length).toBeGreaterThan(5);
    const actors = (
      await pool.query<{ username: string }>(
        `select lower(u.username) as username from issue_events e join users u on u.county_code = e.county_code and u.id = e.actor_user_id
       where e.county_code = $1 and e.issue_id = $2`,
        [COUNTY, issue.id],
      )
    ).rows.map((r) => r.username);
    expect(new Set(actors).size).toBe(4);
    const strings = (v: unknown): string[] =>
      typeof v === 'string' ? [v] : v && typeof v === 'object' ? Object.values(v).flatMap(strings) : [];
    const readers = {
      reporter: reporter.cookie,
      grid_worker: worker,
      dispatcher,
      member_unit: unitAccount,
      leader: await demoSession('leader'),
      admin: await demoSession('admin'),
    };
    for (const [who, cookie] of Object.entries(readers)) {
      const detail = await api('GET', `/api/issues/${issue.id}`, cookie);
      expect(detail.status, who).toBe(200);
      const events = detail.body.events as { toState: string; actorName: string | null; role: string | null }[];
      expect(
        events.map((e) => e.toState),
        who,
      ).toEqual(['reported', 'accepted', 'filed', 'dispatched', 'signed']);
      for (const value of strings(detail.body))
        expect(usernames, `${who} reads "${value}"`).not.toContain(value.toLowerCase());
      for (const actor of actors) expect(JSON.stringify(detail.body).toLowerCase(), who).not.toContain(actor);
      expect(
        events.map((e) => [e.role, e.actorName]),
        who,
      ).toEqual([
        // The demo accounts' display names (server/auth/accounts.ts); the fresh reporter has none.
        ['reporter', null],
        ['grid_worker', '演示网格员'],
        ['dispatcher', '演示调度员'],
        ['dispatcher', '演示调度员'],
        ['member_unit', ownUnit.name],
      ]);
    }
  });

  it("shows the display name an admin gives an account, in place of a member unit's name too, and the role alone once it is removed", async () => {
    const admin = await demoSession('admin');
    const unitUser = await freshSession(pool, 'member_unit', {
      streetId: null,
      communityId: null,
      gridId: null,
      memberUnitId: unit,
    });
    const setName = async (userId: number, displayName: string | null) =>
      expect((await api('PATCH', `/api/admin/users/${userId}`, admin, { displayName })).status).toBe(200);
    await setName(reporter.userId, '居民王女士');
    await setName(unitUser.userId, '城管 · 陈队');
    const issue = await report(pool, reporter.cookie, grids.workerGrid, 'street_litter');
    await go(worker, issue.id, { to: 'accepted' });
    await go(dispatcher, issue.id, { to: 'filed', severity: 1 });
    await go(dispatcher, issue.id, { to: 'dispatched', unit_ids: [unit] });
    await go(unitUser.cookie, issue.id, { to: 'signed' });
    const usernames = (
      await pool.query<{ username: string }>('select lower(username) as username from users where id = any($1)', [
        [reporter.userId, unitUser.userId],
      ])
    ).rows.map((r) => r.username);
    expect(usernames).toHaveLength(2);
    const history = async (cookie: string) => {
      const detail = await api('GET', `/api/issues/${issue.id}`, cookie);
      expect(detail.status).toBe(200);
      for (const username of usernames) expect(JSON.stringify(detail.body).toLowerCase()).not.toContain(username);
      return (detail.body.events as { actorName: string | null; role: string | null }[]).map((e) => [
        e.role,
        e.actorName,
      ]);
    };
    for (const cookie of [reporter.cookie, dispatcher, unitUser.cookie]) {
      expect(await history(cookie)).toEqual([
        ['reporter', '居民王女士'],
        ['grid_worker', '演示网格员'],
        ['dispatcher', '演示调度员'],
        ['dispatcher', '演示调度员'],
        ['member_unit', '城管 · 陈队'],
      ]);
    }
    // Without a display name: the member unit's name, and nothing for the reporter.
    const unitName = (
      await pool.query('select name from member_units where county_code = $1 and id = $2', [COUNTY, unit])
    ).rows[0].name;
    await setName(reporter.userId, null);
    await setName(unitUser.userId, null);
    expect(await history(dispatcher)).toEqual([
      ['reporter', null],
      ['grid_worker', '演示网格员'],
      ['dispatcher', '演示调度员'],
      ['dispatcher', '演示调度员'],
      ['member_unit', unitName],
    ]);
  });
});
