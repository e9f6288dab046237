// The planner's page (/plan) in Chromium for e2e tests and the stroke benchmark: log a planner in, open a new
// draft, read a grid's households from the panel, pick a compound to
// paint back and forth, read the map's view.
import type pg from 'pg';
import type { Page } from 'playwright-core';
import { loginThroughForm } from './login-page.ts';

export interface PlannerLogin {
  username: string;
  password: string;
}

/** Logs in through the form (the page sends a visitor to /login and back) and waits for the map. */
export async function loginToPlan(page: Page, base: string, account: PlannerLogin): Promise<void> {
  await loginThroughForm(page, `${base}/plan?lang=zh`, account);
  await page.waitForSelector('body[data-map-ready="true"]', { timeout: 120_000 });
}

/** Makes a draft from the current grids and waits until it is open; returns its id. */
export async function createDraft(page: Page, name: string): Promise<number> {
  await page.fill('[data-testid="plan-new-name"]', name);
  await page.click('[data-testid="plan-create"]');
  await page.waitForSelector('[data-testid="plan-summary"]', { timeout: 60_000 });
  await page.waitForFunction(() => /^\d+$/.test(new URLSearchParams(location.search).get('plan') ?? ''), undefined, {
    timeout: 10_000,
  });
  return Number(new URL(page.url()).searchParams.get('plan'));
}

export async function gridHouseholds(page: Page, label: string): Promise<number | null> {
  const row = await page.$(`[data-testid="plan-grid-row"][data-grid="${label}"]`);
  return row ? Number(await row.getAttribute('data-households')) : null;
}

export async function waitForHouseholds(page: Page, label: string, value: number): Promise<void> {
  await page.waitForSelector(`[data-testid="plan-grid-row"][data-grid="${label}"][data-households="${value}"]`, {
    timeout: 10_000,
  });
}

/** A compound to paint back and forth between its grid and a neighbouring grid of its community. */
export interface BrushTarget {
  id: string;
  households: number;
  from: string;
  to: string;
  /** Centre of the compound's bounding box. */
  lng: number;
  lat: number;
}

/** The largest compound of a grid of three or more units with a neighbouring grid of its community: a small brush
 * at its centre touches it alone. */
export async function brushTarget(pool: pg.Pool, county: string): Promise<BrushTarget> {
  const { rows } = await pool.query(
    `select u.id, u.households, u.grid_id as "from", g.id as "to",
            st_x(st_centroid(st_envelope(c.geom))) as lng, st_y(st_centroid(st_envelope(c.geom))) as lat
     from plan_units u
     join compounds c on c.county_code = u.county_code and c.id = u.id
     join grids g on g.county_code = u.county_code and g.community_id = u.community_id and g.id <> u.grid_id
                 and st_dwithin(g.geom::geography, c.geom::geography, 40)
     where u.county_code = $1 and u.kind = 'compound' and u.households > 0
       and (select count(*) from plan_units o where o.county_code = u.county_code and o.grid_id = u.grid_id) >= 3
     order by st_area(c.geom::geography) desc, u.id, g.id limit 1`,
    [county],
  );
  return rows[0] as BrushTarget;
}

/** The map's centre and zoom. */
export async function mapView(page: Page): Promise<{ lng: number; lat: number; zoom: number }> {
  return page.evaluate(() => {
    const map = (
      window as unknown as { __gridlinkMap: { getCenter(): { lng: number; lat: number }; getZoom(): number } }
    ).__gridlinkMap;
    const { lng, lat } = map.getCenter();
    return { lng, lat, zoom: map.getZoom() };
  });
}

/** Sets the brush radius (pixels) through its slider. */
export async function setBrushRadius(page: Page, radius: number): Promise<void> {
  await page.$eval(
    '[data-testid="plan-brush-size"]',
    (input, value) => {
      (input as HTMLInputElement).value = String(value);
      input.dispatchEvent(new Event('input'));
    },
    radius,
  );
}
