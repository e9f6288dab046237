// /events (事件处置) in Chromium at tablet size (1024 × 768): the demo dispatcher opens the work queue of a grid
// of their community, sees a report made a moment ago in the list and on the map, sees another one arrive
// live (no reload), opens the first, accepts, files and dispatches it to two member units (a cross-department
// case); each state shows in the detail and in the list and is in the database. On the micro-wish tab the
// dispatcher records the claim of an in-service party member for a wish a grid worker posted, then its fulfilment.
import { afterAll, describe, expect, inject, it } from 'vitest';
import { countPixels, screenshotPixels } from '../helpers/browser.ts';
import { useBrowser } from './fixture.ts';
import { demoAccount } from '../helpers/auth.ts';
import { actOnCase } from '../helpers/events-page.ts';
import { loginThroughForm } from '../helpers/login-page.ts';
import { COUNTY, testPool } from '../helpers/db.ts';
import { api, demoGrids, freshSession, report } from '../helpers/issues-fixtures.ts';
import { hexToRgb } from '../../shared/map/palette.ts';
import { EVENT_COLOURS } from '../../client/map/event-layers.ts';

const pool = testPool();
const { page, errors: consoleErrors } = useBrowser({ viewport: { width: 1024, height: 768 } });

afterAll(async () => {
  await pool.end();
});

const stateOf = async (id: number) =>
  (await pool.query<{ state: string }>('select state from issues where county_code = $1 and id = $2', [COUNTY, id]))
    .rows[0].state;

const act = (to: string, fill?: () => Promise<void>) => actOnCase(page, to, fill);

describe('/events in Chromium at 1024 × 768', () => {
  it('shows the queue, takes a case from reported to dispatched, and gets new reports live', async () => {
    const base = inject('baseUrl');
    const { workerGrid } = await demoGrids(pool);
    const reporter = await freshSession(pool, 'reporter');
    const issue = await report(pool, reporter.cookie, workerGrid, 'street_litter');

    await loginThroughForm(page, `${base}/events?lang=zh&area=${workerGrid}`, demoAccount('dispatcher'));
    await page.waitForSelector(`[data-testid="event-row"][data-id="${issue.id}"][data-state="reported"]`, {
      timeout: 30_000,
    });
    await page.waitForSelector('body[data-map-ready="true"]', { timeout: 120_000 });
    const total = Number(await page.getAttribute('[data-testid="events-count"]', 'data-total'));
    const inGrid = (
      await pool.query<{ n: number }>('select count(*)::int as n from issues where county_code = $1 and grid_id = $2', [
        COUNTY,
        workerGrid,
      ])
    ).rows[0].n;
    expect(total).toBe(inGrid);
    expect(await page.textContent('h1')).toBe('事件处置');

    // The map draws the queue's open issues as amber dots.
    const pixels = await screenshotPixels(page, 'events-queue.png');
    expect(countPixels(pixels, hexToRgb(EVENT_COLOURS.open), 12)).toBeGreaterThan(20);

    // Live: a report made elsewhere appears without a reload.
    await page.waitForSelector('[data-testid="events-view"][data-stream="live"]', { timeout: 30_000 });
    await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
    const second = await report(pool, reporter.cookie, workerGrid, 'street_litter');
    await page.waitForSelector(`[data-testid="event-row"][data-id="${second.id}"]`, { timeout: 20_000 });
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);

    // Open the first case and act on it.
    await page.click(`[data-testid="event-row"][data-id="${issue.id}"]`);
    await page.waitForSelector(`[data-testid="event-detail"][data-id="${issue.id}"]`);
    const offered = await page.$$eval('[data-testid="action"]', (els) => els.map((e) => e.getAttribute('data-to')));
    expect(offered.sort()).toEqual(['accepted', 'duplicate', 'returned', 'void']);

    // Returning needs a reason: without one nothing is sent.
    await page.click('[data-testid="action"][data-to="returned"]');
    await page.click('[data-testid="action-confirm"]');
    await page.waitForSelector('[data-testid="action-problem"]');
    expect(await stateOf(issue.id)).toBe('reported');
    await page.click('[data-testid="action-form"] button[type="button"]');

    await act('accepted');
    await page.waitForSelector(`[data-testid="event-row"][data-id="${issue.id}"][data-state="accepted"]`, {
      timeout: 20_000,
    });
    expect(await stateOf(issue.id)).toBe('accepted');

    await act('filed', async () => {
      await page.selectOption('[data-testid="action-severity"]', '3');
    });
    const filed = (
      await pool.query('select severity, deadline from issues where county_code = $1 and id = $2', [COUNTY, issue.id])
    ).rows[0];
    expect(filed.severity).toBe(3);
    expect(filed.deadline).not.toBeNull();

    await act('dispatched', async () => {
      const boxes = await page.$$('[data-testid="action-unit"]');
      expect(boxes.length).toBeGreaterThanOrEqual(2);
      for (const box of boxes.slice(0, 2)) await box.check();
    });
    await page.waitForSelector(`[data-testid="event-row"][data-id="${issue.id}"][data-state="dispatched"]`, {
      timeout: 20_000,
    });
    expect(await stateOf(issue.id)).toBe('dispatched');
    const assigned = await pool.query(
      'select unit_id from issue_assignments where county_code = $1 and issue_id = $2',
      [COUNTY, issue.id],
    );
    expect(assigned.rows.length).toBe(2);
    expect(await page.$$eval('[data-testid="detail-unit"]', (els) => els.length)).toBe(2);
    expect(await page.$$eval('[data-testid="detail-history"] li', (els) => els.length)).toBe(4);
    await screenshotPixels(page, 'events-dispatched.png');

    // The second case goes back with the reason written in the form, and the history keeps that reason.
    await page.click(`[data-testid="event-row"][data-id="${second.id}"]`);
    await page.waitForSelector(`[data-testid="event-detail"][data-id="${second.id}"]`);
    await act('returned', async () => {
      await page.fill('[data-testid="action-reason"]', '端到端：地址不在本网格');
    });
    const returned = await pool.query(
      'select reason from issue_events where county_code = $1 and issue_id = $2 and to_state = $3',
      [COUNTY, second.id, 'returned'],
    );
    expect(returned.rows).toEqual([{ reason: '端到端：地址不在本网格' }]);

    // English.
    await page.goto(`${base}/events?lang=en&area=${workerGrid}&issue=${issue.id}`);
    await page.waitForSelector(`[data-testid="event-detail"][data-id="${issue.id}"]`, { timeout: 30_000 });
    expect(await page.textContent('h1')).toBe('Case handling');
    expect(await page.textContent('[data-testid="detail-state"]')).toBe('Dispatched');

    expect(consoleErrors.filter((e) => !/\b401\b|Unauthorized/.test(e))).toEqual([]);
  });

  it('records the claim and the fulfilment of a micro-wish on its tab', async () => {
    const base = inject('baseUrl');
    const { workerGrid, communityId } = await demoGrids(pool);
    const worker = await freshSession(pool, 'grid_worker', { streetId: null, communityId, gridId: workerGrid });
    const posted = await api('POST', '/api/micro-wishes', worker.cookie, {
      grid_id: workerGrid,
      title: '端到端：上门理发',
    });
    expect(posted.status).toBe(201);
    const id = posted.body.id;
    const wishState = async () =>
      (
        await pool.query(
          'select state, claimed_by, fulfilment_note from micro_wishes where county_code = $1 and id = $2',
          [COUNTY, id],
        )
      ).rows[0];

    await page.goto(`${base}/events?lang=zh`);
    await page.click('[data-testid="tab-wishes"]');
    await page.waitForSelector(`[data-testid="wish-row"][data-id="${id}"][data-state="posted"]`, { timeout: 30_000 });
    expect(await page.$('[data-testid="wish-post"]')).toBeNull();
    await page.click(`[data-testid="wish-row"][data-id="${id}"] [data-testid="wish-claim"]`);
    await page.waitForSelector('[data-testid="wish-member"] option', { state: 'attached' });
    const chosen = await page.$eval('[data-testid="wish-member"]', (e) => (e as HTMLSelectElement).value);
    expect(await page.$eval('[data-testid="wish-member"] option', (e) => e.textContent)).toMatch(/^.\*+ \(/u);
    await page.click('[data-testid="wish-confirm"]');
    await page.waitForSelector(`[data-testid="wish-row"][data-id="${id}"][data-state="claimed"]`, { timeout: 20_000 });
    expect(await wishState()).toMatchObject({ state: 'claimed', claimed_by: chosen });

    await page.click(`[data-testid="wish-row"][data-id="${id}"] [data-testid="wish-fulfil"]`);
    await page.fill('[data-testid="wish-note"]', '已上门理发');
    await page.click('[data-testid="wish-confirm"]');
    await page.waitForSelector(`[data-testid="wish-row"][data-id="${id}"][data-state="fulfilled"]`, {
      timeout: 20_000,
    });
    expect(await wishState()).toMatchObject({ state: 'fulfilled', fulfilment_note: '已上门理发' });
    await screenshotPixels(page, 'events-wishes.png');
    expect(consoleErrors.filter((e) => !/\b401\b|Unauthorized/.test(e))).toEqual([]);
  });
});
