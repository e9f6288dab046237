// The /report outbox keeps a large photo in IndexedDB: a report with a 2 MB+ JPEG (too big for localStorage)
// sent while the network fails waits in the outbox; after a reload (memory gone) the queue resumes, and the
// report and its photo reach the server once, from IndexedDB; the stored copy is then removed.
import { afterAll, describe, expect, inject, it } from 'vitest';
import sharp from 'sharp';
import { useBrowser } from './fixture.ts';
import { COUNTY, testPool } from '../helpers/db.ts';
import { demoGrids, freePoint, freshSession } from '../helpers/issues-fixtures.ts';

const pool = testPool();
const { page, errors: consoleErrors, context } = useBrowser({ viewport: { width: 375, height: 812 } });

afterAll(async () => {
  await pool.end();
});

/** The photos kept in the outbox's IndexedDB: key → size. */
const storedPhotos = () =>
  page.evaluate(
    () =>
      new Promise<Record<string, number>>((resolve) => {
        const request = indexedDB.open('gridlink-report-outbox', 1);
        request.onupgradeneeded = () => request.result.createObjectStore('photos');
        request.onsuccess = () => {
          const out: Record<string, number> = {};
          const cursor = request.result.transaction('photos').objectStore('photos').openCursor();
          cursor.onsuccess = () => {
            const c = cursor.result;
            if (!c) return resolve(out);
            out[String(c.key)] = (c.value as Blob).size;
            c.continue();
          };
        };
      }),
  );

describe('/report outbox with a large photo', () => {
  it('keeps the photo in IndexedDB across a reload and sends report and photo once', async () => {
    const base = inject('baseUrl');
    const reporter = await freshSession(pool, 'reporter');
    const [name, value] = reporter.cookie.split('=');
    await context.addCookies([{ name, value, url: base }]);
    const { workerGrid } = await demoGrids(pool);
    const point = await freePoint(pool, workerGrid, 'street_litter');
    await context.grantPermissions(['geolocation'], { origin: base });
    await context.setGeolocation({ latitude: point.lat, longitude: point.lon, accuracy: 5 });

    // Noise does not compress: a JPEG over 2 MB, more than localStorage takes.
    const jpeg = await sharp({
      create: {
        width: 1800,
        height: 1400,
        channels: 3,
        background: '#808080',
        noise: { type: 'gaussian', mean: 128, sigma: 70 },
      },
    })
      .jpeg({ quality: 95 })
      .toBuffer();
    expect(jpeg.length).toBeGreaterThan(2_000_000);

    // The network fails for reports and photos.
    const failing = (route: import('playwright-core').Route) =>
      route.request().method() === 'POST' ? route.abort('internetdisconnected') : route.continue();
    await page.route('**/api/issues', failing);
    await page.route('**/api/issues/*/photos', failing);

    await page.goto(`${base}/report?lang=zh`);
    await page.waitForSelector('[data-testid="report-category-major"] option[value="city_appearance"]', {
      state: 'attached',
      timeout: 60_000,
    });
    await page.selectOption('[data-testid="report-category-major"]', 'city_appearance');
    await page.selectOption('[data-testid="report-category-minor"]', 'street_litter');
    await page.fill('[data-testid="report-description"]', '大照片离线排队（端到端测试）');
    await page.click('[data-testid="report-locate"]');
    await page.waitForSelector('[data-testid="report-picked"]', { timeout: 20_000 });
    await page.setInputFiles('[data-testid="report-photo"]', { name: 'big.jpg', mimeType: 'image/jpeg', buffer: jpeg });
    await page.waitForSelector('[data-testid="report-photo-preview"]', { timeout: 20_000 });
    await page.click('[data-testid="report-submit"]');
    await page.waitForSelector('[data-testid="report-status"][data-status="retry"]', { timeout: 30_000 });

    const outbox = await page.evaluate(() => JSON.parse(localStorage.getItem('gridlink.report.outbox') ?? '[]'));
    expect(outbox).toHaveLength(1);
    expect(outbox[0].photo).toMatchObject({ inIndexedDb: true, dataUrl: null });
    expect(await storedPhotos()).toEqual({ [outbox[0].key]: jpeg.length });
    const mine = () =>
      pool.query<{ id: number; photos: number }>(
        `select i.id, (select count(*)::int from issue_photos p where p.county_code = i.county_code and p.issue_id = i.id) as photos
       from issues i where i.county_code = $1 and i.reporter_user_id = $2`,
        [COUNTY, reporter.userId],
      );
    expect((await mine()).rows).toEqual([]);

    // The network is back; the page is reloaded (the file in memory is gone): the outbox resumes from IndexedDB.
    await page.unrouteAll();
    await page.reload();
    await page.waitForSelector('[data-testid="report-status"][data-status="sent"]', { timeout: 60_000 });
    const { rows } = await mine();
    expect(rows).toHaveLength(1);
    expect(rows[0].photos).toBe(1);
    const stored = await pool.query<{ width: number; height: number }>(
      'select width, height from issue_photos where county_code = $1 and issue_id = $2',
      [COUNTY, rows[0].id],
    );
    expect(stored.rows[0]).toEqual({ width: 1800, height: 1400 });
    expect(await storedPhotos()).toEqual({});
    expect(consoleErrors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(e))).toEqual([]);
  });
});
