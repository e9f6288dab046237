// Importing a zipped Shapefile through the Files panel of /plan in Chromium: the file (made with ogr2ogr from the
// plan's own export, one unit moved to a new grid label) is previewed with its fields mapped, applied with
// progress, and the new draft opens with that unit's grid in the grid list.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { RESULTS_DIR } from '../helpers/browser.ts';
import { useBrowsers } from './fixture.ts';
import { demoAccount, loginCookie } from '../helpers/auth.ts';

const base = inject('baseUrl');
const dir = mkdtempSync(path.join(tmpdir(), 'plan-files-e2e-'));
const openBrowser = useBrowsers();
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the Files panel of /plan', () => {
  it('imports a zipped Shapefile and opens the new draft with the changed unit', async () => {
    const cookie = await loginCookie(demoAccount('planner'));
    const created = await fetch(`${base}/api/plans`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'e2e files source' }),
    });
    const source = (await created.json()) as { id: number };
    const gpkg = path.join(dir, 'source.gpkg');
    writeFileSync(
      gpkg,
      Buffer.from(
        await (await fetch(`${base}/api/plans/${source.id}/export?format=gpkg`, { headers: { cookie } })).arrayBuffer(),
      ),
    );
    const units = JSON.parse(
      execFileSync('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', gpkg, 'units'], {
        encoding: 'utf8',
        maxBuffer: 256 << 20,
      }),
    );
    const unit = units.features[5].properties as { unit_id: string; households: number };
    const zip = path.join(dir, 'moved.shp.zip');
    execFileSync('ogr2ogr', [
      '-f',
      'ESRI Shapefile',
      zip,
      gpkg,
      '-nln',
      'units',
      '-dialect',
      'SQLite',
      '-sql',
      `select unit_id, case when unit_id = '${unit.unit_id}' then 'E2EMOVED' else grid_label end as grid_label, households, geom from units`,
    ]);

    const { page, errors } = await openBrowser({ cookie });
    await page.goto(`${base}/plan?plan=${source.id}&lang=zh`);
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
    await page.waitForFunction((id) => /[?&]plan=(\d+)/.exec(location.search)?.[1] !== String(id), source.id, {
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
