// /plan editing in Chromium: a brush stroke paints a compound into another grid and the panel follows (one
// undo step, redo); a lasso takes the unit inside it; a compound is split into its buildings and merged back (the
// draft saved with its buildings, then with the compound); a locked grid stays exactly as it was while the whole
// plan is balanced, and every other grid comes out valid.
import { afterAll, describe, expect, inject, it } from 'vitest';
import { screenshotPixels } from '../helpers/browser.ts';
import { useBrowser } from './fixture.ts';
import { demoAccount } from '../helpers/auth.ts';
import { COUNTY, testPool } from '../helpers/db.ts';
import { createDraft, gridHouseholds, loginToPlan, waitForHouseholds, type BrushTarget } from '../helpers/plan-page.ts';
import { screenPoint } from '../helpers/map-page.ts';

const pool = testPool();
const { page, errors: consoleErrors } = useBrowser();

afterAll(async () => {
  await pool.end();
});

/** A compound to move from its grid to another of its community (its box centre is inside it: the demo compounds are
 * rectangles). */
type Move = BrushTarget;

/** Compounds in grids of several units, each with another grid of its community; `skip` gives a different one. */
async function pickMoves(count: number): Promise<Move[]> {
  const { rows } = await pool.query(
    `with sums as (select grid_id, count(*)::int as units from plan_units where county_code = $1 group by grid_id)
     select distinct on (u.grid_id) u.id, u.households, u.grid_id as "from", other.id as "to",
            st_x(st_centroid(st_envelope(c.geom))) as lng, st_y(st_centroid(st_envelope(c.geom))) as lat
     from plan_units u
     join compounds c on c.county_code = u.county_code and c.id = u.id
     join sums s on s.grid_id = u.grid_id
     join lateral (select g.id from grids g where g.county_code = u.county_code and g.community_id = u.community_id and g.id <> u.grid_id order by g.id desc
     limit 1) other on true
     where u.county_code = $1 and u.kind = 'compound' and u.households > 0 and s.units >= 3
     order by u.grid_id, u.households desc, u.id`,
    [COUNTY],
  );
  // Grids far apart in the list, so that no two moves touch the same grids.
  const picked: Move[] = [];
  for (const row of rows as Move[]) {
    if (picked.some((m) => [m.from, m.to].includes(row.from) || [m.from, m.to].includes(row.to))) continue;
    picked.push(row);
    if (picked.length === count) break;
  }
  return picked;
}

async function selectGrid(label: string): Promise<void> {
  await page.click(`[data-testid="plan-grid-row"][data-grid="${label}"] .label`);
  await page.waitForSelector(`[data-testid="plan-selected"][data-grid="${label}"]`);
}

async function useTool(tool: string): Promise<void> {
  await page.click(`[data-testid="plan-tool-${tool}"]`);
  await page.waitForSelector(`[data-testid="plan-tools"][data-tool="${tool}"]`);
}

async function saved(): Promise<void> {
  await page.waitForSelector('[data-testid="plan-save"][data-state="saved"]', { timeout: 15_000 });
}

async function storedAssignment(planId: number): Promise<Map<string, string | null>> {
  const { rows } = await pool.query(
    'select unit_id, grid_label from plan_assignments where county_code = $1 and plan_id = $2',
    [COUNTY, planId],
  );
  return new Map(rows.map((r) => [r.unit_id as string, r.grid_label as string | null]));
}

describe('/plan editing in Chromium', () => {
  it('paints with the brush, takes units with the lasso, splits and merges a compound, and balances around a locked grid', async () => {
    await loginToPlan(page, inject('baseUrl'), demoAccount('planner'));
    const planId = await createDraft(page, `e2e editing ${Date.now()}`);
    const [brushed, lassoed] = await pickMoves(2);
    const before = {
      brushFrom: (await gridHouseholds(page, brushed.from))!,
      brushTo: (await gridHouseholds(page, brushed.to))!,
      lassoFrom: (await gridHouseholds(page, lassoed.from))!,
      lassoTo: (await gridHouseholds(page, lassoed.to))!,
    };

    // Brush: a small brush dragged inside one compound paints it into the selected grid; the panel follows.
    await selectGrid(brushed.to);
    await useTool('brush');
    await page.$eval('[data-testid="plan-brush-size"]', (input) => {
      (input as HTMLInputElement).value = '4';
      input.dispatchEvent(new Event('input'));
    });
    const p = await screenPoint(page, brushed.lng, brushed.lat);
    await page.mouse.move(p.x - 3, p.y);
    await page.mouse.down();
    await page.mouse.move(p.x + 3, p.y, { steps: 4 });
    await page.mouse.up();
    await waitForHouseholds(page, brushed.to, before.brushTo + brushed.households);
    await waitForHouseholds(page, brushed.from, before.brushFrom - brushed.households);
    expect(await page.getAttribute('[data-testid="plan-brush-cursor"]', 'style')).toContain('width: 8px');
    await screenshotPixels(page, 'plan-brush.png');
    // The whole stroke (five dabs) is one step.
    await page.click('[data-testid="plan-undo"]');
    await waitForHouseholds(page, brushed.to, before.brushTo);
    await waitForHouseholds(page, brushed.from, before.brushFrom);
    expect(await page.isDisabled('[data-testid="plan-undo"]')).toBe(true);
    await page.click('[data-testid="plan-redo"]');
    await waitForHouseholds(page, brushed.to, before.brushTo + brushed.households);
    await saved();
    expect((await storedAssignment(planId)).get(brushed.id)).toBe(brushed.to);

    // Lasso: a loop around one compound's centre takes it.
    await selectGrid(lassoed.to);
    await useTool('lasso');
    const c = await screenPoint(page, lassoed.lng, lassoed.lat);
    const radius = 12;
    await page.mouse.move(c.x + radius, c.y);
    await page.mouse.down();
    for (let k = 1; k <= 32; k++) {
      const a = (2 * Math.PI * k) / 32;
      await page.mouse.move(c.x + radius * Math.cos(a), c.y + radius * Math.sin(a));
    }
    await page.mouse.up();
    await waitForHouseholds(page, lassoed.to, before.lassoTo + lassoed.households);
    await waitForHouseholds(page, lassoed.from, before.lassoFrom - lassoed.households);
    await saved();
    expect((await storedAssignment(planId)).get(lassoed.id)).toBe(lassoed.to);

    // Split a compound of several buildings, then merge it back.
    const { rows: splittable } = await pool.query(
      `select c.id, count(b.*)::int as buildings, st_x(st_centroid(st_envelope(c.geom))) as lng, st_y(st_centroid(st_envelope(c.geom))) as lat
       from compounds c join buildings b on b.county_code = c.county_code and b.compound_id = c.id
       join plan_units u on u.county_code = c.county_code and u.id = c.id
       where c.county_code = $1 and u.grid_id not in ($2, $3, $4, $5)
       group by c.id, c.geom having count(b.*) between 4 and 8 order by c.id limit 1`,
      [COUNTY, brushed.from, brushed.to, lassoed.from, lassoed.to],
    );
    const compound = splittable[0] as { id: string; buildings: number; lng: number; lat: number };
    await useTool('select');
    const s = await screenPoint(page, compound.lng, compound.lat);
    await page.mouse.click(s.x, s.y);
    await page.waitForSelector(`[data-testid="plan-compound"][data-compound="${compound.id}"][data-split="false"]`);
    await page.click('[data-testid="plan-split-compound"]');
    await page.waitForSelector(`[data-testid="plan-compound"][data-compound="${compound.id}"][data-split="true"]`);
    expect(await page.textContent('[data-testid="plan-split-list"]')).toContain(compound.id);
    await saved();
    let stored = await storedAssignment(planId);
    expect(stored.has(compound.id)).toBe(false);
    const { rows: buildingIds } = await pool.query(
      'select id from buildings where county_code = $1 and compound_id = $2',
      [COUNTY, compound.id],
    );
    expect(buildingIds.every((b) => stored.has(b.id))).toBe(true);
    expect(buildingIds).toHaveLength(compound.buildings);
    await screenshotPixels(page, 'plan-split.png');
    await page.click('[data-testid="plan-merge-compound"]');
    await page.waitForSelector(`[data-testid="plan-compound"][data-compound="${compound.id}"][data-split="false"]`);
    expect(await page.$('[data-testid="plan-split-list"]')).toBeNull();
    await saved();
    stored = await storedAssignment(planId);
    expect(stored.has(compound.id)).toBe(true);
    expect(buildingIds.some((b) => stored.has(b.id))).toBe(false);

    // Lock a valid grid, balance the whole plan: the locked grid keeps exactly its units, every grid is valid.
    const lockedRow = await page.$$eval('[data-testid="plan-grid-row"][data-status="ok"]', (rows) =>
      rows.map((r) => r.getAttribute('data-grid')!),
    );
    const locked = lockedRow.find((l) => ![brushed.from, brushed.to, lassoed.from, lassoed.to].includes(l))!;
    await page.click(`[data-testid="plan-grid-row"][data-grid="${locked}"] [data-testid="plan-row-lock"]`);
    await page.waitForSelector(`[data-testid="plan-grid-row"][data-grid="${locked}"][data-locked="true"]`);
    const lockedHouseholds = await gridHouseholds(page, locked);
    await saved();
    // The lock is part of the draft on the server, not of this browser.
    expect(
      (await pool.query('select locked_grids from plans where county_code = $1 and id = $2', [COUNTY, planId])).rows[0]
        .locked_grids,
    ).toEqual([locked]);
    expect(
      await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('gridlink.plan.locks.'))),
    ).toEqual([]);
    const lockedUnits = [...(await storedAssignment(planId))]
      .filter(([, l]) => l === locked)
      .map(([id]) => id)
      .sort();
    await page.selectOption('[data-testid="plan-balance-mode"]', 'plan');
    await page.click('[data-testid="plan-balance"]');
    await page.waitForSelector('[data-testid="plan-balance-status"]', { timeout: 90_000 });
    await page.waitForSelector('[data-testid="plan-summary"][data-valid="true"]', { timeout: 10_000 });
    const statuses = await page.$$eval('[data-testid="plan-grid-row"]', (rows) =>
      rows.map(
        (r) => `${r.getAttribute('data-status')}/${r.getAttribute('data-contiguous')}/${r.getAttribute('data-spans')}`,
      ),
    );
    expect(new Set(statuses)).toEqual(new Set(['ok/true/false']));
    expect(await gridHouseholds(page, locked)).toBe(lockedHouseholds);
    await saved();
    const after = await storedAssignment(planId);
    expect(
      [...after]
        .filter(([, l]) => l === locked)
        .map(([id]) => id)
        .sort(),
    ).toEqual(lockedUnits);
    // The balancing changed other grids: it was not a no-op.
    expect([...after].filter(([id, l]) => l !== (stored.get(id) ?? null)).length).toBeGreaterThan(0);
    await screenshotPixels(page, 'plan-locked-balanced.png');
    expect(consoleErrors.filter((e) => !/401|Unauthorized/.test(e))).toEqual([]);
    // One walk through every tool plus a full balance: on a loaded 2-core machine it nears the default 120 s.
  }, 240_000);
});
