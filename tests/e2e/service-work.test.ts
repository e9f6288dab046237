// The activity and deliberation tabs of /events in Chromium: a dispatcher logs a service activity for a grid of
// the community and moves a deliberation item through the four steps; every figure shown equals SQL, and the
// records, their steps and audit rows are in the database; the tabs speak English on request.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { screenshotPixels } from '../helpers/browser.ts';
import { useBrowser } from './fixture.ts';
import { demoAccount } from '../helpers/auth.ts';
import { COUNTY, testPool } from '../helpers/db.ts';

const pool = testPool();
const base = inject('baseUrl');
const { page, errors: consoleErrors } = useBrowser({ viewport: { width: 1400, height: 1000 } });
let communityId: string;
let grid: string;

beforeAll(async () => {
  communityId = (
    await pool.query<{ community_id: string }>(
      `select community_id from users where county_code = $1 and username = 'demo-dispatcher'`,
      [COUNTY],
    )
  ).rows[0].community_id;
  grid = (
    await pool.query<{ id: string }>(
      'select id from grids where county_code = $1 and community_id = $2 order by id offset 1 limit 1',
      [COUNTY, communityId],
    )
  ).rows[0].id;
});
afterAll(async () => {
  await pool.end();
});

const one = async (sql: string, params: unknown[]) => (await pool.query(sql, params)).rows[0];
const attr = (selector: string, name: string) => page.getAttribute(selector, name);
const activityTotals = () =>
  one(
    `select count(*)::int as activities, coalesce(sum(participants), 0)::int as participants from service_activities where county_code = $1
      and community_id = $2`,
    [COUNTY, communityId],
  );
const deliberationTotals = () =>
  one(
    `select count(*) filter (where step <> 'resolved')::int as open, count(*) filter (where step = 'resolved')::int as resolved
       from deliberation_items where county_code = $1 and community_id = $2`,
    [COUNTY, communityId],
  );

describe('/events activity and deliberation tabs in Chromium', () => {
  it('logs a service activity for a grid; the totals shown equal SQL before and after', async () => {
    await page.goto(`${base}/events?lang=zh&tab=activities`);
    await page.waitForFunction(() => location.pathname === '/login', undefined, { timeout: 30_000 });
    const dispatcher = demoAccount('dispatcher');
    await page.fill('[data-testid="login-username"]', dispatcher.username);
    await page.fill('[data-testid="login-password"]', dispatcher.password);
    await page.click('[data-testid="login-submit"]');
    await page.waitForSelector('[data-testid="activity-totals"]', { timeout: 30_000 });
    const before = await activityTotals();
    expect(Number(await attr('[data-testid="activity-totals"]', 'data-activities'))).toBe(before.activities);
    expect(Number(await attr('[data-testid="activity-totals"]', 'data-participants'))).toBe(before.participants);
    expect(Number(await attr('[data-testid="activity-count"]', 'data-total'))).toBe(before.activities);

    await page.selectOption('[data-testid="activity-grid"]', grid);
    await page.selectOption('[data-testid="activity-kind"]', 'elderly_care');
    await page.fill('[data-testid="activity-title"]', '端到端：重阳敬老');
    await page.fill('[data-testid="activity-organiser"]', '网格党支部');
    await page.fill('[data-testid="activity-participants"]', '23');
    await page.click('[data-testid="activity-submit"]');
    await page.waitForSelector(
      `[data-testid="activity-totals"][data-activities="${before.activities + 1}"][data-participants="${before.participants + 23}"]`,
      { timeout: 20_000 },
    );
    const logged = await one(
      `select id, grid_id, kind, organiser, participants, synthetic from service_activities where county_code = $1 and title = '端到端：重阳敬老'`,
      [COUNTY],
    );
    expect(logged).toMatchObject({
      grid_id: grid,
      kind: 'elderly_care',
      organiser: '网格党支部',
      participants: 23,
      synthetic: false,
    });
    expect(await activityTotals()).toEqual({
      activities: before.activities + 1,
      participants: before.participants + 23,
    });
    await page.waitForSelector(`[data-testid="activity-row"][data-id="${logged.id}"][data-grid="${grid}"]`);
    expect(
      (
        await one(
          `select count(*)::int as n from audit_log where county_code = $1 and action = 'service_activity.log' and target = $2`,
          [COUNTY, `service_activity:${logged.id}`],
        )
      ).n,
    ).toBe(1);
    await screenshotPixels(page, 'events-activities.png');
  });

  it('moves a deliberation item through the four steps; open and resolved shown equal SQL', async () => {
    await page.click('[data-testid="tab-deliberations"]');
    await page.waitForSelector('[data-testid="deliberation-totals"]', { timeout: 30_000 });
    const before = await deliberationTotals();
    expect(Number(await attr('[data-testid="deliberation-totals"]', 'data-open'))).toBe(before.open);
    expect(Number(await attr('[data-testid="deliberation-totals"]', 'data-resolved'))).toBe(before.resolved);

    await page.selectOption('[data-testid="deliberation-grid"]', grid);
    await page.selectOption('[data-testid="deliberation-topic"]', 'stairs');
    await page.fill('[data-testid="deliberation-title"]', '端到端：楼道扶手加装');
    await page.click('[data-testid="deliberation-submit"]');
    await page.waitForSelector(`[data-testid="deliberation-totals"][data-open="${before.open + 1}"]`, {
      timeout: 20_000,
    });
    const { id } = await one(
      `select id from deliberation_items where county_code = $1 and title = '端到端：楼道扶手加装'`,
      [COUNTY],
    );
    const row = `[data-testid="deliberation-row"][data-id="${id}"]`;
    await page.waitForSelector(`${row}[data-step="proposed"]`);

    const meetings: [string, string][] = [
      ['discussed', '业委会同意加装'],
      ['reviewed', '党员大会审议通过'],
      ['resolved', '楼栋长会议决议'],
    ];
    for (const [step, note] of meetings) {
      await page.click(`${row} [data-testid="deliberation-advance"]`);
      await page.fill(`${row} [data-testid="deliberation-note"]`, note);
      if (step === 'resolved')
        await page.fill(`${row} [data-testid="deliberation-resolution"]`, '每栋楼道两侧加装扶手，物业九月底完成');
      await page.click(`${row} [data-testid="deliberation-confirm"]`);
      await page.waitForSelector(`${row}[data-step="${step}"]`, { timeout: 20_000 });
      expect(
        (await one('select step from deliberation_items where county_code = $1 and id = $2', [COUNTY, id])).step,
      ).toBe(step);
    }
    const steps = (
      await pool.query(
        `select step, note from deliberation_steps where county_code = $1 and item_id = $2 order by at`,
        [COUNTY, id],
      )
    ).rows;
    expect(steps.map((s) => s.step)).toEqual(['proposed', 'discussed', 'reviewed', 'resolved']);
    expect(steps[1].note).toBe('业委会同意加装');
    expect(
      (
        await one(`select count(*)::int as n from audit_log where county_code = $1 and target = $2`, [
          COUNTY,
          `deliberation:${id}`,
        ])
      ).n,
    ).toBe(4);
    await page.waitForSelector(
      `[data-testid="deliberation-totals"][data-resolved="${before.resolved + 1}"][data-open="${before.open}"]`,
      { timeout: 20_000 },
    );
    expect(await deliberationTotals()).toEqual({ open: before.open, resolved: before.resolved + 1 });
    expect(await page.$(`${row} [data-testid="deliberation-advance"]`)).toBeNull();
    expect(await page.textContent(row)).toContain('每栋楼道两侧加装扶手');
    await screenshotPixels(page, 'events-deliberations.png');
  });

  it('speaks English on request', async () => {
    await page.goto(`${base}/events?lang=en&tab=deliberations`);
    await page.waitForSelector('[data-testid="deliberation-row"]', { timeout: 30_000 });
    expect(await page.textContent('[data-testid="tab-deliberations"]')).toBe('Deliberation');
    expect(await page.textContent('[data-testid="tab-activities"]')).toBe('Activities');
    expect(await page.textContent('[data-testid="deliberation-row"] .steps')).toContain("Owners' committee discusses");
    expect(consoleErrors.filter((e) => !/status of 40[013]/.test(e))).toEqual([]);
  });
});
