import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COUNTY, testPool } from '../helpers/db.ts';
import { api, demoGrids, demoSession, freshSession, issueRowCounts, report } from '../helpers/issues-fixtures.ts';

/** Refused transitions: wrong role 403, wrong area 404, wrong state 409 — and nothing written. */
const pool = testPool();
let grids: Awaited<ReturnType<typeof demoGrids>>;
let reporter: { cookie: string; userId: number };

beforeAll(async () => {
  grids = await demoGrids(pool);
  reporter = await freshSession(pool, 'reporter');
});
afterAll(() => pool.end());

const move = (cookie: string, id: number, body: Record<string, unknown>) =>
  api('POST', `/api/issues/${id}/transitions`, cookie, body);

/** Asserts the refusal and that neither the issue nor any issue table changed. */
async function refused(cookie: string, id: number, body: Record<string, unknown>, status: number): Promise<void> {
  const before = await issueRowCounts(pool);
  const beforeIssue = await issueRowCounts(pool, id);
  const { rows: notifyBefore } = await pool.query('select updated_at from issues where county_code = $1 and id = $2', [
    COUNTY,
    id,
  ]);
  const res = await move(cookie, id, body);
  expect(res.status, `${JSON.stringify(body)} → ${JSON.stringify(res.body)}`).toBe(status);
  expect(res.body.error.message).toBeTruthy();
  expect(await issueRowCounts(pool)).toEqual(before);
  expect(await issueRowCounts(pool, id)).toEqual(beforeIssue);
  const { rows: after } = await pool.query('select updated_at from issues where county_code = $1 and id = $2', [
    COUNTY,
    id,
  ]);
  expect(after).toEqual(notifyBefore);
}

describe('transition refusals', () => {
  it('403 for a role that may not make the transition', async () => {
    const issue = await report(pool, reporter.cookie, grids.workerGrid, 'parking');
    await refused(reporter.cookie, issue.id, { to: 'accepted' }, 403);
    await refused(await demoSession('leader'), issue.id, { to: 'accepted' }, 403);
    await refused(await demoSession('planner'), issue.id, { to: 'accepted' }, 403);
    expect((await move(await demoSession('grid_worker'), issue.id, { to: 'accepted' })).status).toBe(200);
    // Filing is the dispatcher's.
    await refused(await demoSession('grid_worker'), issue.id, { to: 'filed' }, 403);
    // Nobody logged in: 401.
    expect((await move('', issue.id, { to: 'filed' })).status).toBe(401);
  });

  it('404 outside the caller’s area (and for another reporter’s issue)', async () => {
    const inOtherCommunity = await report(pool, reporter.cookie, grids.otherCommunityGrid, 'parking');
    await refused(await demoSession('dispatcher'), inOtherCommunity.id, { to: 'accepted' }, 404);
    await refused(await demoSession('grid_worker'), inOtherCommunity.id, { to: 'accepted' }, 404);
    // Same community, another grid: the dispatcher may, the grid worker may not.
    const inCommunity = await report(pool, reporter.cookie, grids.communityGrid, 'parking');
    await refused(await demoSession('grid_worker'), inCommunity.id, { to: 'accepted' }, 404);
    expect((await move(await demoSession('dispatcher'), inCommunity.id, { to: 'accepted' })).status).toBe(200);
    const stranger = await freshSession(pool, 'reporter');
    await refused(stranger.cookie, inCommunity.id, { to: 'reopened', reason: 'x' }, 404);
    expect((await api('GET', `/api/issues/${inOtherCommunity.id}`, await demoSession('dispatcher'))).status).toBe(404);
    expect((await api('GET', `/api/issues/${inOtherCommunity.id}`, await demoSession('admin'))).status).toBe(200);
    await refused(await demoSession('dispatcher'), 999_999_999, { to: 'accepted' }, 404);
  });

  it('409 for a transition the current state does not allow, whoever asks', async () => {
    const issue = await report(pool, reporter.cookie, grids.workerGrid, 'parking');
    const dispatcher = await demoSession('dispatcher');
    await refused(dispatcher, issue.id, { to: 'closed' }, 409);
    await refused(dispatcher, issue.id, { to: 'dispatched', unit_ids: ['U001'] }, 409);
    await refused(await demoSession('admin'), issue.id, { to: 'verified', result: 'pass' }, 409);
    const conflict = await move(dispatcher, issue.id, { to: 'signed' });
    expect(conflict.body.error).toMatchObject({ code: 'InvalidTransition' });
    expect(conflict.body.error.message).toMatch(/possible: accepted/);
    // Ratings only for closed issues.
    const rating = await api('POST', `/api/issues/${issue.id}/rating`, reporter.cookie, { rating: 'satisfied' });
    expect(rating.status).toBe(409);
  });

  it('400 for missing fields or unknown units, and nothing written', async () => {
    const issue = await report(pool, reporter.cookie, grids.workerGrid, 'parking');
    const dispatcher = await demoSession('dispatcher');
    await move(dispatcher, issue.id, { to: 'accepted' });
    await move(dispatcher, issue.id, { to: 'filed' });
    await refused(dispatcher, issue.id, { to: 'dispatched' }, 400);
    await refused(dispatcher, issue.id, { to: 'dispatched', unit_ids: ['U001', 'NOPE'] }, 400);
    await refused(dispatcher, issue.id, { to: 'dispatched', unit_ids: ['U001'], extra: 1 }, 400);
    await refused(dispatcher, issue.id, { to: 'nowhere' }, 400);
    await refused(dispatcher, issue.id, { to: 'rated' }, 400);
  });

  it('lets an admin make any allowed transition anywhere', async () => {
    const issue = await report(pool, reporter.cookie, grids.otherCommunityGrid, 'parking');
    const admin = await demoSession('admin');
    expect((await move(admin, issue.id, { to: 'accepted' })).status).toBe(200);
    expect((await move(admin, issue.id, { to: 'void', reason: '测试' })).status).toBe(200);
  });
});
