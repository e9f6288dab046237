// /inspect in Chromium: a deep link's card equals the database, drilling down by clicks and back with the
// browser, search by pinyin initials, and the coverage list against PostGIS ST_DWithin.
import { afterAll, describe, expect, inject, it } from 'vitest';
import { countPixels, screenshotPixels } from '../helpers/browser.ts';
import { useBrowser } from './fixture.ts';
import { COUNTY, testPool } from '../helpers/db.ts';
import { screenPoint } from '../helpers/map-page.ts';
import { publicCount } from '../../server/community/small-groups.ts';

const pool = testPool();
const UNCOVERED_RED: [number, number, number] = [0xd6, 0x27, 0x28];
const { page, errors: consoleErrors } = useBrowser();

afterAll(async () => {
  await pool.end();
});

async function open(query: string): Promise<void> {
  await page.goto(`${inject('baseUrl')}/inspect?${query}`);
  await page.waitForSelector('body[data-map-ready="true"]', { timeout: 120_000 });
}

/** Waits until the card shows `level`/`id` and the URL records a map view for it. */
async function waitForArea(level: string, id: string): Promise<void> {
  await page.waitForSelector(
    `[data-testid="area-card"][data-status="loaded"][data-level="${level}"][data-id="${id}"]`,
    { timeout: 30_000 },
  );
  if (level !== 'county')
    await page.waitForURL((url) => url.searchParams.get('id') === id && url.searchParams.has('at'), {
      timeout: 30_000,
    });
}

async function figureValue(key: string): Promise<string | null> {
  return page.getAttribute(`[data-testid="figure-${key}"]`, 'data-value');
}

async function figure(key: string): Promise<number> {
  return Number(await figureValue(key));
}

/** Clicks the map at a WGS84 point (after closing any popup that could be in the way). */
async function clickMapAt(lng: number, lat: number): Promise<void> {
  const close = await page.$('[data-testid="feature-popup"] button');
  if (close) await close.click();
  const point = await screenPoint(page, lng, lat);
  await page.mouse.click(point.x, point.y);
}

/** A point inside a grid and inside none of its stations' dots: the grid's point on surface. */
async function pointIn(table: 'grids' | 'compounds', id: string): Promise<[number, number]> {
  const { rows } = await pool.query(
    `select st_x(p) as x, st_y(p) as y from (select st_pointonsurface(geom) as p from ${table} where county_code = $1 and id = $2) t`,
    [COUNTY, id],
  );
  return [rows[0].x, rows[0].y];
}

describe('/inspect drill-down in Chromium', () => {
  it('opens a deep link to a grid: the card’s figures equal the database’s and the map fits the grid', async () => {
    await open('level=grid&id=G012&lang=zh');
    await waitForArea('grid', 'G012');
    const one = async (sql: string) => Number((await pool.query(sql, [COUNTY, 'G012'])).rows[0].n);
    const ofBuildings = (what: string) => `select ${what} as n from buildings where county_code = $1 and grid_id = $2`;
    const ofPeople = (flag: string) =>
      `select count(*) as n from people p join buildings b on b.county_code = p.county_code and b.id = p.building_id
       where p.county_code = $1 and b.grid_id = $2 and p.${flag}`;
    expect(await figure('households')).toBe(await one(ofBuildings('sum(households)')));
    expect(await figure('population')).toBe(await one(ofBuildings('sum(population)')));
    expect(await figure('buildings')).toBe(await one(ofBuildings('count(*)')));
    expect(await figure('compounds')).toBe(await one(ofBuildings('count(distinct compound_id)')));
    // People counts as published (server/community/small-groups.ts); a hidden one has no value.
    const people = async (flag: string) => String(publicCount(await one(ofPeople(flag))) ?? '');
    expect(await figureValue('redStewards')).toBe(await people('red_steward'));
    expect(await figureValue('partyMembers')).toBe(await people('party_member'));
    expect(await figureValue('inServiceMembers')).toBe(await people('in_service'));
    expect(await figure('memberUnits')).toBe(
      await one('select count(*) as n from member_unit_grids where county_code = $1 and grid_id = $2'),
    );
    expect(await figure('stations')).toBe(
      await one('select count(*) as n from stations where county_code = $1 and grid_id = $2'),
    );
    const { rows } = await pool.query('select name from grids where county_code = $1 and id = $2', [COUNTY, 'G012']);
    expect(await page.textContent('[data-testid="area-name"]')).toBe(rows[0].name);
    const crumbs = await page.$$eval('[data-testid="breadcrumb-item"]', (els) =>
      els.map((e) => (e as HTMLElement).dataset.level),
    );
    expect(crumbs).toEqual(['county', 'street', 'community', 'grid']);
    const [lng, lat] = await pointIn('grids', 'G012');
    const inView = await page.evaluate(
      ([x, y]) => {
        const map = (
          window as unknown as { __gridlinkMap: { getBounds(): { contains(c: number[]): boolean }; getZoom(): number } }
        ).__gridlinkMap;
        return { contains: map.getBounds().contains([x, y]), zoom: map.getZoom() };
      },
      [lng, lat],
    );
    expect(inView.contains).toBe(true);
    expect(inView.zoom).toBeGreaterThan(15);
    await screenshotPixels(page, 'inspect-drill-grid.png');
  });

  it('reopening the URL of a view reproduces it', async () => {
    const url = page.url();
    const at = new URL(url).searchParams.get('at');
    await page.goto(url);
    await page.waitForSelector('body[data-map-ready="true"]', { timeout: 120_000 });
    await waitForArea('grid', 'G012');
    expect(new URL(page.url()).searchParams.get('at')).toBe(at);
  });

  it('drills county → street → community → grid by clicking the map, and back again with the browser', async () => {
    await open('lang=zh');
    await waitForArea('county', COUNTY);
    const { rows } = await pool.query(
      `select g.id, c.street_id, s.name as street from grids g join communities c on c.county_code = g.county_code and c.id = g.community_id join streets s
        on s.county_code = c.county_code and s.id = c.street_id where g.county_code = $1 and g.community_id = 'C01' order by g.id limit 1`,
      [COUNTY],
    );
    const gridId: string = rows[0].id;
    await clickMapAt(...(await pointIn('grids', gridId)));
    await waitForArea('street', rows[0].street_id);
    expect(await page.textContent('[data-testid="area-name"]')).toBe(rows[0].street);
    await clickMapAt(...(await pointIn('grids', gridId)));
    await waitForArea('community', 'C01');
    expect(await page.textContent('[data-testid="area-name"]')).toBe('振兴社区');
    await clickMapAt(...(await pointIn('grids', gridId)));
    await waitForArea('grid', gridId);
    await screenshotPixels(page, 'inspect-drill-clicked-grid.png');

    await page.goBack();
    await waitForArea('community', 'C01');
    await page.goBack();
    await waitForArea('street', rows[0].street_id);
    await page.goBack();
    await waitForArea('county', COUNTY);
    expect(new URL(page.url()).searchParams.get('level')).toBeNull();
    await page.goForward();
    await waitForArea('street', rows[0].street_id);
    // The breadcrumb leads back up as well.
    await page.click('[data-testid="breadcrumb-item"][data-level="county"]');
    await waitForArea('county', COUNTY);
  });

  it('search finds a compound by the pinyin initials of its name and selects it', async () => {
    const { rows } = await pool.query("select id from compounds where county_code = $1 and name = '润丰新村'", [
      COUNTY,
    ]);
    await page.fill('[data-testid="place-search"]', 'rfxc');
    const result = await page.waitForSelector(
      `[data-testid="search-result"][data-kind="compound"][data-id="${rows[0].id}"]`,
      { timeout: 10_000 },
    );
    expect(await result.textContent()).toContain('润丰新村');
    await screenshotPixels(page, 'inspect-drill-search.png');
    await result.click();
    await waitForArea('compound', rows[0].id);
    expect(await page.textContent('[data-testid="area-name"]')).toBe('润丰新村');
  });

  it('coverage lists exactly the compounds PostGIS finds beyond the radius, and draws them', async () => {
    await open('lang=zh');
    await page.check('[data-testid="coverage-toggle"]');
    await page.waitForURL((url) => url.searchParams.get('cov') === '500');
    await page.selectOption('[data-testid="coverage-distance"]', '200');
    await page.waitForSelector('[data-testid="coverage-panel"][data-status="loaded"]');
    await page.waitForURL((url) => url.searchParams.get('cov') === '200');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="uncovered-compound"]').length > 0);
    const listed = await page.$$eval('[data-testid="uncovered-compound"]', (els) =>
      els.map((e) => (e as HTMLElement).dataset.id ?? ''),
    );
    const truth = await pool.query(
      `select q.id from compounds q where q.county_code = $1 and not exists (select 1 from stations s
         where s.county_code = q.county_code and st_dwithin(q.geom::geography, s.geom::geography, 200)) order by q.id`,
      [COUNTY],
    );
    expect(listed.sort()).toEqual(truth.rows.map((r) => r.id));
    const share = await pool.query(
      `select sum(b.households) filter (where q.id not in (${truth.rows.map((_, i) => `$${i + 2}`).join(',') || "''"}))::float / sum(b.households) as share
       from buildings b join compounds q on q.county_code = b.county_code and q.id = b.compound_id where b.county_code = $1`,
      [COUNTY, ...truth.rows.map((r) => r.id)],
    );
    expect(Number(await page.getAttribute('[data-testid="coverage-share"]', 'data-value'))).toBeCloseTo(
      share.rows[0].share,
      10,
    );
    // Fit the first uncovered compound and see it drawn in the coverage red.
    await page.click(`[data-testid="uncovered-compound"][data-id="${listed[0]}"]`);
    await waitForArea('compound', listed[0]);
    await page.waitForFunction(() =>
      (window as unknown as { __gridlinkMap: { loaded(): boolean } }).__gridlinkMap.loaded(),
    );
    const pixels = await screenshotPixels(page, 'inspect-drill-coverage.png');
    expect(countPixels(pixels, UNCOVERED_RED, 12)).toBeGreaterThan(200);
  });

  it('shows the card in English after the language switch', async () => {
    await open('level=grid&id=G012&lang=en');
    await waitForArea('grid', 'G012');
    const text = await page.textContent('[data-testid="area-card"]');
    expect(text).toContain('Households');
    expect(text).toContain('Red stewards');
  });

  it('logged no errors in the page', () => {
    expect(consoleErrors).toEqual([]);
  });

  // Last: the browser logs the 404 of this one as an error.
  it('says so when a link names an area that does not exist', async () => {
    await open('level=grid&id=G999&lang=zh');
    const error = await page.waitForSelector('[data-testid="area-error"]', { timeout: 30_000 });
    expect(await error.textContent()).toContain('G999');
  });
});
