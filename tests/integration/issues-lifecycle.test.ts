import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COUNTY, testPool } from '../helpers/db.ts';
import {
  api,
  issueCast,
  issueRowCounts,
  memberUnitIds,
  report,
  WHOLE_WAY,
  type IssueCast,
} from '../helpers/issues-fixtures.ts';
import { jpegWithGps, uploadPhoto } from '../helpers/photos.ts';

/** 随手拍 → 吹哨报到 → 结案 against the real server and database, with the demo dispatcher and grid worker. */
const pool = testPool();
let { grids, reporter, dispatcher, worker } = {} as IssueCast;
let units: string[];

beforeAll(async () => {
  ({ grids, reporter, dispatcher, worker } = await issueCast(pool));
  units = await memberUnitIds(pool, 2);
});
afterAll(() => pool.end());

const move = (cookie: string, id: number, body: Record<string, unknown>) =>
  api('POST', `/api/issues/${id}/transitions`, cookie, body);

/** Moves an issue along, failing loudly with the server's answer. */
async function go(cookie: string, id: number, body: Record<string, unknown>): Promise<any> {
  const res = await move(cookie, id, body);
  expect(res.status, `${body.to}: ${JSON.stringify(res.body)}`).toBe(200);
  expect(res.body.state).toBe(body.to);
  return res.body;
}

async function toHandling(id: number): Promise<void> {
  await go(worker, id, { to: 'accepted' });
  await go(dispatcher, id, { to: 'filed', severity: 2 });
  await go(dispatcher, id, { to: 'dispatched', unit_ids: units });
  await go(worker, id, { to: 'signed' });
  await go(worker, id, { to: 'handling' });
}

async function feedbackWithPhoto(id: number): Promise<void> {
  expect((await uploadPhoto(worker, id, await jpegWithGps(), 'after.jpg', 'image/jpeg', 'after')).status).toBe(201);
  await go(worker, id, { to: 'feedback', note: '已清理完毕' });
}

describe('issue lifecycle', () => {
  it('goes report → accept → file → dispatch (two units) → sign → handle → feedback with photo → verify → closed → rated', async () => {
    const issue = await report(pool, reporter.cookie, grids.workerGrid, 'street_litter', {
      contact: { name: '张三丰', phone: '13812341234' },
    });
    expect(issue).toMatchObject({
      state: 'reported',
      gridId: grids.workerGrid,
      communityId: grids.communityId,
      synthetic: false,
    });
    expect(issue.code).toMatch(/^SJ\d{8}-\d{6}$/);
    // Routing in SQL matches PostGIS point in polygon.
    const { rows } = await pool.query(
      `select g.id from grids g where g.county_code = $1 and st_covers(g.geom, st_setsrid(st_makepoint($2, $3), 4326))`,
      [COUNTY, issue.lon, issue.lat],
    );
    expect(rows.map((r) => r.id)).toEqual([issue.gridId]);

    await toHandling(issue.id);
    const filed = (await api('GET', `/api/issues/${issue.id}`, dispatcher)).body;
    expect(filed.severity).toBe(2);
    expect(filed.deadline).not.toBeNull();
    expect(filed.assignments.map((a: { unitId: string }) => a.unitId)).toEqual(units);
    expect(filed.assignments.every((a: { signedAt: string | null }) => a.signedAt !== null)).toBe(true);

    // Feedback without an after photo is refused.
    expect((await move(worker, issue.id, { to: 'feedback', note: '已清理' })).status).toBe(400);
    await feedbackWithPhoto(issue.id);
    await go(dispatcher, issue.id, { to: 'verified', result: 'pass' });
    const closed = await go(dispatcher, issue.id, { to: 'closed' });
    expect(closed.closedAt).not.toBeNull();

    const rated = await api('POST', `/api/issues/${issue.id}/rating`, reporter.cookie, {
      rating: 'satisfied',
      comment: '很快',
    });
    expect(rated.status).toBe(200);
    expect(rated.body.state).toBe('rated');

    const detail = (await api('GET', `/api/issues/${issue.id}`, dispatcher)).body;
    expect(detail.events.map((e: { toState: string }) => e.toState)).toEqual(WHOLE_WAY);
    for (let i = 1; i < detail.events.length; i++)
      expect(detail.events[i].fromState).toBe(detail.events[i - 1].toState);
    expect(detail.events.find((e: { toState: string }) => e.toState === 'dispatched').fields.unitIds).toEqual(units);
    expect(detail.events.find((e: { toState: string }) => e.toState === 'feedback')).toMatchObject({
      actorName: '演示网格员',
      role: 'grid_worker',
      fields: { note: '已清理完毕' },
    });
    expect(detail.rating).toMatchObject({ rating: 'satisfied', comment: '很快' });
    expect(detail.photos).toHaveLength(1);
    expect(detail.photos[0].kind).toBe('after');
  });

  it('loops through rework back to dispatch, counting it', async () => {
    const issue = await report(pool, reporter.cookie, grids.workerGrid, 'exposed_garbage');
    await toHandling(issue.id);
    await feedbackWithPhoto(issue.id);
    expect((await move(dispatcher, issue.id, { to: 'rework', result: 'fail' })).status).toBe(400);
    const rework = await go(dispatcher, issue.id, { to: 'rework', result: 'fail', reason: '未清运干净' });
    expect(rework.reworkCount).toBe(1);
    // Back to the same units, who must sign again; the old after photo no longer counts.
    await go(dispatcher, issue.id, { to: 'dispatched' });
    const assignments = (await api('GET', `/api/issues/${issue.id}`, dispatcher)).body.assignments;
    expect(assignments.map((a: { unitId: string; signedAt: string | null }) => [a.unitId, a.signedAt])).toEqual(
      units.map((u) => [u, null]),
    );
    await go(worker, issue.id, { to: 'signed' });
    await go(worker, issue.id, { to: 'handling' });
    expect((await move(worker, issue.id, { to: 'feedback', note: '再次清理' })).status).toBe(400);
    await feedbackWithPhoto(issue.id);
    await go(dispatcher, issue.id, { to: 'verified', result: 'pass' });
    await go(dispatcher, issue.id, { to: 'closed' });
    const events = (await api('GET', `/api/issues/${issue.id}`, dispatcher)).body.events;
    expect(events.find((e: { toState: string }) => e.toState === 'rework')).toMatchObject({
      reason: '未清运干净',
      fields: { result: 'fail' },
    });
  });

  it('returns a report only with a reason, and then it goes nowhere', async () => {
    const issue = await report(pool, reporter.cookie, grids.workerGrid, 'parking');
    const before = await issueRowCounts(pool, issue.id);
    expect((await move(worker, issue.id, { to: 'returned' })).status).toBe(400);
    expect((await move(worker, issue.id, { to: 'returned', reason: '  ' })).status).toBe(400);
    expect(await issueRowCounts(pool, issue.id)).toEqual(before);
    await go(worker, issue.id, { to: 'returned', reason: '属于交警部门职责' });
    const detail = (await api('GET', `/api/issues/${issue.id}`, dispatcher)).body;
    expect(detail.events.at(-1)).toMatchObject({
      fromState: 'reported',
      toState: 'returned',
      reason: '属于交警部门职责',
    });
    expect(detail.nextStates).toEqual([]);
    expect((await move(dispatcher, issue.id, { to: 'accepted' })).status).toBe(409);
  });

  it('closes a small matter on the spot at acceptance, and lets the reporter reopen it within 7 days', async () => {
    const issue = await report(pool, reporter.cookie, grids.workerGrid, 'illegal_advertising');
    await go(worker, issue.id, { to: 'accepted' });
    await go(worker, issue.id, { to: 'closed', note: '现场清除' });
    expect((await move(reporter.cookie, issue.id, { to: 'reopened' })).status).toBe(400);
    await go(reporter.cookie, issue.id, { to: 'reopened', reason: '又贴上了' });
    const again = await go(dispatcher, issue.id, { to: 'dispatched', unit_ids: [units[0]] });
    expect(again.deadline).not.toBeNull();
    // Past the window: closed more than 7 days ago cannot be reopened.
    const old = await report(pool, reporter.cookie, grids.workerGrid, 'illegal_advertising');
    await go(worker, old.id, { to: 'accepted' });
    await go(worker, old.id, { to: 'closed', note: '现场清除' });
    await pool.query(`update issues set closed_at = now() - interval '8 days' where county_code = $1 and id = $2`, [
      COUNTY,
      old.id,
    ]);
    const late = await move(reporter.cookie, old.id, { to: 'reopened', reason: '又贴上了' });
    expect(late.status).toBe(409);
    expect(late.body.error.message).toMatch(/7 days/);
  });

  it('tells LISTENers on gridlink_issues of each committed report and transition, and of nothing refused', async () => {
    const listener = await pool.connect();
    const heard: { county: string; id: number; state: string }[] = [];
    listener.on('notification', (n) => {
      if (n.channel === 'gridlink_issues') heard.push(JSON.parse(n.payload!));
    });
    try {
      await listener.query('listen gridlink_issues');
      const issue = await report(pool, reporter.cookie, grids.workerGrid, 'construction_nuisance');
      expect((await move(dispatcher, issue.id, { to: 'closed' })).status).toBe(409);
      await go(worker, issue.id, { to: 'accepted' });
      const deadline = Date.now() + 5000;
      while (heard.filter((h) => h.id === issue.id).length < 2 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      expect(heard.filter((h) => h.id === issue.id)).toEqual([
        { county: COUNTY, id: issue.id, state: 'reported' },
        { county: COUNTY, id: issue.id, state: 'accepted' },
      ]);
    } finally {
      await listener.query('unlisten *');
      listener.release();
    }
  });

  it('links a report to the open issue it repeats (duplicate)', async () => {
    const first = await report(pool, reporter.cookie, grids.workerGrid, 'street_light');
    const second = await report(pool, reporter.cookie, grids.workerGrid, 'street_light');
    expect((await move(worker, second.id, { to: 'duplicate' })).status).toBe(400);
    expect((await move(worker, second.id, { to: 'duplicate', duplicate_of: second.id })).status).toBe(400);
    const linked = await go(worker, second.id, { to: 'duplicate', duplicate_of: first.id });
    expect(linked.duplicateOf).toBe(first.id);
  });
});
