// The demo badge in Chromium comes from the loaded data set's manifest (GET /api/county): on the synthetic demo
// county every page shows it; a server of a county whose manifest is not synthetic shows it nowhere.
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { testPool } from '../helpers/db.ts';
import { useBrowsers } from './fixture.ts';
import { useRealCounty } from '../helpers/real-county.ts';

const base = inject('baseUrl');
const pool = testPool();
/** A county of no data but its row, real (its manifest is not synthetic). */
const REAL = '999997';
const open = useBrowsers();

// Registered first: after-hooks run last to first, and the real county's server closes before the pool.
afterAll(() => pool.end());
const realBase = useRealCounty(pool, REAL, { name: '实县', name_en: 'Real County' });

/** Opens the login page of `origin` and waits until its frame has the county's answer. */
async function openLogin(page: Page, origin: string): Promise<boolean> {
  const answered = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/county');
  await page.goto(`${origin}/login`);
  const county = await (await answered).json();
  await page.waitForSelector('[data-testid="app-nav"]');
  return county.synthetic;
}

describe('the demo badge', () => {
  it('shows on the synthetic demo county', async () => {
    const { page } = await open({ viewport: { width: 1200, height: 800 } });
    expect(await openLogin(page, base)).toBe(true);
    await page.waitForSelector('[data-testid="demo-data-badge"]', { timeout: 10_000 });
  });

  it("is absent where the county's manifest is not synthetic", async () => {
    const { page } = await open({ viewport: { width: 1200, height: 800 } });
    expect(await openLogin(page, realBase())).toBe(false);
    // The answer is in: give Vue a frame to render, then the badge must not be there.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    expect(await page.locator('[data-testid="demo-data-badge"]').count()).toBe(0);
  });
});

describe("the county's name", () => {
  it('titles every page with the county of the data, in either language', async () => {
    const { page } = await open({ viewport: { width: 1200, height: 800 } });
    await openLogin(page, realBase());
    await page.waitForFunction(() => document.title === '网格连心 · 实县');
    expect(await page.textContent('.app-header .subtitle')).toBe('实县网格化社区治理');
    await page.goto(`${realBase()}/login?lang=en`);
    await page.waitForFunction(() => document.title === 'Gridlink · Real County');
    expect(await page.textContent('.app-header .subtitle')).toBe('Grid-based community governance, Real County');
  });
});
