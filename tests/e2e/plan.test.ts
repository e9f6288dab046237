// /plan in Chromium: a planner logs in, makes a draft, clicks a compound into another grid and both grids'
// figures follow, undo / redo, automatic balancing in the worker makes every grid valid, and the draft survives
// a reload (autosave).
import { afterAll, describe, expect, inject, it } from 'vitest';
import { screenshotPixels } from '../helpers/browser.ts';
import { useBrowser } from './fixture.ts';
import { demoAccount } from '../helpers/auth.ts';
import { COUNTY, testPool } from '../helpers/db.ts';
import { gridHouseholds as gridHouseholdsOf, waitForHouseholds as waitForHouseholdsOf } from '../helpers/plan-page.ts';
import { screenPoint } from '../helpers/map-page.ts';

const pool = testPool();
const { page, errors: consoleErrors } = useBrowser();
const DRAFT = `e2e draft ${Date.now()}`;

afterAll(async () => {
  await pool.end();
});

async function clickMapAt(lng: number, lat: number): Promise<void> {
  const point = await screenPoint(page, lng, lat);
  await page.mouse.click(point.x, point.y);
}

const gridHouseholds = (label: string) => gridHouseholdsOf(page, label);
const waitForHouseholds = (label: string, value: number) => waitForHouseholdsOf(page, label, value);

/** A compound unit in a grid of several units, another grid of its community, and the expected figures. */
async function pickMove() {
  const { rows } = await pool.query(
    `with sums as (select grid_id, sum(households)::int as households, count(*)::int as units from plan_units where county_code = $1 group by grid_id)
     select u.id, u.households, u.grid_id as "from", other.id as "to", sf.households as "fromHouseholds", st.households as "toHouseholds",
            st_x(st_pointonsurface(c.geom)) as lng, st_y(st_pointonsurface(c.geom)) as lat
     from plan_units u
     join compounds c on c.county_code = u.county_code and c.id = u.id
     join sums sf on sf.grid_id = u.grid_id
     join lateral (select g.id from grids g where g.county_code = u.county_code and g.community_id = u.community_id and g.id <> u.grid_id order by g.id
     limit 1) other on true
     join sums st on st.grid_id = other.id
     where u.county_code = $1 and u.kind = 'compound' and u.households > 0 and sf.units >= 2
     order by u.households desc, u.id limit 1`,
    [COUNTY],
  );
  return rows[0] as {
    id: string;
    households: number;
    from: string;
    to: string;
    fromHouseholds: number;
    toHouseholds: number;
    lng: number;
    lat: number;
  };
}

describe('/plan in Chromium', () => {
  it('logs the planner in, edits a draft by clicks with live figures, undoes, balances, and keeps it over a reload', async () => {
    const base = inject('baseUrl');
    // Not logged in: the page sends the planner to the login form and back.
    await page.goto(`${base}/plan?lang=zh`);
    await page.waitForFunction(() => location.pathname === '/login', undefined, { timeout: 30_000 });
    const planner = demoAccount('planner');
    await page.fill('[data-testid="login-username"]', planner.username);
    await page.fill('[data-testid="login-password"]', 'wrong password');
    await page.click('[data-testid="login-submit"]');
    await page.waitForSelector('[data-testid="login-error"]');
    await page.fill('[data-testid="login-password"]', planner.password);
    await page.click('[data-testid="login-submit"]');
    await page.waitForFunction(() => location.pathname === '/plan', undefined, { timeout: 30_000 });
    await page.waitForSelector('body[data-map-ready="true"]', { timeout: 120_000 });

    // A draft from the current grids.
    await page.fill('[data-testid="plan-new-name"]', DRAFT);
    await page.click('[data-testid="plan-create"]');
    await page.waitForSelector('[data-testid="plan-summary"]', { timeout: 60_000 });
    const { rows: gridCount } = await pool.query(
      'select count(distinct grid_id)::int as n from plan_units where county_code = $1',
      [COUNTY],
    );
    expect(Number(await page.getAttribute('[data-testid="plan-summary"]', 'data-grids'))).toBe(gridCount[0].n);
    await page.waitForFunction(() => /^\d+$/.test(new URLSearchParams(location.search).get('plan') ?? ''), undefined, {
      timeout: 10_000,
    });
    const planId = Number(new URL(page.url()).searchParams.get('plan'));
    expect(planId).toBeGreaterThan(0);

    // Select grid B in the panel, click compound Q of grid A on the map: both grids' figures follow.
    const move = await pickMove();
    expect(await gridHouseholds(move.from)).toBe(move.fromHouseholds);
    expect(await gridHouseholds(move.to)).toBe(move.toHouseholds);
    await page.click(`[data-testid="plan-grid-row"][data-grid="${move.to}"]`);
    await page.waitForSelector(`[data-testid="plan-selected"][data-grid="${move.to}"]`);
    await clickMapAt(move.lng, move.lat);
    await waitForHouseholds(move.to, move.toHouseholds + move.households);
    await waitForHouseholds(move.from, move.fromHouseholds - move.households);
    await screenshotPixels(page, 'plan-moved.png');

    // Undo and redo.
    await page.click('[data-testid="plan-undo"]');
    await waitForHouseholds(move.to, move.toHouseholds);
    await waitForHouseholds(move.from, move.fromHouseholds);
    await page.click('[data-testid="plan-redo"]');
    await waitForHouseholds(move.to, move.toHouseholds + move.households);
    // Autosave reached the database.
    await page.waitForSelector('[data-testid="plan-save"][data-state="saved"]', { timeout: 10_000 });
    const saved = await pool.query(
      'select grid_label from plan_assignments where county_code = $1 and plan_id = $2 and unit_id = $3',
      [COUNTY, planId, move.id],
    );
    expect(saved.rows[0].grid_label).toBe(move.to);

    // Automatic balancing of the whole plan in the worker: every grid valid, one undoable step.
    await page.click('[data-testid="plan-balance"]');
    await page.waitForSelector('[data-testid="plan-balance-status"]', { timeout: 90_000 });
    await page.waitForSelector('[data-testid="plan-summary"][data-valid="true"]', { timeout: 10_000 });
    const statuses = await page.$$eval('[data-testid="plan-grid-row"]', (rows) =>
      rows.map((r) =>
        [r.getAttribute('data-status'), r.getAttribute('data-contiguous'), r.getAttribute('data-spans')].join('/'),
      ),
    );
    expect(statuses.length).toBeGreaterThan(100);
    expect(new Set(statuses)).toEqual(new Set(['ok/true/false']));
    // The whole balancing result is one step: undo brings back the clicked plan, redo the balanced one.
    await page.click('[data-testid="plan-undo"]');
    await page.waitForSelector('[data-testid="plan-summary"][data-valid="false"]', { timeout: 10_000 });
    await waitForHouseholds(move.to, move.toHouseholds + move.households);
    await page.click('[data-testid="plan-redo"]');
    await page.waitForSelector('[data-testid="plan-summary"][data-valid="true"]', { timeout: 10_000 });
    await page.waitForSelector('[data-testid="plan-save"][data-state="saved"]', { timeout: 10_000 });
    await screenshotPixels(page, 'plan-balanced.png');
    const balancedGrids = Number(await page.getAttribute('[data-testid="plan-summary"]', 'data-grids'));
    const { rows: stored } = await pool.query(
      `select count(distinct grid_label)::int as n, count(*)::int as units from plan_assignments where county_code = $1 and plan_id = $2`,
      [COUNTY, planId],
    );
    expect(stored[0].n).toBe(balancedGrids);

    // Reload: the draft opens again from the URL, as saved.
    await page.reload();
    await page.waitForSelector('[data-testid="plan-summary"][data-valid="true"]', { timeout: 120_000 });
    expect(Number(await page.getAttribute('[data-testid="plan-summary"]', 'data-grids'))).toBe(balancedGrids);
    expect(await page.$(`[data-testid="plan-draft"][data-name="${DRAFT}"]`)).not.toBeNull();
    await page.waitForSelector('body[data-map-ready="true"]', { timeout: 120_000 });
    expect(consoleErrors.filter((e) => !/401|Unauthorized/.test(e))).toEqual([]);
  });
});
