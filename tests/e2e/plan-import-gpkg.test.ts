// Importing a GeoPackage through the Files panel of /plan in Chromium: the file is made with ogr2ogr from the plan's
// GeoJSON export with fields renamed (so nothing is guessed: the planner maps unit, grid and households by hand) and
// one unit moved to a new grid label; the preview shows the mapped columns, the import applies with progress, and
// the new draft holds exactly as many units as the file has features.
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { RESULTS_DIR } from '../helpers/browser.ts';
import { useBrowsers } from './fixture.ts';
import { demoAccount, loginCookie } from '../helpers/auth.ts';
import { COUNTY, testPool } from '../helpers/db.ts';
import { exportPlan, filesDir, gdal, newPlan, ogrSelect, readLayer } from '../helpers/plan-files.ts';

const base = inject('baseUrl');
const pool = testPool();
const dir = filesDir('plan-import-gpkg-e2e-');
const openBrowser = useBrowsers();
afterAll(async () => {
  await pool.end();
});

describe('the Files panel of /plan', () => {
  it('imports a GeoPackage made with ogr2ogr, with the fields mapped by hand and previewed, into a new draft of the same units', async () => {
    const cookie = await loginCookie(demoAccount('planner'));
    const sourceId = await newPlan(cookie, 'e2e gpkg source');
    const geojson = await exportPlan(cookie, sourceId, 'format=geojson', path.join(dir, 'source.geojson'));
    const exported = readLayer(geojson);
    const unit = exported.features[7].properties as { unit_id: string; households: number };
    const gpkg = path.join(dir, '网格调整.gpkg');
    const moved = `case when unit_id = '${unit.unit_id}' then 'GPKGMOVED' else grid_label end`;
    ogrSelect(
      'GPKG',
      gpkg,
      geojson,
      'wangge',
      `select unit_id as bianma, ${moved} as wangge, households as hushu, geometry from "source"`,
    );
    // The file's own count, as GDAL reads it back.
    const info = gdal('ogrinfo', '-so', gpkg, 'wangge');
    const features = Number(/Feature Count: (\d+)/.exec(info)![1]);
    expect(features).toBe(exported.features.length);

    const { page, errors } = await openBrowser({ cookie });
    await page.goto(`${base}/plan?plan=${sourceId}&lang=zh`);
    await page.waitForSelector('[data-testid="plan-files"] [data-testid="plan-export-gpkg"]', { timeout: 90_000 });
    await page.setInputFiles('[data-testid="plan-import-file"]', gpkg);
    await page.waitForSelector('[data-testid="plan-import-summary"]', { timeout: 60_000 });
    const summary = (await page.textContent('[data-testid="plan-import-summary"]'))!;
    expect(summary).toMatch(/GPKG|GeoPackage/);
    expect(summary).toContain('wangge');
    expect(summary).toContain(String(features));
    // Nothing could be guessed from these names: the import is blocked until the fields are mapped.
    expect(await page.inputValue('[data-testid="plan-import-unitField"]')).toBe('');
    expect(await page.isDisabled('[data-testid="plan-import-apply"]')).toBe(true);

    for (const [key, field] of [
      ['unitField', 'bianma'],
      ['labelField', 'wangge'],
      ['householdsField', 'hushu'],
    ]) {
      await page.selectOption(`[data-testid="plan-import-${key}"]`, field);
      await page.waitForFunction(
        ([k, f]) =>
          (document.querySelector(`[data-testid="plan-import-${k}"]`) as HTMLSelectElement | null)?.value === f &&
          !document.querySelector('[data-testid="plan-import-progress"]'),
        [key, field],
        { timeout: 60_000 },
      );
    }
    await page.waitForSelector('[data-testid="plan-import-sample"]', { timeout: 60_000 });
    expect(
      await page.$$eval('[data-testid="plan-import-sample"] th', (th) => th.map((h) => h.textContent?.trim())),
    ).toEqual(['bianma', 'wangge', 'hushu']);
    const firstRow = await page.$$eval('[data-testid="plan-import-sample"] tbody tr:first-child td', (td) =>
      td.map((d) => d.textContent?.trim()),
    );
    expect(firstRow[0]).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(await page.textContent('[data-testid="plan-import-problems"]')).not.toMatch(/未知|无效|类型错误|请选择/);
    await page.waitForSelector('[data-testid="plan-import-apply"]:not([disabled])', { timeout: 10_000 });
    await page
      .locator('[data-testid="plan-files"]')
      .screenshot({ path: path.join(RESULTS_DIR, 'plan-import-gpkg-preview.png') });

    await page.click('[data-testid="plan-import-apply"]');
    await page.waitForSelector('[data-testid="plan-files"][data-state="ok"]', { timeout: 90_000 });
    await page.waitForFunction((id) => /[?&]plan=(\d+)/.exec(location.search)?.[1] !== String(id), sourceId, {
      timeout: 30_000,
    });
    const draftId = Number(new URL(page.url()).searchParams.get('plan'));
    const row = await page.waitForSelector('[data-testid="plan-grid-row"][data-grid="GPKGMOVED"]', { timeout: 30_000 });
    expect(Number(await row.getAttribute('data-households'))).toBe(unit.households);
    expect(await page.getAttribute('[data-testid="plan-draft"].open', 'data-name')).toBe('网格调整.gpkg');

    // The new draft: one unit per feature of the file, as the database holds it and as the list shows it.
    const { rows } = await pool.query(
      'select count(*)::int as n, count(*) filter (where grid_label = $3)::int as moved from plan_assignments where county_code = $1 and plan_id = $2',
      [COUNTY, draftId, 'GPKGMOVED'],
    );
    expect(rows[0]).toEqual({ n: features, moved: 1 });
    expect(await page.textContent('[data-testid="plan-draft"].open')).toContain(`${features} 个单元`);
    await page.locator('[data-testid="plan-files"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(RESULTS_DIR, 'plan-import-gpkg-imported.png') });
    expect(errors).toEqual([]);
  }, 300_000);
});
