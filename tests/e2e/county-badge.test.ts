// The demo badge in Chromium comes from the loaded data set's manifest (GET /api/county): on the synthetic demo
// county every page shows it; a server of a county whose manifest is not synthetic shows it nowhere.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { readCountyManifest } from '../../server/demo/data-set.ts';
import { upsertCounty } from '../../server/db/counties-repo.ts';
import { testPool } from '../helpers/db.ts';
import { useBrowsers } from './fixture.ts';

const base = inject('baseUrl');
const pool = testPool();
const config = loadConfig();
/** A county of no data but its row, real (its manifest is not synthetic). */
const REAL = '999997';
const open = useBrowsers();

let app: Awaited<ReturnType<typeof createApp>>;
let server: ReturnType<typeof app.listen>;
let realBase: string;

beforeAll(async () => {
  const manifest = readCountyManifest(config.demoDataDir);
  await upsertCounty(pool, REAL, { ...manifest, code: REAL, synthetic: false });
  app = await createApp({ ...config, port: 0, countyCode: REAL }, pool);
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  realBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.close();
  await app?.context.close();
  await pool.query('delete from counties where county_code = $1', [REAL]);
  await pool.end();
});

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
    expect(await openLogin(page, realBase)).toBe(false);
    // The answer is in: give Vue a frame to render, then the badge must not be there.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    expect(await page.locator('[data-testid="demo-data-badge"]').count()).toBe(0);
  });
});
