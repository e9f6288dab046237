// The planner's brush in Chromium: forty strokes back and forth leave the map exactly where it was (each stroke
// once panned it by the stroke's length, until the compound walked off the map) and the last one still moves the
// compound (panel and saved draft); on a touch screen one finger paints and two fingers pan the map, painting
// nothing.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CDPSession, Page } from 'playwright-core';
import { screenshotPixels } from '../helpers/browser.ts';
import { useBrowsers } from './fixture.ts';
import { demoAccount } from '../helpers/auth.ts';
import { COUNTY, testPool } from '../helpers/db.ts';
import {
  brushTarget,
  createDraft,
  gridHouseholds,
  loginToPlan,
  mapView,
  setBrushRadius,
  waitForHouseholds,
  type BrushTarget,
} from '../helpers/plan-page.ts';
import { screenPoint } from '../helpers/map-page.ts';

const pool = testPool();
const openBrowser = useBrowsers();
let target: BrushTarget;

beforeAll(async () => {
  target = await brushTarget(pool, COUNTY);
});

afterAll(async () => {
  await pool.end();
});

async function openDraft(
  options: { hasTouch?: boolean } = {},
): Promise<{ page: Page; errors: string[]; planId: number }> {
  const { page, errors } = await openBrowser({ viewport: { width: 1400, height: 900 }, ...options });
  await loginToPlan(page, inject('baseUrl'), demoAccount('planner'));
  const planId = await createDraft(page, `e2e brush ${Date.now()}`);
  await page.click('[data-testid="plan-tool-brush"]');
  await page.waitForSelector('[data-testid="plan-tools"][data-tool="brush"]');
  await setBrushRadius(page, 12);
  return { page, errors, planId };
}

async function selectGrid(page: Page, label: string): Promise<void> {
  await page.click(`[data-testid="plan-grid-row"][data-grid="${label}"] .label`);
  await page.waitForSelector(`[data-testid="plan-selected"][data-grid="${label}"]`);
}

async function storedLabel(planId: number, unitId: string): Promise<string | null> {
  const { rows } = await pool.query(
    'select grid_label from plan_assignments where county_code = $1 and plan_id = $2 and unit_id = $3',
    [COUNTY, planId, unitId],
  );
  return rows[0]?.grid_label ?? null;
}

async function touch(
  cdp: CDPSession,
  type: 'touchStart' | 'touchMove' | 'touchEnd',
  points: { x: number; y: number }[],
): Promise<void> {
  await cdp.send('Input.dispatchTouchEvent', { type, touchPoints: points.map((p, id) => ({ x: p.x, y: p.y, id })) });
}

describe('/plan brush in Chromium', () => {
  it('paints forty-one strokes back and forth without moving the map; the last stroke still moves the compound', async () => {
    const { page, errors, planId } = await openDraft();
    const fromBefore = (await gridHouseholds(page, target.from))!;
    const toBefore = (await gridHouseholds(page, target.to))!;
    const view = await mapView(page);
    const STROKES = 41;
    for (let i = 0; i < STROKES; i++) {
      const into = i % 2 === 0 ? target.to : target.from;
      await selectGrid(page, into);
      const p = await screenPoint(page, target.lng, target.lat);
      await page.mouse.move(p.x - 2, p.y);
      await page.mouse.down();
      await page.mouse.move(p.x + 2, p.y, { steps: 2 });
      await page.mouse.up();
      await waitForHouseholds(page, target.to, i % 2 === 0 ? toBefore + target.households : toBefore);
    }
    expect(await mapView(page)).toEqual(view);
    // The last stroke (into the neighbour) moved the compound: the panel and the saved draft say so.
    await waitForHouseholds(page, target.from, fromBefore - target.households);
    await page.waitForSelector('[data-testid="plan-save"][data-state="saved"]', { timeout: 15_000 });
    expect(await storedLabel(planId, target.id)).toBe(target.to);
    // Every stroke was one undoable step: one undo puts the compound back.
    await page.click('[data-testid="plan-undo"]');
    await waitForHouseholds(page, target.to, toBefore);
    expect(errors.filter((e) => !/401|Unauthorized/.test(e))).toEqual([]);
  }, 300_000);

  it('paints with one finger on a touch screen; two fingers pan the map and paint nothing', async () => {
    const { page, errors, planId } = await openDraft({ hasTouch: true });
    const toBefore = (await gridHouseholds(page, target.to))!;
    await selectGrid(page, target.to);
    const cdp = await page.context().newCDPSession(page);

    // Two fingers dragged 80 px to the right, one of them starting on the compound: the map pans, nothing moves.
    const view = await mapView(page);
    let p = await screenPoint(page, target.lng, target.lat);
    await touch(cdp, 'touchStart', [p, { x: p.x + 60, y: p.y + 40 }]);
    for (let k = 1; k <= 8; k++)
      await touch(cdp, 'touchMove', [
        { x: p.x + 10 * k, y: p.y },
        { x: p.x + 60 + 10 * k, y: p.y + 40 },
      ]);
    await touch(cdp, 'touchEnd', []);
    await page.waitForFunction(
      (lng) =>
        (window as unknown as { __gridlinkMap: { getCenter(): { lng: number } } }).__gridlinkMap.getCenter().lng < lng,
      view.lng,
    );
    expect(await gridHouseholds(page, target.to)).toBe(toBefore);
    expect(await page.isDisabled('[data-testid="plan-undo"]')).toBe(true);

    // One finger on the compound (found again: the map moved) paints it into the selected grid; the map stays.
    const panned = await mapView(page);
    p = await screenPoint(page, target.lng, target.lat);
    await touch(cdp, 'touchStart', [{ x: p.x - 2, y: p.y }]);
    await touch(cdp, 'touchMove', [{ x: p.x, y: p.y }]);
    await touch(cdp, 'touchMove', [{ x: p.x + 2, y: p.y }]);
    await touch(cdp, 'touchEnd', []);
    await waitForHouseholds(page, target.to, toBefore + target.households);
    expect(await mapView(page)).toEqual(panned);
    await page.waitForSelector('[data-testid="plan-save"][data-state="saved"]', { timeout: 15_000 });
    expect(await storedLabel(planId, target.id)).toBe(target.to);
    await screenshotPixels(page, 'plan-brush-touch.png');
    expect(errors.filter((e) => !/401|Unauthorized/.test(e))).toEqual([]);
  });
});
