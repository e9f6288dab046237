// A building's issues are for the staff of its area (GET /api/areas/building/:id/issues answers 403 to others):
// the inspection card says so calmly instead of showing a failure; staff of the grid get the figures.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, recordingPage } from '../helpers/browser.ts';
import { freshSession } from '../helpers/issues-fixtures.ts';
import { COUNTY, testPool } from '../helpers/db.ts';

const pool = testPool();
let building: { id: string; grid_id: string };
const browsers: Awaited<ReturnType<typeof launchBrowser>>[] = [];
afterAll(async () => {
  for (const b of browsers) await b.close();
  await pool.end();
});

/** A page in a browser of its own (own cookies), signed in with `cookie` when given. */
async function openPage(cookie?: string): Promise<Page> {
  const browser = await launchBrowser();
  browsers.push(browser);
  if (cookie) {
    const [name, value] = cookie.split('=');
    await browser.context.addCookies([{ name, value, url: inject('baseUrl') }]);
  }
  return (await recordingPage(browser.context)).page;
}

beforeAll(async () => {
  const { rows } = await pool.query(
    `select id, grid_id from buildings where county_code = $1 and grid_id is not null order by id limit 1`,
    [COUNTY],
  );
  building = rows[0];
});

async function issuesCard(page: Page, lang: 'zh' | 'en'): Promise<string> {
  await page.goto(`${inject('baseUrl')}/inspect?level=building&id=${building.id}&lang=${lang}`);
  const section = await page.waitForSelector('[data-testid="area-issues"]:not([data-status="loading"])', {
    timeout: 120_000,
  });
  return (await section.getAttribute('data-status')) ?? '';
}

describe('the issues of a building on the inspection card', () => {
  it('show a note, not an error, to callers who may not read them', async () => {
    const page = await openPage();
    expect(await issuesCard(page, 'zh')).toBe('error');
    expect(await page.textContent('[data-testid="issues-staff-only"]')).toContain('仅对负责本网格的工作人员可见');
    expect(await page.$('[data-testid="area-issues"] [role="alert"]')).toBeNull();

    const { rows } = await pool.query(`select id from grids where county_code = $1 and id <> $2 order by id limit 1`, [
      COUNTY,
      building.grid_id,
    ]);
    const other = await freshSession(pool, 'grid_worker', { streetId: null, communityId: null, gridId: rows[0].id });
    const otherPage = await openPage(other.cookie);
    expect(await issuesCard(otherPage, 'en')).toBe('error');
    expect(await otherPage.textContent('[data-testid="issues-staff-only"]')).toContain(
      "Only the staff responsible for this grid can see this building's issues",
    );
  });

  it("give the grid's own staff the figures", async () => {
    const own = await freshSession(pool, 'grid_worker', {
      streetId: null,
      communityId: null,
      gridId: building.grid_id,
    });
    const page = await openPage(own.cookie);
    expect(await issuesCard(page, 'zh')).toBe('loaded');
    expect(await page.$('[data-testid="issues-staff-only"]')).toBeNull();
  });
});
