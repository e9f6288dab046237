// The planner's page (/plan) in Chromium for e2e tests and the stroke benchmark: log a planner in, open a new
// draft, turn map coordinates into screen points, read a grid's households from the panel.
import type { Page } from 'playwright-core';

export interface PlannerLogin {
  username: string;
  password: string;
}

/** Logs in through the form (the page sends a visitor to /login and back) and waits for the map. */
export async function loginToPlan(page: Page, base: string, account: PlannerLogin): Promise<void> {
  await page.goto(`${base}/plan?lang=zh`);
  await page.waitForFunction(() => location.pathname === '/login', undefined, { timeout: 30_000 });
  await page.fill('[data-testid="login-username"]', account.username);
  await page.fill('[data-testid="login-password"]', account.password);
  await page.click('[data-testid="login-submit"]');
  await page.waitForFunction(() => location.pathname === '/plan', undefined, { timeout: 30_000 });
  await page.waitForSelector('body[data-map-ready="true"]', { timeout: 120_000 });
}

/** Makes a draft from the current grids and waits until it is open; returns its id. */
export async function createDraft(page: Page, name: string): Promise<number> {
  await page.fill('[data-testid="plan-new-name"]', name);
  await page.click('[data-testid="plan-create"]');
  await page.waitForSelector('[data-testid="plan-summary"]', { timeout: 60_000 });
  await page.waitForFunction(() => /^\d+$/.test(new URLSearchParams(location.search).get('plan') ?? ''), undefined, { timeout: 10_000 });
  return Number(new URL(page.url()).searchParams.get('plan'));
}

/** Page coordinates of a longitude / latitude on the map. */
export async function screenPoint(page: Page, lng: number, lat: number): Promise<{ x: number; y: number }> {
  return page.evaluate(([x, y]) => {
    const map = (window as unknown as { __gridlinkMap: { project(c: number[]): { x: number; y: number } } }).__gridlinkMap;
    const rect = document.querySelector('canvas.maplibregl-canvas')!.getBoundingClientRect();
    const p = map.project([x, y]);
    return { x: rect.left + p.x, y: rect.top + p.y };
  }, [lng, lat]);
}

export async function gridHouseholds(page: Page, label: string): Promise<number | null> {
  const row = await page.$(`[data-testid="plan-grid-row"][data-grid="${label}"]`);
  return row ? Number(await row.getAttribute('data-households')) : null;
}

export async function waitForHouseholds(page: Page, label: string, value: number): Promise<void> {
  await page.waitForSelector(`[data-testid="plan-grid-row"][data-grid="${label}"][data-households="${value}"]`, { timeout: 10_000 });
}
