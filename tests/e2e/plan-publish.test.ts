// Publishing from /plan in Chromium: the diff of a draft is listed and its moved unit marked on the map; Publish
// (confirmed) makes it the current grids and /inspect shows the compound in its new grid at once; a second
// planner's draft begun before that publication gets the 409 message in the page, rebases and publishes.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { countPixels, screenshotPixels } from '../helpers/browser.ts';
import { useBrowsers, type OpenedPage } from './fixture.ts';
import { demoAccount, loginCookie } from '../helpers/auth.ts';
import { COUNTY, testPool } from '../helpers/db.ts';
import { snapshotGrids } from '../helpers/grid-snapshot.ts';
import { findValidMove } from '../helpers/plan-moves.ts';
import { PLAN_MOVED_LINE } from '../../client/map/plan-diff-layers.ts';
import { hexToRgb } from '../../shared/map/palette.ts';
import type { PlanUnitsGeoJson } from '../../server/plans/validate-plan.ts';

const base = inject('baseUrl');
const pool = testPool();
const openBrowser = useBrowsers();
let restoreGrids: () => Promise<void>;

async function api(cookie: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { cookie, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.ok, `${method} ${path}: ${res.status}`).toBe(true);
  return res.json();
}

/** A logged-in page of its own browser profile; every confirmation dialog is accepted. */
async function plannerPage(cookie: string): Promise<OpenedPage> {
  const opened = await openBrowser({ cookie });
  opened.page.on('dialog', (dialog) => void dialog.accept());
  return opened;
}

beforeAll(async () => {
  restoreGrids = await snapshotGrids(pool);
});
afterAll(async () => {
  await restoreGrids();
  await pool.end();
});

describe('publishing from /plan in Chromium', () => {
  it('publishes a reviewed draft, /inspect shows the new grid, and a stale second planner gets 409, rebases and publishes', async () => {
    const plannerCookie = await loginCookie(demoAccount('planner'));
    const adminCookie = await loginCookie(demoAccount('admin'));
    const units: PlanUnitsGeoJson = await api(plannerCookie, 'GET', '/api/plan/units');
    // Two drafts begun now: the planner's moves one compound, the second planner's another in another community.
    const mine = await api(plannerCookie, 'POST', '/api/plans', { name: 'e2e publish' });
    const move = findValidMove(units, mine.assignments)!;
    mine.assignments[move.unit] = move.to;
    await api(plannerCookie, 'PUT', `/api/plans/${mine.id}/assignments`, { assignments: mine.assignments });
    const theirs = await api(adminCookie, 'POST', '/api/plans', { name: 'e2e stale' });
    const other = findValidMove(units, theirs.assignments, [move.community])!;
    theirs.assignments[other.unit] = other.to;
    await api(adminCookie, 'PUT', `/api/plans/${theirs.id}/assignments`, { assignments: theirs.assignments });

    // The planner reviews the draft: one unit, its households, two grids changed; the unit marked on the map.
    const { page, errors } = await plannerPage(plannerCookie);
    await page.goto(`${base}/plan?plan=${mine.id}&lang=zh`);
    await page.waitForSelector('[data-testid="plan-diff"][data-units="1"]', { timeout: 90_000 });
    await page.waitForSelector('body[data-map-ready="true"]', { timeout: 120_000 });
    expect(Number(await page.getAttribute('[data-testid="plan-diff"]', 'data-households'))).toBe(move.households);
    expect(Number(await page.getAttribute('[data-testid="plan-diff"]', 'data-grids'))).toBe(2);
    await page.evaluate(
      ([lng, lat]) =>
        (window as unknown as { __gridlinkMap: { jumpTo(o: object): void } }).__gridlinkMap.jumpTo({
          center: [lng, lat],
          zoom: 16,
        }),
      await centreOf(move.unit),
    );
    const magenta = hexToRgb(PLAN_MOVED_LINE);
    const outlined = async (name: string) => countPixels(await screenshotPixels(page, name), magenta, 30);
    await expect
      .poll(() => outlined('plan-publish-diff.png'), {
        message: 'the moved unit is outlined on the map',
        timeout: 30_000,
      })
      .toBeGreaterThan(200);
    const before = await outlined('plan-publish-diff.png');

    // Publish (the confirmation is accepted): the page says so, the diff is empty, the mark is gone.
    await page.click('[data-testid="plan-publish-button"]');
    await page.waitForSelector('[data-testid="plan-publish-status"][data-kind="published"]', { timeout: 60_000 });
    await page.waitForSelector('[data-testid="plan-diff"][data-units="0"]', { timeout: 30_000 });
    await page.waitForSelector(`[data-testid="plan-history-item"][data-id="${mine.id}"][data-current="true"]`, {
      timeout: 10_000,
    });
    await expect.poll(() => outlined('plan-publish-done.png'), { timeout: 30_000 }).toBeLessThan(before / 10);
    const { rows: stored } = await pool.query('select grid_id from compounds where county_code = $1 and id = $2', [
      COUNTY,
      move.unit,
    ]);
    expect(stored[0].grid_id).toBe(move.to);

    // The published plan stays in the list, read-only, with its status and time; a copy opens as a new draft.
    const listed = `[data-testid="plan-draft"][data-id="${mine.id}"][data-status="published"]`;
    await page.waitForSelector(`${listed} [data-testid="plan-draft-published"]`, { timeout: 10_000 });
    expect(await page.$(`${listed} [data-testid="plan-delete"]`)).toBeNull();
    expect(await page.textContent(listed)).toMatch(/发布于 .*只读/);
    await page.waitForSelector('[data-testid="plan-read-only"]');
    await screenshotPixels(page, 'plan-published-readonly.png');
    await page.click('[data-testid="plan-open-copy"]');
    await page.waitForFunction((id) => new URLSearchParams(location.search).get('plan') !== String(id), mine.id, {
      timeout: 30_000,
    });
    const copyId = Number(new URL(page.url()).searchParams.get('plan'));
    await page.waitForSelector(`[data-testid="plan-draft"][data-id="${copyId}"][data-status="draft"]`, {
      timeout: 10_000,
    });
    expect(await page.$('[data-testid="plan-read-only"]')).toBeNull();

    // /inspect at once: the new grid's card lists the compound and the grid's households as the database sums them.
    const { rows: sums } = await pool.query(
      'select households from grid_totals where county_code = $1 and grid_id = $2',
      [COUNTY, move.to],
    );
    await page.goto(`${base}/inspect?level=grid&id=${move.to}&lang=zh`);
    await page.waitForSelector(`[data-testid="area-card"][data-status="loaded"][data-id="${move.to}"]`, {
      timeout: 60_000,
    });
    await page.waitForSelector(`[data-testid="area-child"][data-id="${move.unit}"]`, { timeout: 30_000 });
    expect(Number(await page.getAttribute('[data-testid="figure-households"]', 'data-value'))).toBe(sums[0].households);
    await page.waitForSelector('body[data-map-ready="true"]', { timeout: 120_000 });
    await screenshotPixels(page, 'plan-publish-inspect.png');
    expect(errors.filter((e) => !/401|Unauthorized/.test(e))).toEqual([]);

    // The second planner's draft began before that publication: 409 in the page, with Rebase; then it publishes.
    const second = await plannerPage(adminCookie);
    await second.page.goto(`${base}/plan?plan=${theirs.id}&lang=en`);
    await second.page.waitForSelector('[data-testid="plan-diff"]', { timeout: 120_000 });
    await second.page.click('[data-testid="plan-publish-button"]');
    await second.page.waitForSelector('[data-testid="plan-publish-status"][data-kind="stale"]', { timeout: 60_000 });
    const message = await second.page.textContent('[data-testid="plan-publish-stale"]');
    expect(message).toContain('e2e publish');
    expect(message).toMatch(/rebase/i);
    await screenshotPixels(second.page, 'plan-publish-stale.png');
    const { rows: unchanged } = await pool.query('select grid_id from compounds where county_code = $1 and id = $2', [
      COUNTY,
      other.unit,
    ]);
    expect(unchanged[0].grid_id).toBe(other.from);
    await second.page.click('[data-testid="plan-rebase"]');
    await second.page.waitForSelector('[data-testid="plan-publish-status"][data-kind="rebased"]', { timeout: 60_000 });
    await second.page.waitForSelector('[data-testid="plan-diff"][data-units="1"]', { timeout: 30_000 });
    await second.page.click('[data-testid="plan-publish-button"]');
    await second.page.waitForSelector('[data-testid="plan-publish-status"][data-kind="published"]', {
      timeout: 60_000,
    });
    const { rows: now } = await pool.query(
      'select id, grid_id from compounds where county_code = $1 and id = any($2) order by id',
      [COUNTY, [move.unit, other.unit]],
    );
    expect(Object.fromEntries(now.map((r) => [r.id, r.grid_id]))).toEqual({
      [move.unit]: move.to,
      [other.unit]: other.to,
    });
    expect(second.errors.filter((e) => !/401|409|Unauthorized|Conflict/.test(e))).toEqual([]);
  }, 400_000);

  it("shows a compound split over two grids as a violation naming it, merges it in one click, moves this browser's old locks", async () => {
    const cookie = await loginCookie(demoAccount('planner'));
    const units: PlanUnitsGeoJson & { compoundBuildings: PlanUnitsGeoJson['features'] } = await api(
      cookie,
      'GET',
      '/api/plan/units',
    );
    const draft = await api(cookie, 'POST', '/api/plans', { name: 'e2e split spread' });
    const { rows } = await pool.query(
      `select c.id, c.grid_id as grid, array_agg(b.id order by b.id) as buildings,
              (select g.id from grids g where g.county_code = c.county_code and g.community_id = c.community_id and g.id <> c.grid_id order by g.id
              limit 1) as other
       from compounds c join buildings b on b.county_code = c.county_code and b.compound_id = c.id
       where c.county_code = $1 and c.households between 1 and 500 and c.grid_id is not null
       group by c.county_code, c.id having count(*) >= 2 order by c.id limit 1`,
      [COUNTY],
    );
    const {
      id: compound,
      grid,
      other,
      buildings,
    } = rows[0] as { id: string; grid: string; other: string; buildings: string[] };
    expect(units.compoundBuildings.filter((b) => b.properties.compound_id === compound)).toHaveLength(buildings.length);
    delete draft.assignments[compound];
    buildings.forEach((b, i) => (draft.assignments[b] = i === 0 ? other : grid));
    await api(cookie, 'PUT', `/api/plans/${draft.id}/assignments`, { assignments: draft.assignments });

    const { page, errors } = await plannerPage(cookie);
    await page.goto(`${base}/plan?plan=${draft.id}&lang=en`);
    const row = `[data-testid="plan-split-violation"][data-compound="${compound}"]`;
    await page.waitForSelector(row, { timeout: 120_000 });
    const text = (await page.textContent(row))!;
    expect(text).toContain(`Compound ${compound}`);
    expect(text).toContain([grid, other].sort().join(', '));
    expect(await page.getAttribute('[data-testid="plan-summary"]', 'data-valid')).toBe('false');
    await screenshotPixels(page, 'plan-split-violation.png');
    await page.click(`${row} [data-testid="plan-split-merge-back"]`);
    await page.waitForSelector(row, { state: 'detached', timeout: 10_000 });
    await page.waitForSelector('[data-testid="plan-save"][data-state="saved"]', { timeout: 15_000 });
    const { rows: stored } = await pool.query(
      'select unit_id, grid_label from plan_assignments where county_code = $1 and plan_id = $2 and unit_id = any($3)',
      [COUNTY, draft.id, [compound, ...buildings]],
    );
    // Whole again, in the grid that held most of its households.
    expect(stored).toHaveLength(1);
    expect(stored[0].unit_id).toBe(compound);
    expect([grid, other]).toContain(stored[0].grid_label);

    // A lock an older version kept in this browser moves into the draft on the server once, and leaves the browser.
    await page.evaluate(([id, label]) => localStorage.setItem(`gridlink.plan.locks.${id}`, JSON.stringify([label])), [
      draft.id,
      other,
    ] as const);
    await page.reload();
    await page.waitForSelector(`[data-testid="plan-grid-row"][data-grid="${other}"][data-locked="true"]`, {
      timeout: 120_000,
    });
    const lockedOnServer = async () =>
      (await pool.query('select locked_grids from plans where county_code = $1 and id = $2', [COUNTY, draft.id]))
        .rows[0].locked_grids;
    await expect
      .poll(lockedOnServer, {
        timeout: 60_000,
        message: `save state: ${await page.getAttribute('[data-testid="plan-save"]', 'data-state')}`,
      })
      .toEqual([other]);
    expect(await page.evaluate((id) => localStorage.getItem(`gridlink.plan.locks.${id}`), draft.id)).toBeNull();
    expect(errors.filter((e) => !/401|Unauthorized/.test(e))).toEqual([]);
  }, 300_000);
});

async function centreOf(compound: string): Promise<[number, number]> {
  const { rows } = await pool.query(
    'select st_x(p) as x, st_y(p) as y from (select st_pointonsurface(geom) as p from compounds where county_code = $1 and id = $2) c',
    [COUNTY, compound],
  );
  return [rows[0].x, rows[0].y];
}
