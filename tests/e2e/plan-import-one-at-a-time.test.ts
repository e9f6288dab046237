// The server reads one imported file at a time (a second request gets 429). In the Files panel of /plan the
// planner maps the fields of a GeoPackage in quick succession, each change asking for a new preview while the
// last still runs: the panel waits for the running one and previews the latest mapping, and no 429 ever shows.
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { useBrowsers } from './fixture.ts';
import { demoAccount, loginCookie } from '../helpers/auth.ts';
import { exportPlan, filesDir, newPlan, ogrSelect } from '../helpers/plan-files.ts';

const base = inject('baseUrl');
const dir = filesDir('plan-import-one-e2e-');
const openBrowser = useBrowsers();

describe('the Files panel of /plan', () => {
  it('previews the latest mapping after changes made while a preview runs, never showing a 429', async () => {
    const cookie = await loginCookie(demoAccount('planner'));
    const sourceId = await newPlan(cookie, 'e2e one import at a time');
    const geojson = await exportPlan(cookie, sourceId, 'format=geojson', path.join(dir, 'source.geojson'));
    const gpkg = path.join(dir, 'fields.gpkg');
    const select = 'select unit_id as bianma, grid_label as wangge, households as hushu, geometry from "source"';
    ogrSelect('GPKG', gpkg, geojson, 'wangge', select);

    const { page, errors } = await openBrowser({ cookie });
    const previews: number[] = [];
    page.on('response', (r) => {
      if (r.url().endsWith('/api/plan-files/preview')) previews.push(r.status());
    });
    await page.goto(`${base}/plan?plan=${sourceId}&lang=zh`);
    await page.waitForSelector('[data-testid="plan-files"] [data-testid="plan-export-gpkg"]', { timeout: 90_000 });
    await page.setInputFiles('[data-testid="plan-import-file"]', gpkg);
    await page.waitForSelector('[data-testid="plan-import-summary"]', { timeout: 60_000 });
    await page.waitForSelector('[data-testid="plan-import-progress"]', { state: 'detached', timeout: 60_000 });

    // Three changes at once: the first starts a preview, the other two come while it runs.
    await page.evaluate(() => {
      for (const [key, field] of [
        ['unitField', 'bianma'],
        ['labelField', 'wangge'],
        ['householdsField', 'hushu'],
      ]) {
        const select = document.querySelector<HTMLSelectElement>(`[data-testid="plan-import-${key}"]`)!;
        select.value = field;
        select.dispatchEvent(new Event('change'));
      }
    });
    await page.waitForSelector('[data-testid="plan-import-sample"]', { timeout: 60_000 });
    await page.waitForFunction(
      () =>
        !document.querySelector('[data-testid="plan-import-progress"]') &&
        document.querySelectorAll('[data-testid="plan-import-sample"] th').length === 3,
      undefined,
      { timeout: 60_000 },
    );
    expect(
      await page.$$eval('[data-testid="plan-import-sample"] th', (th) => th.map((h) => h.textContent?.trim())),
    ).toEqual(['bianma', 'wangge', 'hushu']);
    for (const [key, field] of [
      ['unitField', 'bianma'],
      ['labelField', 'wangge'],
      ['householdsField', 'hushu'],
    ])
      expect(await page.inputValue(`[data-testid="plan-import-${key}"]`)).toBe(field);
    expect(await page.isVisible('[data-testid="plan-import-message"]')).toBe(false);
    expect(previews).not.toContain(429);
    // One preview for the file, one for the first change, one for the two that came while it ran.
    expect(previews).toEqual([200, 200, 200]);
    expect(errors).toEqual([]);
  }, 300_000);
});
