// Importing a zipped Shapefile through the Files panel of /plan in Chromium: the file (made with ogr2ogr from the
// plan's own export, one unit moved to a new grid label) is previewed with its fields mapped, applied with
// progress, and the new draft opens with that unit's grid in the grid list.
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { RESULTS_DIR } from '../helpers/browser.ts';
import { useBrowsers } from './fixture.ts';
import { demoAccount, loginCookie } from '../helpers/auth.ts';
import { exportPlan, filesDir, newPlan, ogrSelect, readLayer } from '../helpers/plan-files.ts';

const base = inject('baseUrl');
const dir = filesDir('plan-files-e2e-');
const openBrowser = useBrowsers();

describe('the Files panel of /plan', () => {
  it('imports a zipped Shapefile and opens the new draft with the changed unit', async () => {
    const cookie = await loginCookie(demoAccount('planner'));
    const sourceId = await newPlan(cookie, 'e2e files source');
    const gpkg = await exportPlan(cookie, sourceId, 'format=gpkg', path.join(dir, 'source.gpkg'));
    const unit = readLayer(gpkg, 'units').features[5].properties as { unit_id: string; households: number };
    const zip = path.join(dir, 'moved.shp.zip');
    const moved = `case when unit_id = '${unit.unit_id}' then 'E2EMOVED' else grid_label end`;
    ogrSelect(
      'ESRI Shapefile',
      zip,
      gpkg,
      'units',
      `select unit_id, ${moved} as grid_label, households, geom from units`,
    );

    const { page, errors } = await openBrowser({ cookie });
    await page.goto(`${base}/plan?plan=${sourceId}&lang=zh`);
    await page.waitForSelector('[data-testid="plan-files"] [data-testid="plan-export-shp"]', { timeout: 90_000 });
    await page.setInputFiles('[data-testid="plan-import-file"]', zip);
    await page.waitForSelector('[data-testid="plan-import-sample"]', { timeout: 60_000 });
    expect(await page.inputValue('[data-testid="plan-import-unitField"]')).toBe('unit_id');
    expect(await page.inputValue('[data-testid="plan-import-labelField"]')).toBe('grid_label');
    expect(await page.textContent('[data-testid="plan-import-summary"]')).toContain('Shapefile');
    expect(await page.textContent('[data-testid="plan-import-problems"]')).not.toMatch(/未知|无效|类型错误/);
    await page
      .locator('[data-testid="plan-files"]')
      .screenshot({ path: path.join(RESULTS_DIR, 'plan-files-preview.png') });

    await page.click('[data-testid="plan-import-apply"]');
    await page.waitForSelector('[data-testid="plan-files"][data-state="ok"]', { timeout: 60_000 });
    await page.waitForFunction((id) => /[?&]plan=(\d+)/.exec(location.search)?.[1] !== String(id), sourceId, {
      timeout: 30_000,
    });
    const row = await page.waitForSelector('[data-testid="plan-grid-row"][data-grid="E2EMOVED"]', { timeout: 30_000 });
    expect(Number(await row.getAttribute('data-households'))).toBe(unit.households);
    expect(await page.getAttribute('[data-testid="plan-draft"].open', 'data-name')).toBe('moved.shp.zip');
    expect(await page.textContent('[data-testid="plan-import-message"]')).toContain('moved.shp.zip');
    await page.locator('[data-testid="plan-files"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(RESULTS_DIR, 'plan-files-imported.png') });
    expect(errors).toEqual([]);
  });
});
