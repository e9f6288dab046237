// npm run bench:plan-strokes — the planner's per-stroke update time in Chromium on the county data: 200 brush
// strokes, each painting a compound into the other of two neighbouring grids (so every stroke changes the plan),
// timed by the page itself from the pointer event's timestamp to the panel's DOM updated (Vue's next tick), and
// to the start of the next frame after it. Compared with one frame at 60 Hz (16.7 ms) and with the idle frame
// interval measured in the same page. Needs a client build (`npx vite build`).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../server/config.ts';
import { createUser, findUserByUsername, setPasswordHash, updateUser } from '../../server/db/users-repo.ts';
import { inTransaction } from '../../server/postgres/pool.ts';
import { writeAudit } from '../../server/db/audit-repo.ts';
import { hashPassword } from '../../server/auth/passwords.ts';
import { launchBrowser } from '../../tests/helpers/browser.ts';
import { brushTarget, createDraft, loginToPlan, mapView, setBrushRadius } from '../../tests/helpers/plan-page.ts';
import { screenPoint } from '../../tests/helpers/map-page.ts';
import { startToolInstance } from '../tool-instance.ts';

const STROKES = 200;
const FRAME_MS = 1000 / 60;
const BRUSH_RADIUS_PX = 12;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted[sorted.length - 1] };
};

if (!fs.existsSync(path.join(repoRoot, 'dist', 'index.html'))) {
  console.error('[bench] no client build: run `npx vite build` first');
  process.exit(1);
}

const { running, countyCode } = await startToolInstance('bench');
const browser = await launchBrowser({ width: 1600, height: 1000 });
try {
  // A planner account of the benchmark's own, with a fresh random password each run.
  const username = 'bench-planner';
  const password = crypto.randomBytes(18).toString('base64url');
  const passwordHash = await hashPassword(password);
  await inTransaction(running.pool, async (client) => {
    const scope = { streetId: null, communityId: null, gridId: null };
    const created = await createUser(client, countyCode, { username, passwordHash, role: 'planner', scope });
    if (!created) {
      const { id } = (await findUserByUsername(client, countyCode, username))!;
      await updateUser(client, countyCode, id, { role: 'planner', scope, disabled: false });
      await setPasswordHash(client, countyCode, id, passwordHash);
    }
    await writeAudit(client, countyCode, {
      actorUserId: null,
      actor: 'cli',
      action: created ? 'user.create' : 'user.password',
      target: `user:${username}`,
      after: { username, role: 'planner', by: 'bench:plan-strokes' },
    });
  });

  // Two neighbouring grids of one community and the largest compound of the first: the brush touches it alone.
  const pick = await brushTarget(running.pool, countyCode);
  const { units, grids } = (
    await running.pool.query(
      'select (select count(*) from plan_units where county_code = $1)::int as units, (select count(*) from grids where county_code = $1)::int as grids',
      [countyCode],
    )
  ).rows[0];

  const page = await browser.context.newPage();
  await loginToPlan(page, running.url, { username, password });
  await createDraft(page, `bench strokes ${new Date().toISOString()}`);
  await page.click('[data-testid="plan-tool-brush"]');
  await setBrushRadius(page, BRUSH_RADIUS_PX);
  // The idle frame interval of this page (baseline): 120 animation frames with nothing to do.
  // (A string: tsx would wrap a named inner function in a helper the page does not have.)
  const idleFrameMs: number = await page.evaluate(`new Promise((resolve) => {
    const stamps = [];
    const tick = (t) => {
      stamps.push(t);
      if (stamps.length < 121) requestAnimationFrame(tick);
      else resolve((stamps[120] - stamps[0]) / 120);
    };
    requestAnimationFrame(tick);
  })`);
  await page.evaluate(() => {
    window.__gridlinkPlanStrokes = [];
  });
  const households = async (label: string) =>
    Number(await page.getAttribute(`[data-testid="plan-grid-row"][data-grid="${label}"]`, 'data-households'));
  const toBefore = await households(pick.to);
  const viewBefore = await mapView(page);
  let retries = 0;
  for (let i = 0; i < STROKES; i++) {
    // Into whichever of the two grids does not hold the compound now.
    const target = (await households(pick.to)) === toBefore ? pick.to : pick.from;
    await page.click(`[data-testid="plan-grid-row"][data-grid="${target}"] .label`);
    await page.waitForSelector(`[data-testid="plan-selected"][data-grid="${target}"]`);
    const recordedBefore = await page.evaluate(() => window.__gridlinkPlanStrokes?.length ?? 0);
    const targetBefore = await households(target);
    // Again each time: the panel may widen as its content changes, moving the map on the page.
    const point = await screenPoint(page, pick.lng, pick.lat);
    for (let attempt = 0; ; attempt++) {
      await page.mouse.move(point.x - 2, point.y);
      await page.mouse.down();
      await page.mouse.move(point.x + 2, point.y, { steps: 2 });
      await page.mouse.up();
      // A press the busy page dropped is pressed again.
      const moved = await page
        .waitForFunction(
          ([label, before]) =>
            Number(
              document
                .querySelector(`[data-testid="plan-grid-row"][data-grid="${label}"]`)
                ?.getAttribute('data-households'),
            ) !== before,
          [target, targetBefore] as const,
          { timeout: 10_000 },
        )
        .then(
          () => true,
          () => false,
        );
      if (moved) break;
      if (attempt === 2) {
        await page.screenshot({ path: path.join(repoRoot, 'test-results', 'bench-plan-strokes-failed.png') });
        throw new Error(`stroke ${i} into ${target} changed nothing three times (screenshot in test-results)`);
      }
      retries++;
    }
    // The page records the stroke once its next frame has begun.
    await page.waitForFunction((n) => (window.__gridlinkPlanStrokes?.length ?? 0) > n, recordedBefore, {
      timeout: 10_000,
    });
  }
  // Painting never moves the map (it did once: each stroke panned it by the stroke's length).
  const viewAfter = await mapView(page);
  if (viewAfter.lng !== viewBefore.lng || viewAfter.lat !== viewBefore.lat || viewAfter.zoom !== viewBefore.zoom) {
    throw new Error(`the map moved while painting: ${JSON.stringify(viewBefore)} → ${JSON.stringify(viewAfter)}`);
  }
  // Only the first dab of a stroke changes the plan (the others find the compound in the grid already).
  const timings = await page.evaluate(() => window.__gridlinkPlanStrokes ?? []);
  if (timings.length !== STROKES) throw new Error(`${timings.length} changing dabs for ${STROKES} strokes`);
  const perStroke = summary(timings.map((t) => t.dom));
  const work = summary(timings.map((t) => t.work));
  const toFrame = summary(timings.map((t) => t.frame));
  const f = (ms: number) => ms.toFixed(2);
  console.log(
    `bench:plan-strokes — ${STROKES} brush strokes on the county data (${units} units, ${grids} grids), ` +
      `Chromium ${browser.context.browser()?.version() ?? ''} (SwiftShader), brush ${BRUSH_RADIUS_PX} px`,
  );
  console.log(
    `  input → panel DOM updated:   p50 ${f(perStroke.p50)} ms   p95 ${f(perStroke.p95)} ms   max ${f(perStroke.max)} ms`,
  );
  console.log(
    `  handling → panel DOM updated (hit test, figures, map layers, panel; no wait for the busy page): ` +
      `p50 ${f(work.p50)} ms   p95 ${f(work.p95)} ms   max ${f(work.max)} ms`,
  );
  console.log(
    `  input → next frame after it: p50 ${f(toFrame.p50)} ms   p95 ${f(toFrame.p95)} ms   max ${f(toFrame.max)} ms`,
  );
  console.log(`  one frame at 60 Hz ${f(FRAME_MS)} ms; idle frame interval of this page ${f(idleFrameMs)} ms`);
  console.log(
    `  p95 / one frame: input → panel ${(perStroke.p95 / FRAME_MS).toFixed(2)}, ` +
      `handling → panel ${(work.p95 / FRAME_MS).toFixed(2)} (target ≤ 1); ${retries} strokes pressed again`,
  );
} finally {
  await browser.close();
  await running.stop();
}
