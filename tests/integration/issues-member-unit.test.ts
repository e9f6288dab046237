import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { COUNTY, testPool } from '../helpers/db.ts';
import { openSse } from '../helpers/wall-sse.ts';
import { queryRecentTickerItems } from '../../server/db/wall-repo.ts';
import {
  api,
  demoSession,
  freshSession,
  issueCast,
  issueRowCounts,
  report,
  type IssueCast,
} from '../helpers/issues-fixtures.ts';
import { jpegWithGps, uploadPhoto } from '../helpers/photos.ts';

/**
 * 吹哨报到: member-unit accounts see the cases dispatched to their unit (scoped in SQL), and sign, handle and
 * give feedback on them through the state machine — for their own unit only.
 */
const pool = testPool();
let { grids, reporter, dispatcher, worker } = {} as IssueCast;
let unitAccount: string;
let ownUnit: string;
let otherUnit: string;
let otherUnitAccount: { cookie: string; userId: number };

beforeAll(async () => {
  ({ grids, reporter, dispatcher, worker } = await issueCast(pool));
  unitAccount = await demoSession('member_unit');
  const me = await api('GET', '/api/me', unitAccount);
  ownUnit = (
    await pool.query(`select unit_id from users where county_code = $1 and username = 'demo-member-unit'`, [COUNTY])
  ).rows[0].unit_id;
  expect(me.body.role ?? me.body.user?.role).toBe('member_unit');
  expect(ownUnit).toBeTruthy();
  otherUnit = (
    await pool.query(`select id from member_units where county_code = $1 and id <> $2 order by id limit 1`, [
      COUNTY,
      ownUnit,
    ])
  ).rows[0].id;
  otherUnitAccount = await freshSession(pool, 'member_unit', {
    streetId: null,
    communityId: null,
    gridId: null,
    memberUnitId: otherUnit,
  });
});
afterAll(() => pool.end());

const move = (cookie: string, id: number, body: Record<string, unknown>) =>
  api('POST', `/api/issues/${id}/transitions`, cookie, body);
async function go(cookie: string, id: number, body: Record<string, unknown>): Promise<any> {
  const res = await move(cookie, id, body);
  expect(res.status, `${body.to}: ${JSON.stringify(res.body)}`).toBe(200);
  return res.body;
}

/** A new report accepted, filed and dispatched to the given units. */
async function dispatchedTo(units: string[]): Promise<number> {
  const issue = await report(pool, reporter.cookie, grids.workerGrid, 'street_litter');
  await go(worker, issue.id, { to: 'accepted' });
  await go(dispatcher, issue.id, { to: 'filed' });
  await go(dispatcher, issue.id, { to: 'dispatched', unit_ids: units });
  return issue.id;
}

describe('member units sign for themselves', () => {
  it('see only the cases dispatched to their unit, counted in SQL', async () => {
    const mine = await dispatchedTo([ownUnit]);
    const theirs = await dispatchedTo([otherUnit]);
    const notYet = await report(pool, reporter.cookie, grids.workerGrid, 'street_litter');
    const list = await api('GET', '/api/issues?limit=500', unitAccount);
    expect(list.status).toBe(200);
    const ids = list.body.issues.map((i: { id: number }) => i.id);
    expect(ids).toContain(mine);
    expect(ids).not.toContain(theirs);
    expect(ids).not.toContain(notYet.id);
    const { rows } = await pool.query(
      `select count(distinct issue_id)::int as n from issue_assignments where county_code = $1 and unit_id = $2`,
      [COUNTY, ownUnit],
    );
    expect(list.body.total).toBe(rows[0].n);
    expect(list.body.issues.every((i: { unitIds: string[] }) => i.unitIds.includes(ownUnit))).toBe(true);
    expect((await api('GET', `/api/issues/${mine}`, unitAccount)).status).toBe(200);
    for (const id of [theirs, notYet.id]) {
      expect((await api('GET', `/api/issues/${id}`, unitAccount)).status).toBe(404);
      expect((await move(unitAccount, id, { to: 'signed' })).status).toBe(404);
    }
  });

  it('signs, handles and gives feedback with an after photo; the others sign for themselves', async () => {
    const id = await dispatchedTo([ownUnit, otherUnit]);
    const detail = (await api('GET', `/api/issues/${id}`, unitAccount)).body;
    expect(detail.nextStates.sort()).toEqual(['returned', 'signed']);
    expect(detail.suggestedUnits).toEqual([]);
    expect(detail.reporter === null || detail.reporter.masked === true).toBe(true);

    const before = await issueRowCounts(pool, id);
    expect((await move(unitAccount, id, { to: 'handling' })).status).toBe(409);
    expect((await move(unitAccount, id, { to: 'signed', unit_ids: [otherUnit] })).status).toBe(403);
    expect(await issueRowCounts(pool, id)).toEqual(before);

    const signed = await go(unitAccount, id, { to: 'signed' });
    expect(signed.state).toBe('signed');
    const assignments = (
      await pool.query(
        `select unit_id, signed_at from issue_assignments where county_code = $1 and issue_id = $2 order by unit_id`,
        [COUNTY, id],
      )
    ).rows;
    expect(Object.fromEntries(assignments.map((a) => [a.unit_id, a.signed_at !== null]))).toEqual({
      [ownUnit]: true,
      [otherUnit]: false,
    });

    await go(unitAccount, id, { to: 'handling' });
    expect((await move(unitAccount, id, { to: 'feedback', note: '已处理' })).status).toBe(400);
    expect((await uploadPhoto(unitAccount, id, await jpegWithGps(), 'after.jpg', 'image/jpeg', 'after')).status).toBe(
      201,
    );
    await go(unitAccount, id, { to: 'feedback', note: '已处理完毕' });
    // Verification is not the unit's: 403, nothing written.
    const atFeedback = await issueRowCounts(pool, id);
    expect((await move(unitAccount, id, { to: 'verified', result: 'pass' })).status).toBe(403);
    expect((await move(unitAccount, id, { to: 'rework', result: 'fail', reason: '不行' })).status).toBe(403);
    expect(await issueRowCounts(pool, id)).toEqual(atFeedback);

    const events = (
      await pool.query(
        `select to_state, role, actor, fields from issue_events where county_code = $1 and issue_id = $2 and role = 'member_unit' order by id`,
        [COUNTY, id],
      )
    ).rows;
    expect(events.map((e) => e.to_state)).toEqual(['signed', 'handling', 'feedback']);
    expect(events[0]).toMatchObject({ actor: 'demo-member-unit', fields: { unitIds: [ownUnit] } });
    const audits = (
      await pool.query(
        `select action, actor from audit_log where county_code = $1 and target = $2 and actor = 'demo-member-unit' order by id`,
        [COUNTY, `issue:${id}`],
      )
    ).rows;
    expect(audits.map((a) => a.action)).toEqual([
      'issue.transition',
      'issue.transition',
      'issue.photo',
      'issue.transition',
    ]);
  });

  it('lets a second summoned unit sign after the first moved the case on; the state stays', async () => {
    const id = await dispatchedTo([ownUnit, otherUnit]);
    await go(unitAccount, id, { to: 'signed' });
    await go(unitAccount, id, { to: 'handling' });
    const stream = await openSse(`${inject('baseUrl')}/api/stream`, { cookie: dispatcher });
    const late = await go(otherUnitAccount.cookie, id, { to: 'signed' });
    expect(late.state).toBe('handling');
    // The wall's ticker hears a signature, not another "handling": live, and from the database after a reload.
    try {
      const live = await stream.next((m) => m.event === 'issue' && JSON.parse(m.data).id === id, 10_000);
      expect(JSON.parse(live.data)).toMatchObject({ state: 'handling', lateSignature: true });
    } finally {
      stream.close();
    }
    const ticker = (await queryRecentTickerItems(pool, COUNTY, 50)).filter((e) => e.id === id);
    expect(ticker.map((e) => [e.state, e.lateSignature])).toEqual([
      ['handling', true],
      ['handling', false],
      ['signed', false],
      ['dispatched', false],
      ['filed', false],
      ['accepted', false],
      ['reported', false],
    ]);
    const signed = (
      await pool.query(
        `select unit_id from issue_assignments where county_code = $1 and issue_id = $2 and signed_at is not null order by unit_id`,
        [COUNTY, id],
      )
    ).rows;
    expect(signed.map((r) => r.unit_id)).toEqual([ownUnit, otherUnit].sort());
    const last = (
      await pool.query(
        `select from_state, to_state, fields from issue_events where county_code = $1 and issue_id = $2 order by id desc limit 1`,
        [COUNTY, id],
      )
    ).rows[0];
    expect(last).toEqual({
      from_state: 'handling',
      to_state: 'handling',
      fields: { unitIds: [otherUnit], lateSignature: true },
    });
    const audit = (
      await pool.query(`select action from audit_log where county_code = $1 and target = $2 order by id desc limit 1`, [
        COUNTY,
        `issue:${id}`,
      ])
    ).rows[0];
    expect(audit.action).toBe('issue.sign');
    // Signing twice, or for another unit, is refused and writes nothing.
    const before = await issueRowCounts(pool, id);
    expect((await move(otherUnitAccount.cookie, id, { to: 'signed' })).status).toBe(409);
    expect((await move(unitAccount, id, { to: 'signed', unit_ids: [otherUnit] })).status).toBe(403);
    expect((await move(reporter.cookie, id, { to: 'signed' })).status).toBe(403);
    expect(await issueRowCounts(pool, id)).toEqual(before);
  });

  it('sends back a case that is not theirs, with a reason', async () => {
    const id = await dispatchedTo([otherUnit]);
    expect((await move(otherUnitAccount.cookie, id, { to: 'returned' })).status).toBe(400);
    const back = await go(otherUnitAccount.cookie, id, { to: 'returned', reason: '不属于本单位职责' });
    expect(back.state).toBe('returned');
  });

  it('may not report or read the people or other queues; reads counts like the wall (for the live queue)', async () => {
    expect(
      (
        await api('POST', '/api/issues', unitAccount, {
          category: 'street_litter',
          description: 'x',
          lon: 107.4,
          lat: 37.78,
        })
      ).status,
    ).toBe(403);
    expect((await api('GET', '/api/micro-wishes?limit=1', unitAccount)).status).toBe(403);
    expect((await api('GET', '/api/stats', unitAccount)).status).toBe(200);
    expect((await api('GET', '/api/areas/grid/G001/people', unitAccount)).status).toBe(403);
  });

  it('is created by an admin with a member unit and no area', async () => {
    const admin = await demoSession('admin');
    const username = `mu-${Date.now().toString(36)}`;
    const password = 'a long enough password';
    const refused: [string, Record<string, unknown> | undefined][] = [
      ['member_unit', undefined],
      ['member_unit', { memberUnitId: 'NO_SUCH_UNIT' }],
      ['member_unit', { memberUnitId: ownUnit, gridId: grids.workerGrid }],
      ['reporter', { memberUnitId: ownUnit }],
    ];
    for (const [role, scope] of refused) {
      const res = await api('POST', '/api/admin/users', admin, { username, password, role, scope });
      expect(res.status, JSON.stringify({ role, scope })).toBe(400);
    }
    const created = await api('POST', '/api/admin/users', admin, {
      username,
      password,
      role: 'member_unit',
      scope: { memberUnitId: ownUnit },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.scope).toEqual({ streetId: null, communityId: null, gridId: null, memberUnitId: ownUnit });
  });
});
