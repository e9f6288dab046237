// From /report to closure and back, in Chromium: a reporter posts at phone size; the dispatcher accepts, files
// and dispatches it in /events; the grid worker's middle steps (sign, handle, after photo, feedback) go through
// the API; the dispatcher verifies and closes it in /events; the reporter sees "closed" in "my reports", rates it
// there (basically satisfied + comment) and sees "rated". DOM and database agree at each step.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { RESULTS_DIR } from '../helpers/browser.ts';
import { useBrowser } from './fixture.ts';
import { COUNTY, testPool } from '../helpers/db.ts';
import { api, demoGrids, demoSession, freePoint, freshSession, WHOLE_WAY } from '../helpers/issues-fixtures.ts';
import { jpegWithGps, uploadPhoto } from '../helpers/photos.ts';
import { pickedPoint, tapMapAt } from '../helpers/report-map.ts';
import { actOnCase } from '../helpers/events-page.ts';

const pool = testPool();
const { page, errors: consoleErrors, context } = useBrowser({ viewport: { width: 375, height: 812 } });

afterAll(async () => {
  await pool.end();
});

/** Becomes the account of the session cookie ("name=value") in the browser. */
async function actAs(cookie: string): Promise<void> {
  const [name, ...rest] = cookie.split(';')[0].split('=');
  await context.clearCookies();
  await context.addCookies([{ name, value: rest.join('='), url: inject('baseUrl') }]);
}

const stateOf = async (id: number) =>
  (await pool.query<{ state: string }>('select state from issues where county_code = $1 and id = $2', [COUNTY, id]))
    .rows[0].state;

async function act(to: string, fill?: () => Promise<void>): Promise<void> {
  await actOnCase(page, to, fill);
  expect(await stateOf(Number(await page.getAttribute('[data-testid="event-detail"]', 'data-id')))).toBe(to);
}

async function move(cookie: string, id: number, body: Record<string, unknown>): Promise<void> {
  const res = await api('POST', `/api/issues/${id}/transitions`, cookie, body);
  expect(res.status, `${body.to}: ${JSON.stringify(res.body)}`).toBe(200);
}

describe('/report to closure in Chromium', () => {
  it('is reported, handled to closure in /events, and rated by its reporter in /report', async () => {
    const base = inject('baseUrl');
    const { workerGrid, communityId } = await demoGrids(pool);
    const reporter = await freshSession(pool, 'reporter');

    // The reporter posts from /report at phone size.
    await actAs(reporter.cookie);
    await page.goto(`${base}/report?lang=zh`);
    await page.waitForSelector('body[data-map-ready="true"]', { timeout: 120_000 });
    await page.waitForSelector('[data-testid="report-category-major"] option[value="city_appearance"]', {
      state: 'attached',
    });
    await page.selectOption('[data-testid="report-category-major"]', 'city_appearance');
    await page.selectOption('[data-testid="report-category-minor"]', 'street_litter');
    await page.fill('[data-testid="report-description"]', '楼道口垃圾（结案到回访的端到端测试）');
    const target = await freePoint(pool, workerGrid, 'street_litter');
    await tapMapAt(page, target.lon, target.lat);
    expect(Math.abs((await pickedPoint(page)).lon - target.lon)).toBeLessThan(0.0002);
    await page.click('[data-testid="report-submit"]');
    const status = await page.waitForSelector('[data-testid="report-status"][data-status="sent"]', { timeout: 30_000 });
    const id = Number(await status.getAttribute('data-issue'));
    await page.waitForSelector(`[data-testid="my-report"][data-id="${id}"][data-state="reported"]`, {
      timeout: 10_000,
    });
    // Nothing to rate or reopen while it is open.
    expect(await page.$(`[data-testid="my-report"][data-id="${id}"] [data-testid="report-follow-up"]`)).toBeNull();

    // The dispatcher accepts, files and dispatches it in /events.
    const dispatcher = await demoSession('dispatcher');
    await actAs(dispatcher);
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.goto(`${base}/events?lang=zh&area=${workerGrid}&issue=${id}`);
    await page.waitForSelector(`[data-testid="event-detail"][data-id="${id}"][data-state="reported"]`, {
      timeout: 30_000,
    });
    await act('accepted');
    await act('filed', () => page.selectOption('[data-testid="action-severity"]', '2').then(() => undefined));
    await act('dispatched', async () => {
      await page.check('[data-testid="action-unit"]');
    });

    // The grid worker of the grid signs, handles and reports back with an after photo (API).
    const worker = await freshSession(pool, 'grid_worker', { streetId: null, communityId, gridId: workerGrid });
    await move(worker.cookie, id, { to: 'signed' });
    await move(worker.cookie, id, { to: 'handling' });
    expect((await uploadPhoto(worker.cookie, id, await jpegWithGps(), 'after.jpg', 'image/jpeg', 'after')).status).toBe(
      201,
    );
    await move(worker.cookie, id, { to: 'feedback', note: '已清运' });

    // The dispatcher verifies (pass) and closes it in /events.
    await page.goto(`${base}/events?lang=zh&area=${workerGrid}&issue=${id}`);
    await page.waitForSelector(`[data-testid="event-detail"][data-id="${id}"][data-state="feedback"]`, {
      timeout: 30_000,
    });
    await act('verified');
    await act('closed');
    expect(
      (await pool.query('select closed_at from issues where county_code = $1 and id = $2', [COUNTY, id])).rows[0]
        .closed_at,
    ).not.toBeNull();

    // The reporter sees it closed, with "rate" and "reopen" offered, and rates it.
    await actAs(reporter.cookie);
    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto(`${base}/report?lang=zh`);
    const mine = `[data-testid="my-report"][data-id="${id}"]`;
    await page.waitForSelector(`${mine}[data-state="closed"]`, { timeout: 30_000 });
    expect(await page.textContent(`${mine} .state`)).toBe('已结案');
    await page.waitForSelector(`${mine} [data-testid="report-reopen-open"]`);
    await page.click(`${mine} [data-testid="report-rate-open"]`);
    await page.check(`${mine} [data-testid="report-rating-basically_satisfied"]`);
    await page.fill(`${mine} [data-testid="report-rating-comment"]`, '处理及时，楼道还有点味道');
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    await page.screenshot({ path: path.join(RESULTS_DIR, 'report-rate-form.png'), fullPage: true });
    await page.click(`${mine} [data-testid="report-rate-submit"]`);
    await page.waitForSelector(`${mine}[data-state="rated"]`, { timeout: 20_000 });
    expect(await page.textContent(`${mine} .state`)).toBe('已回访');
    // Rated: no second rating, reopening still offered within the window.
    expect(await page.$(`${mine} [data-testid="report-rate-open"]`)).toBeNull();
    expect(await page.$(`${mine} [data-testid="report-reopen-open"]`)).not.toBeNull();
    await page.screenshot({ path: path.join(RESULTS_DIR, 'report-rated.png'), fullPage: true });

    const { rows } = await pool.query(
      `select i.state, r.rating, r.comment, (select array_agg(e.to_state order by e.id) from issue_events e
         where e.county_code = i.county_code and e.issue_id = i.id) as states
       from issues i join issue_ratings r on r.county_code = i.county_code and r.issue_id = i.id
       where i.county_code = $1 and i.id = $2`,
      [COUNTY, id],
    );
    expect(rows[0]).toEqual({
      state: 'rated',
      rating: 'basically_satisfied',
      comment: '处理及时，楼道还有点味道',
      states: WHOLE_WAY,
    });
    expect(consoleErrors.filter((e) => !/\b401\b|Unauthorized/.test(e))).toEqual([]);
  });
});
