// /events for a member unit in Chromium (吹哨报到): the demo member unit logs in, sees in its queue exactly the
// cases dispatched to its unit (not another unit's) and no tab its role may not read, opens one, is offered
// signing or sending it back only, signs and starts handling; each state shows in the detail and is in the
// database. A second summoned unit signing late reads as its signature in the history, not as another state.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { screenshotPixels } from '../helpers/browser.ts';
import { useBrowser } from './fixture.ts';
import { demoAccount } from '../helpers/auth.ts';
import { actOnCase } from '../helpers/events-page.ts';
import { loginThroughForm } from '../helpers/login-page.ts';
import { COUNTY, testPool } from '../helpers/db.ts';
import { api, demoGrids, demoSession, freshSession, report } from '../helpers/issues-fixtures.ts';

/** Lists a member unit may not read (403): /events must not even ask for them. */
const NOT_FOR_UNITS = /\/api\/(micro-wishes|service-activities|deliberations)\b/;

const pool = testPool();
const { page, errors: consoleErrors } = useBrowser({ viewport: { width: 1024, height: 768 } });
const forbiddenAsked: string[] = [];

beforeAll(async () => {
  page.on('request', (r) => NOT_FOR_UNITS.test(r.url()) && forbiddenAsked.push(r.url()));
});

afterAll(async () => {
  await pool.end();
});

const stateOf = async (id: number) =>
  (await pool.query<{ state: string }>('select state from issues where county_code = $1 and id = $2', [COUNTY, id]))
    .rows[0].state;

/** A new report accepted, filed and dispatched to the given units through the API. */
async function dispatchedTo(units: string[], gridId: string, reporterCookie: string): Promise<number> {
  const issue = await report(pool, reporterCookie, gridId, 'street_litter');
  for (const [role, body] of [
    ['grid_worker', { to: 'accepted' }],
    ['dispatcher', { to: 'filed' }],
    ['dispatcher', { to: 'dispatched', unit_ids: units }],
  ] as const) {
    const res = await api('POST', `/api/issues/${issue.id}/transitions`, await demoSession(role), body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
  return issue.id;
}

const act = (to: string, fill?: () => Promise<void>) => actOnCase(page, to, fill);

describe('/events for a member unit in Chromium', () => {
  it('lists the unit’s own cases and signs and handles one', async () => {
    const base = inject('baseUrl');
    const { workerGrid } = await demoGrids(pool);
    const unit = (
      await pool.query(`select unit_id from users where county_code = $1 and username = 'demo-member-unit'`, [COUNTY])
    ).rows[0].unit_id as string;
    const other = (
      await pool.query(`select id from member_units where county_code = $1 and id <> $2 order by id limit 1`, [
        COUNTY,
        unit,
      ])
    ).rows[0].id as string;
    const reporter = await freshSession(pool, 'reporter');
    // Mine summons the other unit too (a cross-department case): it signs late, below.
    const mine = await dispatchedTo([unit, other], workerGrid, reporter.cookie);
    const theirs = await dispatchedTo([other], workerGrid, reporter.cookie);

    await loginThroughForm(page, `${base}/events?lang=zh`, demoAccount('member_unit'));
    await page.waitForSelector(`[data-testid="event-row"][data-id="${mine}"][data-state="dispatched"]`, {
      timeout: 30_000,
    });
    expect(await page.$(`[data-testid="event-row"][data-id="${theirs}"]`)).toBeNull();
    // The account is known: the cases are its only tab (no tab bar), and no list it may not read was asked for.
    await page.waitForSelector('[data-testid="events-view"][data-tabs="cases"]', { timeout: 30_000 });
    expect(await page.$$('[role="tab"]')).toEqual([]);
    expect(forbiddenAsked).toEqual([]);
    const total = Number(await page.getAttribute('[data-testid="events-count"]', 'data-total'));
    const assigned = (
      await pool.query(
        `select count(distinct issue_id)::int as n from issue_assignments where county_code = $1 and unit_id = $2`,
        [COUNTY, unit],
      )
    ).rows[0].n;
    expect(total).toBe(assigned);
    await page.waitForSelector('[data-testid="events-view"][data-stream="live"]', { timeout: 30_000 });

    await page.click(`[data-testid="event-row"][data-id="${mine}"]`);
    await page.waitForSelector(`[data-testid="event-detail"][data-id="${mine}"]`);
    const offered = await page.$$eval('[data-testid="action"]', (els) => els.map((e) => e.getAttribute('data-to')));
    expect(offered.sort()).toEqual(['returned', 'signed']);
    await act('signed');
    expect(await stateOf(mine)).toBe('signed');
    const signed = await pool.query(
      `select signed_at from issue_assignments where county_code = $1 and issue_id = $2 and unit_id = $3`,
      [COUNTY, mine, unit],
    );
    expect(signed.rows[0].signed_at).not.toBeNull();
    await act('handling');
    expect(await stateOf(mine)).toBe('handling');
    expect(await page.textContent('[data-testid="detail-state"]')).toBe('处置中');

    // The other summoned unit signs now: the case stays in handling; the history says who signed.
    const otherName = (
      await pool.query(`select name from member_units where county_code = $1 and id = $2`, [COUNTY, other])
    ).rows[0].name as string;
    const otherAccount = await freshSession(pool, 'member_unit', {
      streetId: null,
      communityId: null,
      gridId: null,
      memberUnitId: other,
    });
    const late = await api('POST', `/api/issues/${mine}/transitions`, otherAccount.cookie, { to: 'signed' });
    expect(late.status, JSON.stringify(late.body)).toBe(200);
    expect(await stateOf(mine)).toBe('handling');
    const lateLine = await page.waitForSelector('[data-testid="history-event"][data-late-signature="true"]', {
      timeout: 20_000,
    });
    expect(await lateLine.$eval('b', (b) => b.textContent)).toBe(`签收：${otherName}`);
    // Who acted: the role and the unit's name, never an account's username.
    expect(await lateLine.$eval('[data-testid="history-actor"]', (s) => s.textContent)).toBe(`成员单位 · ${otherName}`);
    const actors = await page.$$eval('[data-testid="history-actor"]', (ss) => ss.map((s) => s.textContent ?? ''));
    const usernames = (
      await pool.query<{ username: string }>('select username from users where county_code = $1', [COUNTY])
    ).rows.map((r) => r.username);
    expect(actors.filter((a) => usernames.some((u) => a.includes(u)))).toEqual([]);
    expect(actors).toContain('上报人');
    const lines = await page.$$eval('[data-testid="history-event"] b', (bs) => bs.map((b) => b.textContent));
    expect(lines.filter((l) => l === '处置中')).toHaveLength(1);
    await lateLine.scrollIntoViewIfNeeded();
    await screenshotPixels(page, 'events-member-unit.png');
    expect(consoleErrors.filter((e) => !/\b401\b|Unauthorized/.test(e))).toEqual([]);
  });

  it('falls back to the cases for a tab the unit may not read', async () => {
    const base = inject('baseUrl');
    await page.goto(`${base}/events?lang=zh&tab=wishes`);
    await page.waitForSelector('[data-testid="events-view"][data-tabs="cases"]', { timeout: 30_000 });
    await page.waitForSelector('[data-testid="event-row"]', { timeout: 30_000 });
    expect(await page.$('[data-testid="events-count"]')).not.toBeNull();
    expect(await page.$('.wish-tab')).toBeNull();
    expect(forbiddenAsked).toEqual([]);
    // The navigation offers the unit's own pages only (no planner, report or administration).
    await page.waitForSelector('[data-testid="app-nav"][data-pages="wall inspect events account"]', {
      timeout: 10_000,
    });
    expect(
      await page.$$eval('[data-testid="app-nav"] a', (links) =>
        links.map((a) => new URL((a as HTMLAnchorElement).href).pathname),
      ),
    ).toEqual(['/wall', '/inspect', '/events', '/account']);
    await screenshotPixels(page, 'events-member-unit-tab-fallback.png');
    expect(consoleErrors.filter((e) => !/\b401\b|Unauthorized/.test(e))).toEqual([]);
  });
});
