// /admin/data in Chromium: an admin chooses a county package's files (North Carolina's counties as compounds
// with its county.json, default bounds, so that most compounds block as too heavy), the manifest form fills
// from the county.json, the check shows the counts, the guessed mapping and the problems in the report's words,
// the blocking problems drawn on the map as red dots; in Chinese, then in English.
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { badPackages, gcj02CsvPackage } from '../fixtures/county-packages/build.ts';
import { countPixels } from '../helpers/browser.ts';
import { demoAccount } from '../helpers/auth.ts';
import { testPool } from '../helpers/db.ts';
import { filesDir } from '../helpers/plan-files.ts';
import { useBrowser } from './fixture.ts';

const base = inject('baseUrl');
const { page, errors } = useBrowser({ viewport: { width: 1600, height: 1100 } });
const work = filesDir('admin-data-e2e-');
const pool = testPool();
afterAll(() => pool.end());
/** The county code of the package imported here. */
const CODE = '999321';
const text = (selector: string) => page.textContent(selector).then((s) => (s ?? '').replace(/\s+/g, ' ').trim());

/** Red dots (blocking problems) and the map's background in a screenshot of the map. */
async function mapPixels(): Promise<{ red: number; background: number }> {
  const png = PNG.sync.read(await page.locator('[data-testid="county-problem-map"]').screenshot());
  return {
    red: countPixels(png.data, [0xc6, 0x28, 0x28], 30),
    background: countPixels(png.data, [0xee, 0xf2, 0xf5], 4),
  };
}

describe('/admin/data in Chromium', () => {
  it('checks an uploaded package and shows the counts, the mapping and the problems on a map', async () => {
    const dir = badPackages(work).heavy;
    await page.goto(`${base}/admin/data?lang=zh`);
    await page.waitForSelector('[data-testid="login-need-admin"]', { timeout: 30_000 });
    const admin = demoAccount('admin');
    await page.fill('[data-testid="login-username"]', admin.username);
    await page.fill('[data-testid="login-password"]', admin.password);
    await page.click('[data-testid="login-submit"]');
    await page.waitForSelector('[data-testid="admin-data-view"]', { timeout: 30_000 });
    expect(await text('h1')).toBe('县域数据导入');

    await page.setInputFiles('[data-testid="county-data-input"]', [
      path.join(dir, 'county.json'),
      path.join(dir, 'compounds.geojson'),
    ]);
    await page.waitForFunction(
      () => (document.querySelector('[data-testid="county-manifest-name"]') as HTMLInputElement)?.value === '北卡县',
    );
    expect(await page.locator('[data-testid="county-data-file"]').count()).toBe(2);
    await page.click('[data-testid="county-data-check"]');
    await page.waitForSelector('[data-testid="county-report"]', { timeout: 60_000 });

    const compounds = '[data-testid="county-report-layer"][data-role="compounds"]';
    expect(await text(compounds)).toContain('小区');
    expect(await text(`${compounds} td.count`)).toBe('100');
    expect(await text('[data-testid="county-report-verdict"]')).toContain('不能导入');
    const heavy = '[data-testid="county-report-problem"][data-code="compound_too_heavy"]';
    expect(await text(heavy)).toContain('超过网格上限 500');
    const households = '[data-testid="county-report-mapping"][data-role="compounds"] select[data-field="households"]';
    expect(await page.inputValue(households)).toBe('BIR74');
    expect(await page.isDisabled('[data-testid="county-data-apply"]')).toBe(true);

    // The map: drawn (its background), with the blocking problems as red dots.
    await expect.poll(async () => (await mapPixels()).red, { timeout: 20_000 }).toBeGreaterThan(50);
    expect((await mapPixels()).background).toBeGreaterThan(10_000);
    fs.writeFileSync('/tmp/admin-data.png', await page.screenshot({ fullPage: true }));

    await page.click('[data-testid="language-switch"] button[data-locale="en"]');
    await page.waitForFunction(() => document.querySelector('h1')?.textContent?.includes('County data import'));
    expect(await text(heavy)).toContain('above the grid maximum 500');
    expect(await text('[data-testid="county-report-verdict"]')).toContain('cannot be imported');
    expect(await text(compounds)).toContain('Compounds');

    // Another column for the households, checked again on the files kept: names are no numbers.
    await page.selectOption(households, 'NAME');
    await page.click('[data-testid="county-report-recheck"]');
    const invalid = '[data-testid="county-report-problem"][data-code="households_invalid"]';
    await page.waitForSelector(invalid, { timeout: 30_000 });
    expect(await text(invalid)).toContain('is not a whole number');
    expect(await page.inputValue(households)).toBe('NAME');
    expect(errors).toEqual([]);
  });

  it('imports a package that nothing blocks, the progress bar following the import to its last step', async () => {
    const dir = gcj02CsvPackage(path.join(work, 'gcj'), 'gcj02', { name: '宁夏北卡', code: CODE });
    await page.setInputFiles(
      '[data-testid="county-data-input"]',
      ['county.json', 'communities.geojson', 'compounds.csv'].map((f) => path.join(dir, f)),
    );
    await page.waitForFunction(
      () => (document.querySelector('[data-testid="county-manifest-code"]') as HTMLInputElement)?.value === '999321',
    );
    await page.click('[data-testid="county-data-check"]');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="county-report-verdict"]')?.textContent?.includes('can be imported'),
    );
    expect(await text('[data-testid="county-report-layer"][data-role="communities"] td.count')).toBe('100');
    await page.click('[data-testid="county-data-apply"]');
    await page.waitForSelector('[data-testid="county-data-outcome"].ok', { timeout: 60_000 });
    expect(await text('[data-testid="county-data-outcome"]')).toContain(`Imported 宁夏北卡 (${CODE})`);
    expect(await text('[data-testid="county-data-progress"]')).toContain('stations (10/10)');
    const written = await pool.query(`select count(*)::int n from compounds where county_code = $1`, [CODE]);
    expect(written.rows[0].n).toBe(100);
    expect(errors).toEqual([]);
  });
});
