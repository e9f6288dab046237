import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshotPixels } from '../helpers/browser.ts';
import { useBrowsers, type OpenedPage, type Viewport } from './fixture.ts';
import { displayToken } from '../helpers/auth.ts';
import { COUNTY, testPool } from '../helpers/db.ts';
import { demoGrids, demoSession, report } from '../helpers/issues-fixtures.ts';
import { cellCentreOf } from '../helpers/public-cells.ts';
import { publicCountSql } from '../../server/community/small-groups.ts';
import { hexToRgb } from '../../shared/map/palette.ts';
import { classOf, HOUSEHOLD_SCALE, METRIC_SCALES, PITCH_3D } from '../../client/map/wall-metric-style.ts';
import type { WallMetric } from '../../server/db/wall-map-repo.ts';
import { BIN_ZOOM, cellOf, cellRing, HEAT_COLOURS, HEAT_WINDOW_DAYS, heatClass } from '../../shared/map/wall-bins.ts';

/**
 * The wall's map in Chromium: the issue heat drawn in the cells of the reports, as the database counts them, the 30-day playback changing it,
 * a new report pulsing, the grid choropleth's colours and legend against values computed here in SQL, the
 * compounds in 3D, and the map coming back after its WebGL contexts are lost — at 1920×1080 and 3840×2160.
 */
const base = inject('baseUrl');
const pool = testPool();
let token: string;
const openBrowser = useBrowsers();

beforeAll(async () => {
  token = await displayToken('e2e wall map');
});
afterAll(async () => {
  await pool.end();
});

async function openWall(viewport: Viewport, query: string): Promise<OpenedPage> {
  const opened = await openBrowser({ viewport });
  await opened.page.goto(`${base}/wall?token=${token}&${query}`);
  await opened.page.waitForSelector('body[data-map-ready="true"]', { timeout: 240_000 });
  await opened.page.waitForSelector('[data-testid="wall"][data-figures="loaded"][data-stream="live"]', {
    timeout: 30_000,
  });
  await opened.page.waitForFunction(() => (window.__gridlinkWallIssueMap?.heatCells().length ?? 0) > 0, undefined, {
    timeout: 30_000,
  });
  await settledHeat(opened.page);
  return opened;
}

/** In the page: the RGBA pixels of the maplibre canvas ('map') or of the deck.gl overlay ('deck'). */
const READ_CANVAS = `window.__wallPixels = (which) => {
  const canvases = [...document.querySelectorAll('[data-testid="map"] canvas')];
  const isMap = (c) => c.classList.contains('maplibregl-canvas');
  const canvas = which === 'map' ? canvases.find(isMap) : canvases.find((c) => !isMap(c));
  const copy = document.createElement('canvas');
  copy.width = canvas.width; copy.height = canvas.height;
  const ctx = copy.getContext('2d', { willReadFrequently: true });
  ctx.drawImage(canvas, 0, 0);
  return { width: canvas.width, height: canvas.height, data: ctx.getImageData(0, 0, canvas.width, canvas.height).data };
};
`;

/**
 * Heat pixels of the overlay: pixels in one of the legend's heat colours; how many fall inside a cell of the
 * heat, and how many show the colour of that cell's class; the cells seen (a signature of the picture).
 */
type HeatSummary = { heat: number; inside: number; ownColour: number; cells: number; signature: string };
async function heatSummary(page: Page): Promise<HeatSummary> {
  await page.evaluate(READ_CANVAS);
  const cells = (await page.evaluate(() => window.__gridlinkWallIssueMap!.heatCells())).map((c) => ({
    key: c.key,
    k: heatClass(c.count),
    ring: cellRing(c),
  }));
  const legend = (
    await page.$$eval('[data-testid="wall-heat-class"]', (rows) => rows.map((r) => r.getAttribute('data-colour')!))
  ).map(hexToRgb);
  expect(legend).toEqual(HEAT_COLOURS.map((c) => [...c]));
  return page.evaluate(
    ({ cells, legend }) => {
      const w = window as any;
      const { width, height, data } = w.__wallPixels('deck');
      const rects = cells.map((c) => {
        const p = c.ring.map((q) => w.__gridlinkMap.project(q));
        return {
          key: c.key,
          k: c.k,
          x0: Math.min(...p.map((q: any) => q.x)),
          x1: Math.max(...p.map((q: any) => q.x)),
          y0: Math.min(...p.map((q: any) => q.y)),
          y1: Math.max(...p.map((q: any) => q.y)),
        };
      });
      let heat = 0;
      let inside = 0;
      let ownColour = 0;
      const seen = new Set<string>();
      for (let y = 0; y < height; y += 2) {
        for (let x = 0; x < width; x += 2) {
          const i = (y * width + x) * 4;
          if (data[i + 3] < 100) continue;
          const k = legend.findIndex(
            (c) =>
              Math.abs(c[0] - data[i]) <= 12 &&
              Math.abs(c[1] - data[i + 1]) <= 12 &&
              Math.abs(c[2] - data[i + 2]) <= 12,
          );
          if (k < 0) continue;
          heat++;
          const cell = rects.find((r) => x >= r.x0 - 1 && x <= r.x1 + 1 && y >= r.y0 - 1 && y <= r.y1 + 1);
          if (!cell) continue;
          inside++;
          if (cell.k === k) ownColour++;
          seen.add(cell.key);
        }
      }
      return { heat, inside, ownColour, cells: rects.length, signature: [...seen].sort().join(';') };
    },
    { cells, legend },
  );
}

/**
 * The heat summary once the overlay has drawn the cells that arrived: heat pixels shown, the same picture in
 * two reads in a row (and one that `wanted` accepts, when given).
 */
async function settledHeat(page: Page, wanted: (s: HeatSummary) => boolean = () => true): Promise<HeatSummary> {
  let previous: HeatSummary | undefined;
  return vi.waitFor(
    async () => {
      const [last, now] = [previous, (previous = await heatSummary(page))];
      expect(now.heat).toBeGreaterThan(0);
      expect(wanted(now)).toBe(true);
      expect(now).toEqual(last);
      return now;
    },
    { timeout: 30_000, interval: 250 },
  );
}

/** Reports of the last 7 days per cell, counted here from the rows (not with the tile SQL). */
async function sqlCells(): Promise<Map<string, number>> {
  const { rows } = await pool.query<{ key: string; n: number }>(
    `select floor((st_x(location) + 180) / 360 * 2 ^ $2)::bigint || '/' ||
            floor((1 - ln(tan(radians(st_y(location))) + 1 / cos(radians(st_y(location)))) / pi()) / 2 * 2 ^ $2)::bigint as key,
            count(*)::integer as n
     from issues where county_code = $1 and state not in ('void', 'duplicate') and created_at >= now() - interval '${HEAT_WINDOW_DAYS} days'
     group by 1`,
    [COUNTY, BIN_ZOOM],
  );
  return new Map(rows.map((r) => [r.key, r.n]));
}

/** The colour the map canvas shows at points inside each grid: grid → colours seen. */
async function coloursInGrids(page: Page, gridIds: string[]): Promise<Map<string, [number, number, number][]>> {
  const { rows } = await pool.query<{ id: string; lon: number; lat: number }>(
    `select id, st_x(p) as lon, st_y(p) as lat
     from (select id, (st_dump(st_generatepoints(geom, 40, 7))).geom as p from grids where county_code = $1 and id = any($2)) x`,
    [COUNTY, gridIds],
  );
  await page.evaluate(READ_CANVAS);
  const seen = await page.evaluate((points) => {
    const w = window as any;
    const { width, height, data } = w.__wallPixels('map');
    return points.flatMap((p: { id: string; lon: number; lat: number }) => {
      const { x, y } = w.__gridlinkMap.project([p.lon, p.lat]);
      if (x < 0 || y < 0 || x >= width || y >= height) return [];
      const i = (Math.round(y) * width + Math.round(x)) * 4;
      return [[p.id, [data[i], data[i + 1], data[i + 2]]]];
    });
  }, rows);
  const out = new Map<string, [number, number, number][]>();
  for (const [id, colour] of seen as [string, [number, number, number]][])
    out.set(id, [...(out.get(id) ?? []), colour]);
  return out;
}

const close = (a: readonly number[], b: readonly number[], tolerance = 10) =>
  a.every((v, i) => Math.abs(v - b[i]) <= tolerance);

/** Per grid the metric, recomputed here from the rows (not with the endpoint's SQL). */
async function sqlMetric(metric: WallMetric): Promise<Map<string, number | null>> {
  const members = publicCountSql(
    '(select count(*) from people p where p.county_code = g.county_code and p.grid_id = g.id and p.party_member)',
  );
  const sql: Record<WallMetric, string> = {
    issuesPer100Households: `select g.id, (select count(*) from issues i where i.county_code = g.county_code and i.grid_id = g.id
        and i.created_at >= now() - interval '30 days' and i.state not in ('duplicate', 'void')) * 100.0 / nullif(h.n, 0) as v
      from grids g cross join lateral (select sum(households) as n from buildings b where b.county_code = g.county_code and b.grid_id = g.id) h
      where g.county_code = $1`,
    partyMembersPer100Households: `select g.id, ${members} * 100.0 / nullif(h.n, 0) as v
      from grids g cross join lateral (select sum(households) as n from buildings b where b.county_code = g.county_code and b.grid_id = g.id) h
      where g.county_code = $1`,
    overdue: `select g.id, (select count(*) from issues i where i.county_code = g.county_code and i.grid_id = g.id and i.deadline < now()
        and i.state in ('filed', 'dispatched', 'signed', 'handling', 'feedback', 'rework', 'reopened')) as v from grids g where g.county_code = $1`,
  };
  const { rows } = await pool.query<{ id: string; v: string | null }>(sql[metric], [COUNTY]);
  return new Map(rows.map((r) => [r.id, r.v === null ? null : Number(r.v)]));
}

async function expectChoropleth(page: Page, metric: WallMetric): Promise<void> {
  const scale = METRIC_SCALES[metric];
  const legend = await page.$$eval('[data-testid="wall-legend-class"]', (rows) =>
    rows.map((r) => r.getAttribute('data-colour')),
  );
  expect(legend).toEqual([...scale.colours]);
  const values = await sqlMetric(metric);
  // A handful of grids per class the data has, so every colour in use is checked.
  const byClass = new Map<number, string[]>();
  for (const [id, v] of values) {
    const k = classOf(scale, v);
    if (k !== null) byClass.set(k, [...(byClass.get(k) ?? []), id]);
  }
  expect(byClass.size).toBeGreaterThanOrEqual(3);
  const chosen = [...byClass.values()].flatMap((ids) => ids.slice(0, 3));
  const seen = await coloursInGrids(page, chosen);
  let checked = 0;
  for (const id of chosen) {
    const colours = seen.get(id) ?? [];
    if (colours.length < 10) continue;
    const expected = hexToRgb(scale.colours[classOf(scale, values.get(id)!)!]);
    const counts = scale.colours.map((hex) => colours.filter((c) => close(c, hexToRgb(hex))).length);
    const own = colours.filter((c) => close(c, expected)).length;
    expect(own, `${id} (${values.get(id)}): ${JSON.stringify(counts)}`).toBeGreaterThanOrEqual(colours.length * 0.4);
    expect(own).toBe(Math.max(...counts));
    checked++;
  }
  expect(checked).toBeGreaterThanOrEqual(6);
}

describe.each([
  { width: 1920, height: 1080, metric: 'issuesPer100Households' as const, query: 'metric=issues' },
  { width: 3840, height: 2160, metric: 'partyMembersPer100Households' as const, query: 'metric=party' },
])('/wall map at $width×$height, ?$query', ({ width, height, metric, query }) => {
  let page: Page;
  let errors: string[];
  const scale = height / 1080;

  beforeAll(async () => {
    ({ page, errors } = await openWall({ width, height }, `lang=zh&${query}`));
  }, 300_000);

  it('draws the heat in cells of the reports of the window, in the legend colour of each count (screenshot)', async () => {
    await screenshotPixels(page, `wall-map-${query.replace('=', '-')}-${width}x${height}.png`);
    // Every cell in view has the database's count of the window, and no report of the window in view is missing.
    const cells = await page.evaluate(() => window.__gridlinkWallIssueMap!.heatCells());
    const truth = await sqlCells();
    for (const c of cells) expect(c.count, c.key).toBe(truth.get(c.key));
    const bounds = await page.evaluate(() => window.__gridlinkMap!.getBounds().toArray().flat());
    const inView = [...truth.keys()].filter((key) => {
      const [x, y] = key.split('/').map(Number);
      const ring = cellRing({ x, y });
      const [[w, s], [e, n]] = [ring[0], ring[2]];
      return w >= bounds[0] && e <= bounds[2] && s >= bounds[1] && n <= bounds[3];
    });
    expect(inView.length).toBeGreaterThan(5);
    for (const key of inView)
      expect(
        cells.some((c) => c.key === key),
        key,
      ).toBe(true);
    const summary = await heatSummary(page);
    expect(summary.cells).toBeGreaterThan(5);
    // A cell is ≈ 120 m: tens of pixels a side at this zoom, more on the bigger screen.
    expect(summary.heat).toBeGreaterThan(summary.cells * 20 * scale * scale);
    // Station dots share colours with the heat: almost every heat pixel is still inside a cell, in its class's colour.
    expect(summary.inside / summary.heat).toBeGreaterThan(0.9);
    expect(summary.ownColour / summary.inside).toBeGreaterThan(0.9);
    expect(errors).toEqual([]);
  });

  it('colours the grids by the metric, as the database has it, with the legend of the same classes', async () => {
    expect(await page.getAttribute('[data-testid="wall-map-classes"]', 'data-metric')).toBe(metric);
    await expectChoropleth(page, metric);
  });

  it('draws stations and lines larger on the bigger screen', async () => {
    const sizes = await page.evaluate(() => {
      const m = window.__gridlinkMap!;
      return { grid: m.getPaintProperty('grids-line', 'line-width'), road: m.getPaintProperty('roads', 'line-width') };
    });
    const numbers = (v: unknown): number[] =>
      Array.isArray(v) ? v.flatMap(numbers) : typeof v === 'number' ? [v] : [];
    // Widths at 2160 px high are twice those at 1080 (the style's own values at 1080).
    const style = await page.evaluate(async () => (await (await fetch('/styles/gridlink.json')).json()).layers);
    const own = (id: string) => style.find((l: { id: string }) => l.id === id).paint['line-width'];
    const scaledOutputs = (mine: unknown, theirs: unknown) => {
      const a = numbers(mine);
      const b = numbers(theirs);
      return a.filter((x, i) => Math.abs(x - b[i] * scale) < 1e-9).length;
    };
    expect(scaledOutputs(sizes.road, own('roads'))).toBeGreaterThan(0);
    expect(scaledOutputs(sizes.grid, own('grids-line'))).toBeGreaterThan(0);
  });
});

describe('/wall map live, playback and a lost context (1920×1080)', () => {
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    ({ page, errors } = await openWall({ width: 1920, height: 1080 }, 'lang=zh'));
  }, 300_000);

  it('pulses where a new report is made, within 1 s', async () => {
    const { workerGrid } = await demoGrids(pool);
    const cookie = await demoSession('grid_worker');
    const before = Date.now();
    const created = await report(pool, cookie, workerGrid);
    // From the moment the report is stored (its POST answered) to the pulse on the wall.
    const stored = Date.now();
    const pulse = await page
      .waitForFunction(
        (t) => {
          const last = window.__gridlinkWallIssueMap!.lastPulse();
          return last && last.at >= t ? last : null;
        },
        before,
        { timeout: 5000 },
      )
      .then((h) => h.jsonValue());
    expect(pulse!.at - stored).toBeLessThan(1000);
    const { rows } = await pool.query(
      'select st_x(location) as lon, st_y(location) as lat from issues where county_code = $1 and id = $2',
      [COUNTY, created.id],
    );
    // At the centre of the report's heat cell, never at its exact point (server/db/public-position.ts).
    const [cellLon, cellLat] = cellCentreOf(rows[0].lon, rows[0].lat);
    expect(pulse!.position[0]).toBeCloseTo(cellLon, 6);
    expect(pulse!.position[1]).toBeCloseTo(cellLat, 6);
    // Counted in its cell at once, before the next load of the bins.
    const cell = cellOf(rows[0].lon, rows[0].lat);
    const heat = await page.evaluate(() => window.__gridlinkWallIssueMap!.heatCells());
    expect(heat.find((c) => c.key === cell.key)?.count ?? 0).toBeGreaterThanOrEqual(1);
    await page.waitForFunction(() => window.__gridlinkWallIssueMap!.pulses() === 0, undefined, { timeout: 15_000 });
  });

  it('replays the 30 days: another day draws another heat, and play walks through the days', async () => {
    const live = await heatSummary(page);
    const slider = await page.$('[data-testid="wall-playback-slider"]');
    await slider!.evaluate((el: HTMLInputElement) => {
      el.value = '3';
      el.dispatchEvent(new Event('input'));
    });
    await page.waitForSelector('[data-testid="wall-playback"][data-day="3"]');
    const past = await settledHeat(page, (s) => s.signature !== live.signature);
    expect(past.cells).toBeGreaterThan(0);
    expect(past.signature).not.toBe(live.signature);
    expect(past.inside / past.heat).toBeGreaterThan(0.9);
    expect(past.ownColour / past.inside).toBeGreaterThan(0.9);
    await page.screenshot({ path: 'test-results/wall-map-playback-day3.png' });
    await page.click('[data-testid="wall-playback-toggle"]');
    await page.waitForSelector('[data-testid="wall-playback"][data-playing="true"]');
    const first = Number(await page.getAttribute('[data-testid="wall-playback"]', 'data-day'));
    await page.waitForFunction(
      (d) => Number(document.querySelector('[data-testid="wall-playback"]')!.getAttribute('data-day')) >= d + 2,
      first,
      { timeout: 5000 },
    );
    await page.click('[data-testid="wall-playback-toggle"]');
    expect(await page.getAttribute('[data-testid="wall-playback"]', 'data-playing')).toBe('false');
    await slider!.evaluate((el: HTMLInputElement) => {
      el.value = el.max;
      el.dispatchEvent(new Event('input'));
    });
    await page.waitForSelector('[data-testid="wall-playback"][data-day="live"]');
  });

  it('draws the map and the heat again after both WebGL contexts are lost and restored, without a reload', async () => {
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 7));
    await page.evaluate(READ_CANVAS);
    const drawn = () =>
      page.evaluate(() => {
        const { data } = (window as any).__wallPixels('map');
        let n = 0;
        for (let i = 0; i < data.length; i += 64) if (data[i + 3] > 0 && data[i] + data[i + 1] + data[i + 2] > 120) n++;
        return n;
      });
    const before = await drawn();
    expect(before).toBeGreaterThan(1000);
    await page.evaluate(() => {
      const w = window as any;
      w.__lost = [...document.querySelectorAll('[data-testid="map"] canvas')].map((c) =>
        (c as HTMLCanvasElement).getContext('webgl2')!.getExtension('WEBGL_lose_context')!,
      );
      for (const ext of w.__lost) ext.loseContext();
    });
    await expect.poll(drawn, { timeout: 10_000, interval: 250 }).toBeLessThan(before / 10);
    await page.evaluate(() => {
      for (const ext of (window as any).__lost) ext.restoreContext();
    });
    await expect.poll(drawn, { timeout: 30_000, interval: 500 }).toBeGreaterThan(before * 0.8);
    await expect
      .poll(async () => (await heatSummary(page)).heat, { timeout: 15_000, interval: 500 })
      .toBeGreaterThan(200);
    // The grid codes are placed again too (maplibre lays the symbols out anew after the restore).
    const labels = () =>
      page.evaluate(() => window.__gridlinkMap!.queryRenderedFeatures({ layers: ['grids-label'] }).length);
    await expect.poll(labels, { timeout: 40_000, interval: 1000 }).toBeGreaterThan(3);
    await screenshotPixels(page, 'wall-map-context-restored.png');
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(7);
    expect(errors.filter((e) => !/context/i.test(e))).toEqual([]);
  });
});

describe('/wall map in 3D (?view=3d)', () => {
  it('raises the compounds by households, coloured by the fixed household classes, on a tilted map', async () => {
    const { page } = await openWall({ width: 1920, height: 1080 }, 'lang=zh&view=3d&community=C03');
    await screenshotPixels(page, 'wall-map-3d-1920x1080.png');
    expect(await page.evaluate(() => Math.round(window.__gridlinkMap!.getPitch()))).toBe(PITCH_3D);
    expect(await page.getAttribute('[data-testid="wall-map-classes"]', 'data-metric')).toBe('households');
    const legend = await page.$$eval('[data-testid="wall-legend-class"]', (rows) =>
      rows.map((r) => r.getAttribute('data-colour')),
    );
    expect(legend).toEqual([...HOUSEHOLD_SCALE.colours]);
    const rendered = await page.evaluate(() =>
      window
        .__gridlinkMap!.queryRenderedFeatures({ layers: ['wall-compounds-3d'] })
        .map((f) => ({ id: f.properties.id, households: f.properties.households })),
    );
    expect(rendered.length).toBeGreaterThan(5);
    const { rows } = await pool.query<{ id: string; households: number }>(
      'select id, households from compounds where county_code = $1',
      [COUNTY],
    );
    const truth = new Map(rows.map((r) => [r.id, r.households]));
    for (const r of rendered) expect(r.households, r.id).toBe(truth.get(r.id));
  }, 300_000);
});
