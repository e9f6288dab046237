// /inspect's analyses in Chromium, against SQL written here: a grid's issue figures, the people of a grid as a
// leader sees them, the choropleth colour of a grid (pixels), the ranking order, the PNG and CSV exports, the
// layers restored from the URL, and the tablet size with touch.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { PNG } from 'pngjs';
import { COMPOUND_TYPE_COLOURS, hexToRgb } from '../../shared/map/palette.ts';
import { classColour, legendClasses } from '../../client/map/choropleth.ts';
import { EXPORT_LAYOUT } from '../../client/map/export-png.ts';
import { maskName } from '../../server/auth/masking.ts';
import { countPixels, RESULTS_DIR, screenshotPixels } from '../helpers/browser.ts';
import { useBrowser, useBrowsers } from './fixture.ts';
import { demoAccount } from '../helpers/auth.ts';
import { COUNTY, testPool } from '../helpers/db.ts';
import { screenPoint, screenPoints } from '../helpers/map-page.ts';
import { publicCountSql } from '../../server/community/small-groups.ts';

const pool = testPool();
const { page, errors: consoleErrors } = useBrowser();
const openBrowser = useBrowsers();

afterAll(async () => {
  await pool.end();
});

async function open(query: string, target = page): Promise<void> {
  await target.goto(`${inject('baseUrl')}/inspect?${query}`);
  await target.waitForSelector('body[data-map-ready="true"]', { timeout: 120_000 });
}

const RUNNING = `('reported','accepted','filed','dispatched','signed','handling','feedback','verified','rework','reopened')`;

/** Party members per 100 households of every grid, computed here from the published (rounded) count. */
async function partyPer100(): Promise<Map<string, number>> {
  const party = `(select count(*) from people p join buildings x on x.county_code = p.county_code and x.id = p.building_id
        where p.county_code = $1 and x.grid_id = b.grid_id and p.party_member)`;
  const { rows } = await pool.query(
    `select b.grid_id as id, 100.0 * ${publicCountSql(party)} / sum(b.households) as v
     from buildings b where b.county_code = $1 group by b.grid_id`,
    [COUNTY],
  );
  return new Map(rows.map((r) => [r.id, Number(r.v)]));
}

async function download(click: () => Promise<void>): Promise<Buffer> {
  const [file] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), click()]);
  return fs.readFileSync((await file.path())!);
}

function parseCsv(buffer: Buffer): string[][] {
  const text = buffer.toString('utf8');
  expect(text.charCodeAt(0), 'UTF-8 byte-order mark').toBe(0xfeff);
  return text
    .slice(1)
    .trimEnd()
    .split('\r\n')
    .map((line) => line.split(','));
}

describe('/inspect analyses in Chromium', () => {
  it('a deep link to a grid shows its issue figures equal to SQL, and the trend chart', async () => {
    // The grid with the most recent reports among those with a problem solved by consultation.
    const { rows } = await pool.query(
      `select grid_id from issues i where county_code = $1 and created_at > now() - interval '30 days'
        and exists (select 1 from deliberation_items d where d.county_code = i.county_code and d.grid_id = i.grid_id and d.step = 'resolved')
      group by 1 order by count(*) desc, 1 limit 1`,
      [COUNTY],
    );
    const grid = rows[0].grid_id;
    await open(`level=grid&id=${grid}`);
    await page.waitForSelector('[data-testid="area-issues"][data-status="loaded"]', { timeout: 30_000 });
    const truth = (
      await pool.query(
        `select count(*) filter (where state in ${RUNNING.slice(0, -1)},'deferred'))::int as open,
         count(*) filter (where deadline < now() and state in ${RUNNING})::int as overdue,
         count(*) filter (where created_at >= now() - interval '30 days')::int as "reportedInPeriod",
         count(*) filter (where state in ('closed','rated') and closed_at >= now() - interval '30 days')::int as "closedInPeriod"
       from issues where county_code = $1 and grid_id = $2`,
        [COUNTY, grid],
      )
    ).rows[0];
    expect(truth.reportedInPeriod).toBeGreaterThan(0);
    for (const key of ['open', 'overdue', 'reportedInPeriod', 'closedInPeriod']) {
      expect(Number(await page.getAttribute(`[data-testid="issue-${key}"]`, 'data-value')), key).toBe(truth[key]);
    }
    expect(Number(await page.getAttribute('[data-testid="issue-trend"]', 'data-total'))).toBeGreaterThan(0);
    // The chart drew something: its canvas is not empty.
    const inked = await page.evaluate(() => {
      const canvas = document.querySelector('[data-testid="issue-trend"] canvas') as HTMLCanvasElement;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
      return n;
    });
    expect(inked).toBeGreaterThan(200);
    // The grid's micro-wishes, activities and deliberation items, as the tables count them.
    const programmes = (
      await pool.query(
        `select (select count(*) from micro_wishes where county_code = $1 and grid_id = $2)::int as "wishesPosted",
         (select count(*) from micro_wishes where county_code = $1 and grid_id = $2 and state <> 'posted')::int as "wishesClaimed",
         (select count(*) from micro_wishes where county_code = $1 and grid_id = $2 and state = 'fulfilled')::int as "wishesFulfilled",
         (select count(*) from service_activities where county_code = $1 and grid_id = $2)::int as activities,
         (select count(*) from deliberation_items where county_code = $1 and grid_id = $2 and step <> 'resolved')::int as "deliberationsOpen",
         (select count(*) from deliberation_items where county_code = $1 and grid_id = $2 and step = 'resolved')::int as "deliberationsResolved"`,
        [COUNTY, grid],
      )
    ).rows[0];
    for (const [key, value] of Object.entries(programmes)) {
      expect(Number(await page.getAttribute(`[data-testid="programme-${key}"]`, 'data-value')), key).toBe(value);
    }
    expect(await page.textContent('[data-testid="area-programmes"] h3')).toBe('微心愿、服务活动与议事');
    // Problems solved by consultation, per topic, as the table counts them.
    const { rows: topics } = await pool.query(
      `select topic, count(*)::int as solved from deliberation_items where county_code = $1 and grid_id = $2 and step = 'resolved' group by topic`,
      [COUNTY, grid],
    );
    expect(topics.length).toBeGreaterThan(0);
    const shown = await page.$$eval('[data-testid="area-consultations"] [data-topic]', (els) =>
      els.map((e) => [(e as HTMLElement).dataset.topic, Number((e as HTMLElement).dataset.value)]),
    );
    expect(Object.fromEntries(shown)).toEqual(Object.fromEntries(topics.map((r) => [r.topic, r.solved])));
    await screenshotPixels(page, 'inspect-grid-issues.png');
  });

  it('anonymous visitors are asked to log in for names; a leader sees the grid head and workers masked', async () => {
    await open('level=grid&id=G012');
    await page.click('[data-testid="people-show"]');
    await page.waitForSelector('[data-testid="people-login"]');
    const leader = demoAccount('leader');
    const login = await page.request.post(`${inject('baseUrl')}/api/auth/login`, {
      data: { username: leader.username, password: leader.password },
    });
    expect(login.status()).toBe(200);
    await open('level=grid&id=G012');
    await page.click('[data-testid="people-show"]');
    await page.waitForSelector('[data-testid="area-people"][data-status="loaded"]');
    expect(await page.getAttribute('[data-testid="area-people"]', 'data-masked')).toBe('true');
    const { rows } = await pool.query(
      `select p.name from grids g join people p on p.county_code = g.county_code and p.id = g.head_id
      where g.county_code = $1 and g.id = 'G012'`,
      [COUNTY],
    );
    const cadre = '[data-testid="person"][data-role="liaison_cadre"]';
    const head = await page.textContent(`${cadre} strong`);
    expect(head).toBe(maskName(rows[0].name));
    expect(head).not.toBe(rows[0].name);
    expect(await page.textContent(`${cadre} .role`)).toBe('联系网格干部');
    // The county leader in charge of the grid's community is the 网格长.
    const leaderRow = await pool.query(
      `select p.name from grids g join communities c on c.county_code = g.county_code and c.id = g.community_id
       join people p on p.county_code = c.county_code and p.id = c.leader_id where g.county_code = $1 and g.id = 'G012'`,
      [COUNTY],
    );
    const inCharge = '[data-testid="person"][data-role="community_leader"]';
    expect(await page.textContent(`${inCharge} .role`)).toBe('网格长（包抓领导）');
    expect(await page.textContent(`${inCharge} strong`)).toBe(maskName(leaderRow.rows[0].name));
    await page.request.post(`${inject('baseUrl')}/api/auth/logout`);
  });

  it('the choropleth colours a grid in the class of its SQL value (pixels inside the grid)', async () => {
    const values = await partyPer100();
    const sorted = [...values.values()];
    const quintiles = (
      await pool.query(
        `select percentile_cont(array[0.2,0.4,0.6,0.8]) within group (order by v) as b from unnest($1::float8[]) v`,
        [sorted],
      )
    ).rows[0].b as number[];
    const breaks = [...new Set(quintiles.map((b) => Math.round(b * 1e9) / 1e9))];
    // A grid of the top class and one of the bottom class: their colours differ most.
    const byValue = [...values.entries()].sort((a, b) => a[1] - b[1]);
    for (const [grid, value] of [byValue[byValue.length - 1], byValue[0]]) {
      const expected = classColour('partyPer100', breaks.filter((b) => value > b).length, breaks.length + 1);
      const centre = (
        await pool.query(
          `select st_x(st_transform(label_3857, 4326)) as x, st_y(st_transform(label_3857, 4326)) as y from grids where county_code = $1 and id = $2`,
          [COUNTY, grid],
        )
      ).rows[0];
      await open(`metric=partyPer100&at=${centre.x.toFixed(5)},${centre.y.toFixed(5)},14.50`);
      await page.waitForSelector('[data-testid="choropleth-legend"][data-status="loaded"][data-level="grid"]');
      await page.waitForSelector('body[data-map-ready="true"]');
      // Sample points well inside the grid, projected to the screen.
      const samples = (
        await pool.query(
          `select st_x(p.geom) as x, st_y(p.geom) as y from grids g,
           lateral st_dump(st_generatepoints(st_buffer(g.geom::geography, -25)::geometry, 150, 7)) p
         where g.county_code = $1 and g.id = $2`,
          [COUNTY, grid],
        )
      ).rows;
      const points = (
        await screenPoints(
          page,
          samples.map((p) => [p.x, p.y]),
        )
      ).map((p) => ({
        x: Math.round(p.x),
        y: Math.round(p.y),
      }));
      // The share of them drawn in the expected colour, once the map has drawn the grid.
      const drawn = async () => {
        const png = PNG.sync.read(
          await page.screenshot({ path: path.join(RESULTS_DIR, `inspect-choropleth-${grid}.png`) }),
        );
        const [r, g, b] = hexToRgb(expected);
        const hits = points.filter(({ x, y }) => {
          const i = (y * png.width + x) * 4;
          return (
            Math.abs(png.data[i] - r) <= 3 && Math.abs(png.data[i + 1] - g) <= 3 && Math.abs(png.data[i + 2] - b) <= 3
          );
        });
        return hits.length / points.length;
      };
      await expect
        .poll(drawn, { message: `${grid} (${value.toFixed(2)}) drawn in ${expected}`, timeout: 30_000 })
        .toBeGreaterThan(0.6);
    }
  });

  it('the ranking order equals SQL, sorting reverses it, two grids compare side by side', async () => {
    await open('rank=grid');
    await page.waitForSelector('[data-testid="ranking"][data-status="loaded"]');
    await page.click('[data-testid="sort-partyPer100"]');
    const values = await partyPer100();
    const expected = [...values.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([id]) => id);
    const shown = () =>
      page.$$eval('[data-testid="ranking-row"]', (rows) => rows.map((r) => r.getAttribute('data-id')));
    expect(await shown()).toEqual(expected);
    await page.click('[data-testid="sort-partyPer100"]');
    const ascending = [...values.entries()].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).map(([id]) => id);
    expect(await shown()).toEqual(ascending);
    expect(new URL(page.url()).searchParams.get('rank')).toBe('grid');
    await page.click(`[data-testid="compare-${expected[0]}"]`);
    await page.click(`[data-testid="compare-${expected[1]}"]`);
    await page.waitForSelector(`[data-testid="compare"][data-a="${expected[0]}"][data-b="${expected[1]}"]`);
    await page.waitForURL((url) => url.searchParams.get('cmp') === `${expected[0]},${expected[1]}`);
    await screenshotPixels(page, 'inspect-ranking.png');
  });

  it('the ranking saves as CSV (UTF-8 with BOM) whose rows equal SQL', async () => {
    await open('rank=community');
    await page.waitForSelector('[data-testid="ranking"][data-status="loaded"][data-level="community"]');
    const csv = parseCsv(await download(() => page.click('[data-testid="ranking-csv"]')));
    const { rows } = await pool.query(
      `select c.id, c.code, c.name, sum(b.households)::int as households from communities c
       join grids g on g.county_code = c.county_code and g.community_id = c.id
       join buildings b on b.county_code = g.county_code and b.grid_id = g.id
       where c.county_code = $1 group by c.id, c.code, c.name order by households desc, c.id`,
      [COUNTY],
    );
    expect(csv[0][2]).toBe('名称');
    expect(csv.slice(1).map((r) => [r[1], r[2], Number(r[3])])).toEqual(
      rows.map((r) => [r.code, r.name, r.households]),
    );
  });

  it('the uncovered compounds save as CSV equal to ST_DWithin', async () => {
    await open('cov=300');
    await page.waitForSelector('[data-testid="coverage-panel"][data-status="loaded"]');
    const csv = parseCsv(await download(() => page.click('[data-testid="coverage-csv"]')));
    const { rows } = await pool.query(
      `select q.id from compounds q where q.county_code = $1 and not exists (select 1 from stations s
         where s.county_code = $1 and st_dwithin(q.geom::geography, s.geom::geography, 300)) order by q.id`,
      [COUNTY],
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(
      csv
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toEqual(rows.map((r) => r.id));
  });

  it('exports the view as a PNG: a title band (title, date, synthetic-data note), legend classes, a scale bar, a map not blank', async () => {
    await open('level=community&id=C02&metric=partyPer100');
    await page.waitForSelector('[data-testid="choropleth-legend"][data-status="loaded"]');
    await page.waitForSelector('[data-testid="area-card"][data-status="loaded"]');
    const legendLevel = (await page.getAttribute('[data-testid="choropleth-legend"]', 'data-level')) as
      'grid' | 'community';
    const file = await download(() => page.click('[data-testid="export-png"]'));
    fs.writeFileSync(path.join(RESULTS_DIR, 'inspect-export.png'), file);
    const png = PNG.sync.read(file);
    const canvas = await page.$eval('canvas.maplibregl-canvas', (c) => ({
      width: (c as HTMLCanvasElement).width,
      height: (c as HTMLCanvasElement).height,
    }));
    const dpr = canvas.width / (await page.$eval('canvas.maplibregl-canvas', (c) => c.clientWidth));
    const band = EXPORT_LAYOUT.titleBand * dpr;
    expect(png.width).toBe(canvas.width);
    expect(png.height).toBe(canvas.height + band);
    const region = (x0: number, y0: number, x1: number, y1: number) => {
      const out = new PNG({ width: x1 - x0, height: y1 - y0 });
      PNG.bitblt(png, out, x0, y0, x1 - x0, y1 - y0, 0, 0);
      return out.data;
    };
    // Title: dark blue text in the left half of the band; the date (grey) and the synthetic-data note (red) in the right half.
    expect(countPixels(region(0, 0, Math.floor(png.width / 2), band), hexToRgb('#1f3a68'), 40)).toBeGreaterThan(150);
    const bandRight = (y0: number, y1: number) =>
      region(Math.floor(png.width / 2), Math.round(y0 * dpr), png.width, Math.round(y1 * dpr));
    expect(countPixels(bandRight(8, 32), hexToRgb('#555555'), 40), 'date line').toBeGreaterThan(60);
    expect(countPixels(bandRight(34, 58), hexToRgb('#a12622'), 40), 'synthetic-data note').toBeGreaterThan(25);
    // Scale bar: its dark bar and length in a white box at the bottom left, over a map that has no such dark.
    const { margin, scaleBarMax } = EXPORT_LAYOUT;
    const scaleBox = region(
      Math.round(margin * dpr),
      png.height - Math.round((margin + 32) * dpr),
      Math.round((margin + scaleBarMax + 70) * dpr),
      png.height - Math.round(margin * dpr),
    );
    expect(countPixels(scaleBox, hexToRgb('#222222'), 30), 'scale bar').toBeGreaterThan(Math.round(60 * dpr));
    expect(countPixels(scaleBox, [255, 255, 255], 12), 'scale bar box').toBeGreaterThan(Math.round(1500 * dpr * dpr));
    // Legend: every class colour of the metric in the bottom-right box.
    const legendBox = region(
      png.width - (EXPORT_LAYOUT.legendWidth + EXPORT_LAYOUT.margin) * dpr,
      png.height - 200 * dpr,
      png.width,
      png.height,
    );
    const metrics = await (
      await fetch(`${inject('baseUrl')}/api/inspect/metrics?level=${legendLevel}&days=30&distance=500`)
    ).json();
    for (const c of legendClasses('partyPer100', metrics.breaks.partyPer100)) {
      expect(countPixels(legendBox, hexToRgb(c.colour), 2), `legend swatch ${c.colour}`).toBeGreaterThan(80);
    }
    // The map itself: many colours, not one blank fill.
    const mapPart = region(0, band, png.width, png.height);
    const colours = new Set<number>();
    for (let i = 0; i < mapPart.length; i += 4 * 7)
      colours.add((mapPart[i] << 16) | (mapPart[i + 1] << 8) | mapPart[i + 2]);
    expect(colours.size).toBeGreaterThan(50);
  });

  it('layers switched off in the URL are off when it is opened, and a switch writes the URL', async () => {
    await open('hide=compounds,street_post');
    const state = await page.evaluate(() => {
      const map = (window as unknown as { __gridlinkMap: { getLayoutProperty(id: string, p: string): string } })
        .__gridlinkMap;
      return {
        compounds: map.getLayoutProperty('compounds-fill', 'visibility'),
        buildings: map.getLayoutProperty('buildings-fill', 'visibility'),
      };
    });
    expect(state).toEqual({ compounds: 'none', buildings: 'visible' });
    await page.click('[data-testid="layer-switches"] summary');
    expect(await page.isChecked('[data-testid="layer-compounds"]')).toBe(false);
    expect(await page.isChecked('[data-station-kind="street_post"] input')).toBe(false);
    expect(await page.isChecked('[data-station-kind="grid_centre"] input')).toBe(true);
    await screenshotPixels(page, 'inspect-layers-hidden.png');
    // The map canvas only (it keeps its drawing buffer): the legend's swatches are not part of it.
    const dataUrl = await page.$eval('canvas.maplibregl-canvas', (c) =>
      (c as HTMLCanvasElement).toDataURL('image/png'),
    );
    const pixels = PNG.sync.read(Buffer.from(dataUrl.split(',')[1], 'base64')).data;
    for (const hex of Object.values(COMPOUND_TYPE_COLOURS))
      expect(countPixels(pixels, hexToRgb(hex), 6), hex).toBeLessThan(50);
    await page.click('[data-testid="layer-buildings"]');
    await page.waitForURL((url) => url.searchParams.get('hide') === 'compounds,buildings,street_post');
    await page.click('[data-station-kind="street_post"] input');
    await page.waitForURL((url) => url.searchParams.get('hide') === 'compounds,buildings');
  });

  it('a metric that fails to load says so', async () => {
    await page.route('**/api/inspect/metrics**', (route) => route.fulfill({ status: 500, body: '{}' }));
    await open('metric=overdue');
    await page.waitForSelector('[data-testid="choropleth-legend"][data-status="error"] [role="alert"]');
    await page.unroute('**/api/inspect/metrics**');
    // The expected failures: the 500 above and the anonymous 401 of the people test.
    expect(consoleErrors.filter((e) => !/status of (401|500)/.test(e))).toEqual([]);
  });
});

describe('/inspect on a 1024×768 tablet with touch', () => {
  it('panel, map, legend and ranking fit; taps work, on the map too', async () => {
    const { page: p, errors } = await openBrowser({ viewport: { width: 1024, height: 768 }, hasTouch: true });
    await open('level=grid&id=G012&metric=issuesPer100', p);
    // A tap on the map drills down as a click does: from the grid to a compound in it.
    const { rows } = await pool.query(
      `select id, st_x(at) as lng, st_y(at) as lat from (select id, st_pointonsurface(geom) as at from compounds where county_code = $1 and grid_id = 'G012'
        order by id limit 1) q`,
      [COUNTY],
    );
    await p.waitForSelector('[data-testid="area-card"][data-status="loaded"][data-level="grid"]');
    const at = await screenPoint(p, rows[0].lng, rows[0].lat);
    await p.touchscreen.tap(at.x, at.y);
    await p.waitForSelector(
      `[data-testid="area-card"][data-status="loaded"][data-level="compound"][data-id="${rows[0].id}"]`,
      { timeout: 30_000 },
    );
    await p.tap('[data-testid="breadcrumb-item"][data-level="grid"]');
    await p.waitForSelector('[data-testid="area-card"][data-status="loaded"][data-level="grid"][data-id="G012"]', {
      timeout: 30_000,
    });
    await p.tap('[data-testid="ranking-toggle"]');
    await p.waitForSelector('[data-testid="ranking"][data-status="loaded"]');
    const boxes = await p.evaluate(() =>
      Object.fromEntries(
        ['inspect-panel', 'map', 'ranking', 'choropleth-legend'].map((id) => {
          const r = document.querySelector(`[data-testid="${id}"]`)!.getBoundingClientRect();
          return [id, { left: r.left, top: r.top, right: r.right, bottom: r.bottom }];
        }),
      ),
    );
    for (const [id, box] of Object.entries(boxes)) {
      expect(box.right, id).toBeLessThanOrEqual(1024);
      expect(box.bottom, id).toBeLessThanOrEqual(768);
      expect(box.right - box.left, id).toBeGreaterThan(100);
    }
    expect(boxes.map.bottom, 'the map sits above the ranking drawer').toBeLessThanOrEqual(boxes.ranking.top + 1);
    expect(boxes['inspect-panel'].right).toBeLessThanOrEqual(boxes.map.left + 1);
    await p.tap('[data-testid="ranking-level-community"]');
    await p.waitForSelector('[data-testid="ranking"][data-level="community"][data-status="loaded"]');
    await screenshotPixels(p, 'inspect-tablet.png');
    expect(errors).toEqual([]);
  });
});
