import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { COMPOUND_TYPE_COLOURS, hexToRgb } from '../../shared/map/palette.ts';
import { WALL_COMPOUND_OPACITY, WALL_DARK_COLOURS } from '../../client/map/wall-dark-theme.ts';
import { OPEN_STATES, RUNNING_STATES } from '../../shared/issue-states.ts';
import { countPixels, screenshotPixels } from '../helpers/browser.ts';
import { useBrowsers, type OpenedPage, type Viewport } from './fixture.ts';
import { displayToken } from '../helpers/auth.ts';
import { COUNTY, testPool } from '../helpers/db.ts';

/**
 * /wall in Chromium at 1920×1080 and 3840×2160, opened with a wall display token as a control room would:
 * screenshots, every figure shown against the database, a NOTIFY in the ticker, the freshness
 * indicator when the stream is cut, reconnection and resync without a reload, the tour.
 */
const base = inject('baseUrl');
const pool = testPool();
const SIZES = [
  { width: 1920, height: 1080 },
  { width: 3840, height: 2160 },
] as const;

let token: string;
const openBrowser = useBrowsers();

beforeAll(async () => {
  token = await displayToken('e2e wall display');
});
afterAll(async () => {
  await pool.end();
});

async function openWall(viewport: Viewport, query = 'lang=zh'): Promise<OpenedPage> {
  const opened = await openBrowser({ viewport });
  await opened.page.goto(`${base}/wall?token=${token}&${query}`);
  expect(opened.page.url()).toBe(`${base}/wall?${query}`);
  await opened.page.waitForSelector('body[data-map-ready="true"]', { timeout: 180_000 });
  await opened.page.waitForSelector('[data-testid="wall"][data-figures="loaded"][data-stream="live"]', {
    timeout: 30_000,
  });
  // What the wall loads after its first view (the chart, every font face) is in: the wall has started.
  await opened.page.waitForSelector('[data-testid="wall-trend"] canvas', { state: 'attached', timeout: 60_000 });
  await opened.page.waitForSelector('body[data-font-faces]', { state: 'attached', timeout: 60_000 });
  return opened;
}

/** Every figure the page shows: data-testid wall-figure-<key> → data-value. */
async function shownFigures(page: Page): Promise<Record<string, number | null>> {
  return page.$$eval('[data-testid^="wall-figure-"]', (tiles) =>
    Object.fromEntries(
      tiles.map((t) => [
        t.getAttribute('data-testid')!.slice('wall-figure-'.length),
        t.getAttribute('data-value') === '' ? null : Number(t.getAttribute('data-value')),
      ]),
    ),
  );
}

/** The figures straight from the database, at the moment the page's figures were computed. */
async function databaseFigures(at: string): Promise<Record<string, number | null>> {
  const one = async (sql: string) => Object.values((await pool.query(sql, [COUNTY, at])).rows[0])[0] as number | null;
  const period = `created_at >= $2::timestamptz - interval '30 days' and created_at < $2::timestamptz`;
  const out: Record<string, number | null> = {
    compounds: await one(`select count(*)::int from compounds where county_code = $1 and $2::text is not null`),
    grids: await one(`select count(*)::int from grids where county_code = $1 and $2::text is not null`),
    stations: await one(`select count(*)::int from stations where county_code = $1 and $2::text is not null`),
    redStewards: await one(
      `select count(*)::int from people where county_code = $1 and red_steward and $2::text is not null`,
    ),
    partyMembers: await one(
      `select count(*)::int from people where county_code = $1 and party_member and $2::text is not null`,
    ),
    inServiceMembers: await one(
      `select count(*)::int from people where county_code = $1 and in_service and $2::text is not null`,
    ),
    memberUnits: await one(`select count(*)::int from member_units where county_code = $1 and $2::text is not null`),
    socialOrganisations: await one(
      `select count(*)::int from social_organisations where county_code = $1 and $2::text is not null`,
    ),
    communityStaff: await one(
      `select count(*)::int from people where county_code = $1 and 'community_staff' = any(roles) and $2::text is not null`,
    ),
    auxiliaryWorkers: await one(
      `select count(*)::int from people where county_code = $1 and 'auxiliary_worker' = any(roles) and $2::text is not null`,
    ),
    retiredCadres: await one(
      `select count(*)::int from workforce_staff where county_code = $1 and team = 'part_time' and post = 'retired_cadre' and $2::text is not null`,
    ),
    riderWorkers: await one(
      `select count(*)::int from people where county_code = $1 and 'rider_worker' = any(roles) and $2::text is not null`,
    ),
    riderReports: await one(
      `select count(*)::int from issues where county_code = $1 and source = 'rider' and created_at <= $2`,
    ),
    wishesClaimed: await one(`select count(*)::int from micro_wishes where county_code = $1 and claimed_at < $2`),
    activities: await one(
      `select count(*)::int from service_activities where county_code = $1 and held_on <= ($2::timestamptz at time zone 'Asia/Shanghai')::date`,
    ),
    reports: await one(`select count(*)::int from issues where county_code = $1 and ${period}`),
    openIssues: await one(
      `select count(*)::int from issues where county_code = $1 and state = any('{${OPEN_STATES}}') and $2::text is not null`,
    ),
    overdueIssues: await one(
      `select count(*)::int from issues where county_code = $1 and state = any('{${RUNNING_STATES}}') and deadline < $2`,
    ),
    responseRate:
      await one(`select count(signed_at)::float8 / nullif(count(*), 0) from issue_assignments where county_code = $1
      and dispatched_at >= $2::timestamptz - interval '30 days' and dispatched_at < $2::timestamptz`),
    resolutionRate:
      await one(`select count(*) filter (where state in ('closed', 'rated'))::float8 / nullif(count(*), 0) from issues
      where county_code = $1 and state not in ('returned', 'duplicate', 'void') and ${period}`),
    satisfactionRate:
      await one(`select count(*) filter (where rating <> 'unsatisfied')::float8 / nullif(count(*), 0) from issue_ratings
      where county_code = $1 and ${period}`),
    onTimeClosureRate:
      await one(`select count(*) filter (where closed_at <= deadline)::float8 / nullif(count(*), 0) from issues
      where county_code = $1 and state in ('closed', 'rated') and deadline is not null
      and closed_at >= $2::timestamptz - interval '30 days' and closed_at < $2::timestamptz`),
  };
  for (const row of (
    await pool.query(`select type, count(*)::int as n from compounds where county_code = $1 group by type`, [COUNTY])
  ).rows)
    out[`compounds-${row.type}`] = row.n;
  for (const row of (
    await pool.query(`select kind, count(*)::int as n from stations where county_code = $1 group by kind`, [COUNTY])
  ).rows)
    out[`stations-${row.kind}`] = row.n;
  return out;
}

/** The wall's compound colour over its dark block colour. */
function drawnCompound(hex: string): [number, number, number] {
  const fg = hexToRgb(hex);
  const bg = hexToRgb(WALL_DARK_COLOURS.block);
  return fg.map((c, i) => Math.round(c * WALL_COMPOUND_OPACITY + bg[i] * (1 - WALL_COMPOUND_OPACITY))) as [
    number,
    number,
    number,
  ];
}

describe.each(SIZES)('/wall at $width×$height', (viewport) => {
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    ({ page, errors } = await openWall(viewport));
  }, 240_000);

  it('fills the screen, dark, with the map at native resolution (screenshot)', async () => {
    const pixels = await screenshotPixels(page, `wall-${viewport.width}x${viewport.height}.png`);
    const canvas = await page.evaluate(() => {
      const c = document.querySelector('[data-testid="map"] canvas') as HTMLCanvasElement;
      const r = c.getBoundingClientRect();
      let transformed = false;
      for (let e: Element | null = c; e; e = e.parentElement)
        if (getComputedStyle(e).transform !== 'none') transformed = true;
      return {
        width: c.width,
        height: c.height,
        cssWidth: r.width,
        cssHeight: r.height,
        dpr: devicePixelRatio,
        transformed,
      };
    });
    expect(canvas).toEqual({
      width: viewport.width,
      height: viewport.height,
      cssWidth: viewport.width,
      cssHeight: viewport.height,
      dpr: 1,
      transformed: false,
    });
    const total = viewport.width * viewport.height;
    const dark =
      countPixels(pixels, hexToRgb(WALL_DARK_COLOURS.background), 12) +
      countPixels(pixels, hexToRgb(WALL_DARK_COLOURS.block), 12);
    expect(dark / total).toBeGreaterThan(0.2);
    for (const [type, hex] of Object.entries(COMPOUND_TYPE_COLOURS)) {
      expect(countPixels(pixels, drawnCompound(hex), 12), `${type} compounds`).toBeGreaterThan(total / 20_000);
    }
    // Grid labels are the grid codes.
    const gridLabels = await page.evaluate(() =>
      window.__gridlinkMap!.queryRenderedFeatures({ layers: ['grids-label'] }).map((f) => f.properties.id as string),
    );
    expect(gridLabels.length).toBeGreaterThan(3);
    // Panels scale with the screen: 1em is 1/67.5 of the height.
    const em = await page.evaluate(() =>
      parseFloat(getComputedStyle(document.querySelector('[data-testid="wall"]')!).fontSize),
    );
    expect(em).toBeCloseTo(viewport.height / 67.5, 1);
    const text = await page.textContent('[data-testid="wall"]');
    expect(text).toContain('示例数据');
    expect(text).toMatch(/数据更新于 \d{2}:\d{2}:\d{2}/);
    expect(await page.getAttribute('[data-testid="wall-freshness"]', 'data-state')).toBe('fresh');
    expect(await page.$$eval('[data-testid="wall-trend"] canvas', (c) => c.length)).toBeGreaterThan(0);
    expect(await page.$$eval('[data-testid="wall-ranking-item"]', (c) => c.length)).toBe(5);
    expect(errors).toEqual([]);
  });

  it('shows every figure as the database has it', async () => {
    const generatedAt = await page.evaluate(
      async () => (await (await fetch('/api/wall/figures')).json()).generatedAt as string,
    );
    // The page's own load: take the figures the page shows and the moment they were computed.
    const shown = await shownFigures(page);
    const pageAt = await page.evaluate(() =>
      document.querySelector('[data-testid="wall"]')!.getAttribute('data-generated-at'),
    );
    expect(pageAt).toBeTruthy();
    const expected = await databaseFigures(pageAt!);
    expect(Object.keys(shown).sort()).toEqual(Object.keys(expected).sort());
    for (const [key, value] of Object.entries(expected)) {
      if (value === null || Number.isInteger(value)) expect(shown[key], key).toBe(value);
      else expect(shown[key], key).toBeCloseTo(value, 10);
    }
    expect(Date.parse(generatedAt)).toBeGreaterThanOrEqual(Date.parse(pageAt!));
  });

  it('names the 483 recruited auxiliaries 辅助网格员 and the retired cadres 兼职网格员', async () => {
    const labelOf = (key: string) => page.textContent(`[data-testid="wall-figure-${key}"] .label`);
    expect(await labelOf('auxiliaryWorkers')).toBe('辅助网格员');
    expect(await page.getAttribute('[data-testid="wall-figure-auxiliaryWorkers"]', 'data-value')).toBe('483');
    expect(await labelOf('retiredCadres')).toBe('兼职网格员（退休老干部）');
  });
});

describe('/wall live', () => {
  let page: Page;
  let issue: { id: number; code: string };

  beforeAll(async () => {
    ({ page } = await openWall({ width: 1920, height: 1080 }, 'lang=zh&staleAfter=3&community=C03&tour=5'));
    issue = (
      await pool.query('select id::int as id, code from issues where county_code = $1 order by id desc limit 1', [
        COUNTY,
      ])
    ).rows[0];
  }, 240_000);

  it('puts a NOTIFY in the ticker', async () => {
    // Here, that it arrives; how fast events reach clients is measured by scripts/bench/stream.ts.
    const selector = `[data-testid="wall-ticker-item"][data-live="true"][data-issue-id="${issue.id}"]`;
    expect(await page.$(selector)).toBeNull();
    await pool.query('select pg_notify($1, $2)', [
      'gridlink_issues',
      JSON.stringify({ county: COUNTY, id: issue.id, state: 'signed' }),
    ]);
    const item = await page.waitForSelector(selector, { state: 'attached', timeout: 30_000 });
    expect(await item.textContent()).toContain(issue.code);
    expect(await item.textContent()).toContain('签收');
    // A unit signing late keeps the case in handling: the ticker still says 签收, not 处置.
    await pool.query('select pg_notify($1, $2)', [
      'gridlink_issues',
      JSON.stringify({ county: COUNTY, id: issue.id, state: 'handling', lateSignature: true }),
    ]);
    const late = await page.waitForSelector(
      `[data-testid="wall-ticker-item"][data-live="true"][data-issue-id="${issue.id}"][data-late-signature="true"]`,
      { state: 'attached', timeout: 30_000 },
    );
    expect(await late.$eval('.state', (e) => e.textContent)).toBe('签收');
  });

  it('flies through the communities from ?community=, and pauses when touched', async () => {
    expect(await page.getAttribute('[data-testid="wall-tour"]', 'data-state')).toBe('running');
    // The tour started from C03 when the map was made (before it was ready): it goes on to the next community.
    const ids = (
      await pool.query<{ id: string }>('select id from communities where county_code = $1 order by id', [COUNTY])
    ).rows.map((r) => r.id);
    const now = (await page.getAttribute('[data-testid="wall-tour"]', 'data-community'))!;
    expect(ids).toContain(now);
    // Every 5 s; a page drawing in software on a loaded machine may show a flight late, or two flights at once.
    await page.waitForSelector(`[data-testid="wall-tour"]:not([data-community="${now}"])`, {
      state: 'attached',
      timeout: 30_000,
    });
    const moved = (await page.getAttribute('[data-testid="wall-tour"]', 'data-community'))!;
    expect(ids).toContain(moved);
    await page.mouse.move(960, 540);
    await page.mouse.down();
    await page.mouse.up();
    expect(await page.getAttribute('[data-testid="wall-tour"]', 'data-state')).toBe('paused');
  });

  it('turns the freshness indicator red when the stream is cut, and recovers without a reload', async () => {
    await page.evaluate(() => ((window as unknown as { wallMarker: number }).wallMarker = 42));
    let figureRequests = 0;
    page.on('request', (r) => r.url().endsWith('/api/wall/figures') && figureRequests++);
    // Cut: every new stream request fails, and the open one is dropped as a network failure would drop it.
    await page.route('**/api/stream*', (route) => route.abort('connectionrefused'));
    await page.evaluate(() => window.__gridlinkWallStream!.drop());
    const stale = await page.waitForSelector('[data-testid="wall-freshness"][data-state="stale"]', { timeout: 15_000 });
    expect(await stale.evaluate((e) => getComputedStyle(e).color)).toBe('rgb(255, 82, 82)');
    await page.unroute('**/api/stream*');
    await page.waitForSelector('[data-testid="wall-freshness"][data-state="fresh"]', { timeout: 40_000 });
    await page.waitForSelector('[data-testid="wall"][data-stream="live"]', { timeout: 5000 });
    await expect.poll(() => figureRequests, { timeout: 5000 }).toBeGreaterThan(0);
    expect(await page.evaluate(() => (window as unknown as { wallMarker?: number }).wallMarker)).toBe(42);
  });
});
