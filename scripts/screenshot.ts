// npm run screenshot — regenerates the README's pictures of the three main pages (docs/screenshot-*.png) from a
// running gridlink in Debian's Chromium: the wall at 1920×1080, the inspection map and the planner at 1600×1000.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { repoRoot } from '../server/config.ts';
import { DEMO_ACCOUNTS_FILE } from '../server/auth/accounts.ts';
import { launchBrowser } from '../tests/helpers/browser.ts';
import { startToolInstance } from './tool-instance.ts';

const MAP_READY = 'body[data-map-ready="true"]';
const DRAFT_NAME = '示例草案（截图）';

function demoLogin(dataDir: string, role: string): { username: string; password: string } {
  const file = path.join(dataDir, DEMO_ACCOUNTS_FILE);
  const line = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${role} `));
  if (!line) throw new Error(`${file} has no ${role} account: screenshots need the demo accounts`);
  const [, username, password] = line.split(' ');
  return { username, password };
}

async function logIn(page: Page, base: string, account: { username: string; password: string }): Promise<void> {
  const res = await page.request.post(`${base}/api/auth/login`, {
    data: account,
    headers: { Origin: base },
  });
  if (!res.ok()) throw new Error(`login as ${account.username}: HTTP ${res.status()}`);
}

/** The draft the planner's picture shows: made once from the current grids, reused by later runs. */
async function screenshotDraft(page: Page, base: string): Promise<number> {
  const list = (await (await page.request.get(`${base}/api/plans`)).json()) as {
    plans: { id: number; name: string }[];
  };
  const found = list.plans.find((p) => p.name === DRAFT_NAME);
  if (found) return found.id;
  const res = await page.request.post(`${base}/api/plans`, { data: { name: DRAFT_NAME }, headers: { Origin: base } });
  if (!res.ok()) throw new Error(`creating the draft: HTTP ${res.status()}`);
  return ((await res.json()) as { id: number }).id;
}

async function shoot(page: Page, url: string, ready: string, name: string): Promise<void> {
  await page.goto(url);
  await page.waitForSelector(MAP_READY, { timeout: 180_000 });
  await page.waitForSelector(ready, { state: 'attached', timeout: 120_000 });
  const out = path.join(repoRoot, 'docs', `screenshot-${name}.png`);
  await page.screenshot({ path: out });
  console.log(`wrote ${path.relative(repoRoot, out)}`);
}

const { running, dataDir } = await startToolInstance('screenshot');
const base = running.url;
const wide = await launchBrowser({ width: 1920, height: 1080 });
const desk = await launchBrowser({ width: 1600, height: 1000 });
try {
  const wall = await wide.context.newPage();
  await logIn(wall, base, demoLogin(dataDir, 'leader'));
  await shoot(wall, `${base}/wall`, '[data-testid="wall"][data-figures="loaded"]', 'wall');

  const inspect = await desk.context.newPage();
  await shoot(inspect, `${base}/inspect`, MAP_READY, 'inspect');

  const plan = await desk.context.newPage();
  await logIn(plan, base, demoLogin(dataDir, 'planner'));
  const draft = await screenshotDraft(plan, base);
  await shoot(plan, `${base}/plan?plan=${draft}`, '[data-testid="plan-summary"]', 'plan');
} finally {
  await wide.close();
  await desk.close();
  await running.stop();
}
