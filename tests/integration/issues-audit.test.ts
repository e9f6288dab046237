import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COUNTY, testPool } from '../helpers/db.ts';
import { api, demoGrids, demoSession, freshSession, jpegWithGps, report, uploadPhoto } from '../helpers/issues-fixtures.ts';

/**
 * Every write of the issue lifecycle leaves an audit row in the same transaction as its event row: the
 * report, each transition, the rating and each photo; a refused write leaves neither.
 */
const pool = testPool();
let grids: Awaited<ReturnType<typeof demoGrids>>;
let reporter: { cookie: string; userId: number };
let dispatcher: string;
let worker: string;
let unit: string;

beforeAll(async () => {
  grids = await demoGrids(pool);
  reporter = await freshSession(pool, 'reporter');
  dispatcher = await demoSession('dispatcher');
  worker = await demoSession('grid_worker');
  unit = (await pool.query<{ id: string }>('select id from member_units where county_code = $1 order by id limit 1', [COUNTY])).rows[0].id;
});
afterAll(() => pool.end());

interface AuditRow { action: string; actor: string; before: any; after: any; at: Date; txid: string }

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
    const issue = await report(pool, reporter.cookie, grids.workerGrid, 'street_litter', { contact: { name: '李四', phone: '13900001111' } });
    await go(worker, issue.id, { to: 'accepted' });
    await go(dispatcher, issue.id, { to: 'filed', severity: 2 });
    await go(dispatcher, issue.id, { to: 'dispatched', unit_ids: [unit] });
    await go(worker, issue.id, { to: 'signed' });
    await go(worker, issue.id, { to: 'handling' });
    expect((await uploadPhoto(worker, issue.id, await jpegWithGps(), 'after.jpg', 'image/jpeg', 'after')).status).toBe(201);
    await go(worker, issue.id, { to: 'feedback', note: '已处理' });
    await go(dispatcher, issue.id, { to: 'verified', result: 'pass' });
    await go(dispatcher, issue.id, { to: 'closed' });
    expect((await api('POST', `/api/issues/${issue.id}/rating`, reporter.cookie, { rating: 'satisfied' })).status).toBe(200);

    const audits = await auditOf(issue.id);
    expect(audits.map((a) => a.action)).toEqual([
      'issue.report', 'issue.transition', 'issue.transition', 'issue.transition', 'issue.transition', 'issue.transition',
      'issue.photo', 'issue.transition', 'issue.transition', 'issue.transition', 'issue.rate',
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
    expect(audits[0]).toMatchObject({ actor: expect.stringMatching(/^t-reporter-/), after: { state: 'reported', categoryId: 'street_litter', source: 'resident' } });
    expect(audits[3]).toMatchObject({ actor: 'demo-dispatcher', before: { state: 'filed' }, after: { state: 'dispatched', unitIds: [unit] } });
    const photo = audits.find((a) => a.action === 'issue.photo')!;
    expect(photo.after).toMatchObject({ kind: 'after', mediaType: 'image/jpeg' });
    const { rows } = await pool.query('select xmin::text as txid from issue_photos where county_code = $1 and id = $2', [COUNTY, photo.after.photoId]);
    expect(rows[0].txid).toBe(photo.txid);
    // The audit log names the case, never the reporter's contact or text.
    const text = JSON.stringify(audits);
    for (const personal of ['李四', '13900001111', '测试上报']) expect(text).not.toContain(personal);
  });

  it('writes no audit row for a refused transition or upload', async () => {
    const issue = await report(pool, reporter.cookie, grids.workerGrid, 'street_litter');
    const before = (await auditOf(issue.id)).length;
    expect((await api('POST', `/api/issues/${issue.id}/transitions`, worker, { to: 'closed' })).status).toBe(409);
    expect((await api('POST', `/api/issues/${issue.id}/transitions`, worker, { to: 'void', reason: '无效' })).status).toBe(403);
    expect((await uploadPhoto(reporter.cookie, issue.id, Buffer.from('not an image at all'.repeat(10)), 'x.jpg')).status).toBe(400);
    expect((await auditOf(issue.id)).length).toBe(before);
  });
});
