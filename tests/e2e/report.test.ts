// /report (随手拍) in Chromium at phone size (375 × 812): the demo reporter logs in, picks a category, taps the
// map inside the town, attaches a JPEG and sends; the report is in "my reports" and in the database with its
// photo; a second report of the same category 10 m away gets the duplicate offer, and joining it links them;
// a point outside the county is refused (422) and said so; a denied location permission is said so.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import sharp from 'sharp';
import { RESULTS_DIR } from '../helpers/browser.ts';
import { useBrowser } from './fixture.ts';
import { demoAccount } from '../helpers/auth.ts';
import { loginThroughForm } from '../helpers/login-page.ts';
import { COUNTY, testPool } from '../helpers/db.ts';
import { demoGrids, freePoint } from '../helpers/issues-fixtures.ts';
import { pickedPoint, tapMapAt as tapMapAtOn } from '../helpers/report-map.ts';

const pool = testPool();
const { page, errors: consoleErrors } = useBrowser({ viewport: { width: 375, height: 812 } });

afterAll(async () => {
  await pool.end();
});

const tapMapAt = (lng: number, lat: number) => tapMapAtOn(page, lng, lat);
const picked = () => pickedPoint(page);

describe('/report in Chromium at 375 px', () => {
  it('reports with a map point and a photo, lists it, and offers the duplicate 10 m away', async () => {
    const base = inject('baseUrl');
    const reporter = demoAccount('reporter');
    await loginThroughForm(page, `${base}/report?lang=zh`, reporter);
    await page.waitForSelector('body[data-map-ready="true"]', { timeout: 120_000 });

    // Location permission not granted: a clear message, the map remains.
    await page.click('[data-testid="report-locate"]');
    const denied = await page.waitForSelector('[data-testid="report-locate-problem"][data-problem="denied"]', {
      timeout: 20_000,
    });
    expect(await denied.textContent()).toContain('定位权限被拒绝');

    // Category: major, then minor.
    await page.waitForSelector('[data-testid="report-category-major"] option[value="city_appearance"]', {
      state: 'attached',
    });
    await page.selectOption('[data-testid="report-category-major"]', 'city_appearance');
    await page.selectOption('[data-testid="report-category-minor"]', 'street_litter');
    await page.fill('[data-testid="report-description"]', '小区门口垃圾堆放（端到端测试）');

    // Tap the map inside the town (a point of the grid worker's grid with no open report of the kind nearby).
    const { workerGrid } = await demoGrids(pool);
    const target = await freePoint(pool, workerGrid, 'street_litter');
    await tapMapAt(target.lon, target.lat);
    const first = await picked();
    expect(Math.abs(first.lon - target.lon)).toBeLessThan(0.0002);
    expect(Math.abs(first.lat - target.lat)).toBeLessThan(0.0002);
    expect(await page.$('[data-testid="report-marker"]')).not.toBeNull();

    // A small JPEG made here, checked and previewed in the browser.
    const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 30, g: 140, b: 200 } } })
      .jpeg()
      .toBuffer();
    await page.setInputFiles('[data-testid="report-photo"]', {
      name: 'snap.jpg',
      mimeType: 'image/jpeg',
      buffer: jpeg,
    });
    await page.waitForSelector('[data-testid="report-photo-preview"]');
    // Not an image: refused before sending.
    await page.setInputFiles('[data-testid="report-photo"]', {
      name: 'note.jpg',
      mimeType: 'image/jpeg',
      buffer: Buffer.from('not a picture'),
    });
    await page.waitForSelector('[data-testid="report-photo-problem"][data-problem="type"]');
    await page.setInputFiles('[data-testid="report-photo"]', {
      name: 'snap.jpg',
      mimeType: 'image/jpeg',
      buffer: jpeg,
    });
    await page.waitForSelector('[data-testid="report-photo-preview"]');

    await page.click('[data-testid="report-submit"]');
    const status = await page.waitForSelector('[data-testid="report-status"][data-status="sent"]', { timeout: 30_000 });
    const issueId = Number(await status.getAttribute('data-issue'));
    expect(issueId).toBeGreaterThan(0);
    await page.waitForSelector(`[data-testid="my-report"][data-id="${issueId}"][data-state="reported"]`, {
      timeout: 10_000,
    });
    expect(await page.textContent(`[data-testid="my-report"][data-id="${issueId}"]`)).toContain('已上报');
    // Nothing left in the outbox but the sent report.
    const outbox = await page.evaluate(() => JSON.parse(localStorage.getItem('gridlink.report.outbox') ?? '[]'));
    expect(outbox.map((i: { status: string }) => i.status)).toEqual(['sent']);

    const { rows } = await pool.query(
      `select i.category_id, i.state, st_x(i.location) as lon, st_y(i.location) as lat, u.username,
              (select count(*)::int from issue_photos p where p.county_code = i.county_code and p.issue_id = i.id) as photos
       from issues i join users u on u.id = i.reporter_user_id where i.county_code = $1 and i.id = $2`,
      [COUNTY, issueId],
    );
    expect(rows[0]).toMatchObject({
      category_id: 'street_litter',
      state: 'reported',
      username: reporter.username,
      photos: 1,
    });
    expect(Math.abs(rows[0].lon - first.lon)).toBeLessThan(1e-6);

    // The same category 10 m east: the duplicate offer names the first report.
    await page.click('[data-testid="report-again"]');
    await page.fill('[data-testid="report-description"]', '同一处垃圾（端到端测试）');
    const east = first.lon + 10 / (111_320 * Math.cos((first.lat * Math.PI) / 180));
    await tapMapAt(east, first.lat);
    await page.waitForFunction(
      (lon) =>
        Math.abs(Number(document.querySelector('[data-testid="report-picked"]')?.getAttribute('data-lon')) - lon) <
        0.00005,
      east,
    );
    await page.click('[data-testid="report-submit"]');
    await page.waitForSelector('[data-testid="report-status"][data-status="duplicate"]', { timeout: 30_000 });
    await page.waitForSelector(`[data-testid="report-candidate"][data-id="${issueId}"]`);
    await page.waitForSelector('[data-testid="report-file-anyway"]');

    // Nothing cut off at 375 px; a full-page screenshot for a person to look at.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    await page.screenshot({ path: path.join(RESULTS_DIR, 'report-duplicate.png'), fullPage: true });

    // Join it: stored linked to the first report, state duplicate.
    await page.click(`[data-testid="report-candidate"][data-id="${issueId}"] [data-testid="report-join"]`);
    const joined = await page.waitForSelector('[data-testid="report-status"][data-status="sent"]', { timeout: 30_000 });
    const joinedId = Number(await joined.getAttribute('data-issue'));
    const link = await pool.query('select duplicate_of, state from issues where county_code = $1 and id = $2', [
      COUNTY,
      joinedId,
    ]);
    expect({ ...link.rows[0], duplicate_of: Number(link.rows[0].duplicate_of) }).toEqual({
      duplicate_of: issueId,
      state: 'duplicate',
    });

    // A point outside the county: 422, said so, nothing filed.
    const before = (await pool.query('select count(*)::int as n from issues where county_code = $1', [COUNTY])).rows[0]
      .n;
    await page.click('[data-testid="report-again"]');
    await page.fill('[data-testid="report-description"]', '县外的点（端到端测试）');
    await tapMapAt(106.2, 36.9);
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="report-picked"]')?.getAttribute('data-lon')) < 106.5,
    );
    await page.click('[data-testid="report-submit"]');
    await page.waitForSelector('[data-testid="report-status"][data-status="outside"]', { timeout: 30_000 });
    expect(await page.textContent('[data-testid="report-status"]')).toContain('不在盐池县范围内');
    expect((await pool.query('select count(*)::int as n from issues where county_code = $1', [COUNTY])).rows[0].n).toBe(
      before,
    );
    // The browser logs the refused requests (409, 422) and the 401 before logging in; nothing else.
    expect(consoleErrors.filter((e) => !/\b(401|409|422)\b|Unauthorized/.test(e))).toEqual([]);
  });
});
