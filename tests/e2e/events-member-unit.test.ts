// /events for a member unit in Chromium (吹哨报到): the demo member unit logs in, sees in its queue exactly the
// cases dispatched to its unit (not another unit's), opens one, is offered signing or sending it back only,
// signs and starts handling; each state shows in the detail and is in the database.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, recordingPage, screenshotPixels } from '../helpers/browser.ts';
import { demoAccount } from '../helpers/auth.ts';
import { COUNTY, testPool } from '../helpers/db.ts';
import { api, demoGrids, demoSession, freshSession, report } from '../helpers/issues-fixtures.ts';

const pool = testPool();
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let consoleErrors: string[] = [];

beforeAll(async () => {
  browser = await launchBrowser({ width: 1024, height: 768 });
  ({ page, errors: consoleErrors } = await recordingPage(browser.context));
});

afterAll(async () => {
  await browser?.close();
  await pool.end();
});

const stateOf = async (id: number) => (await pool.query<{ state: string }>('select state from issues where county_code = $1 and id = $2', [COUNTY, id])).rows[0].state;

/** A new report accepted, filed and dispatched to one unit through the API. */
async function dispatchedTo(unit: string, gridId: string, reporterCookie: string): Promise<number> {
  const issue = await report(pool, reporterCookie, gridId, 'street_litter');
  for (const [role, body] of [['grid_worker', { to: 'accepted' }], ['dispatcher', { to: 'filed' }], ['dispatcher', { to: 'dispatched', unit_ids: [unit] }]] as const) {
    const res = await api('POST', `/api/issues/${issue.id}/transitions`, await demoSession(role), body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
  return issue.id;
}

async function act(to: string, fill?: () => Promise<void>): Promise<void> {
  await page.click(`[data-testid="action"][data-to="${to}"]`);
  await page.waitForSelector(`[data-testid="action-form"][data-to="${to}"]`);
  await fill?.();
  await page.click('[data-testid="action-confirm"]');
  await page.waitForSelector(`[data-testid="event-detail"][data-state="${to}"]`, { timeout: 20_000 });
}

describe('/events for a member unit in Chromium', () => {
  it('lists the unit’s own cases and signs and handles one', async () => {
    const base = inject('baseUrl');
    const { workerGrid } = await demoGrids(pool);
    const unit = (await pool.query(`select unit_id from users where county_code = $1 and username = 'demo-member-unit'`, [COUNTY])).rows[0].unit_id as string;
    const other = (await pool.query(`select id from member_units where county_code = $1 and id <> $2 order by id limit 1`, [COUNTY, unit])).rows[0].id as string;
    const reporter = await freshSession(pool, 'reporter');
    const mine = await dispatchedTo(unit, workerGrid, reporter.cookie);
    const theirs = await dispatchedTo(other, workerGrid, reporter.cookie);

    await page.goto(`${base}/events?lang=zh`);
    await page.waitForFunction(() => location.pathname === '/login', undefined, { timeout: 30_000 });
    const account = demoAccount('member_unit');
    await page.fill('[data-testid="login-username"]', account.username);
    await page.fill('[data-testid="login-password"]', account.password);
    await page.click('[data-testid="login-submit"]');
    await page.waitForFunction(() => location.pathname === '/events', undefined, { timeout: 30_000 });
    await page.waitForSelector(`[data-testid="event-row"][data-id="${mine}"][data-state="dispatched"]`, { timeout: 30_000 });
    expect(await page.$(`[data-testid="event-row"][data-id="${theirs}"]`)).toBeNull();
    const total = Number(await page.getAttribute('[data-testid="events-count"]', 'data-total'));
    const assigned = (await pool.query(`select count(distinct issue_id)::int as n from issue_assignments where county_code = $1 and unit_id = $2`, [COUNTY, unit])).rows[0].n;
    expect(total).toBe(assigned);
    await page.waitForSelector('[data-testid="events-view"][data-stream="live"]', { timeout: 30_000 });

    await page.click(`[data-testid="event-row"][data-id="${mine}"]`);
    await page.waitForSelector(`[data-testid="event-detail"][data-id="${mine}"]`);
    const offered = await page.$$eval('[data-testid="action"]', (els) => els.map((e) => e.getAttribute('data-to')));
    expect(offered.sort()).toEqual(['returned', 'signed']);
    await act('signed');
    expect(await stateOf(mine)).toBe('signed');
    const signed = await pool.query(`select signed_at from issue_assignments where county_code = $1 and issue_id = $2 and unit_id = $3`, [COUNTY, mine, unit]);
    expect(signed.rows[0].signed_at).not.toBeNull();
    await act('handling');
    expect(await stateOf(mine)).toBe('handling');
    expect(await page.textContent('[data-testid="detail-state"]')).toBe('处置中');
    await screenshotPixels(page, 'events-member-unit.png');
    expect(consoleErrors.filter((e) => !/\b401\b|Unauthorized/.test(e))).toEqual([]);
  });
});
