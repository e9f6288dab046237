// /inspect draws the server's `issues` tile layer in Chromium: square bins coloured by their count class below
// zoom 15, single issues as dots from zoom 15, switched on and off from the layer switches and the URL
// (`show=issues`), with a legend of fixed classes in Chinese and English. Checked on the map's pixels.
import { afterAll, describe, expect, inject, it } from 'vitest';
import { PNG } from 'pngjs';
import { hexToRgb } from '../../shared/map/palette.ts';
import { ISSUE_BIN_COLOURS, ISSUE_POINT_COLOUR, issueBinClasses } from '../../client/map/issue-layers.ts';
import { countPixels, screenshotPixels } from '../helpers/browser.ts';
import { useBrowser } from './fixture.ts';
import { COUNTY, testPool } from '../helpers/db.ts';

const pool = testPool();
const { page, errors: consoleErrors } = useBrowser();

afterAll(async () => {
  await pool.end();
});

type MapHandle = {
  getSource(id: string): unknown;
  isSourceLoaded(id: string): boolean;
  areTilesLoaded(): boolean;
  getLayoutProperty(id: string, p: string): string;
  querySourceFeatures(
    id: string,
    o: { sourceLayer: string },
  ): { properties: { count?: number }; geometry: { type: string } }[];
};

/** Opens /inspect and waits until the map and, when shown, the issues tiles are drawn. */
async function open(query: string): Promise<void> {
  await page.goto(`${inject('baseUrl')}/inspect?${query}`);
  await page.waitForSelector('body[data-map-ready="true"]', { timeout: 120_000 });
  await page.waitForFunction(
    () => {
      const map = (window as unknown as { __gridlinkMap?: MapHandle }).__gridlinkMap;
      return !!map?.getSource('issues') && map.isSourceLoaded('issues') && map.areTilesLoaded();
    },
    undefined,
    { timeout: 60_000 },
  );
  // A frame after the last tile, so the canvas holds what was loaded.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

async function mapPixels(): Promise<Buffer> {
  const dataUrl = await page.$eval('canvas.maplibregl-canvas', (c) => (c as HTMLCanvasElement).toDataURL('image/png'));
  return PNG.sync.read(Buffer.from(dataUrl.split(',')[1], 'base64')).data;
}

/** The issues tile features maplibre holds: bin counts, or points. */
async function shownFeatures(): Promise<{ bins: number[]; points: number }> {
  return page.evaluate(() => {
    const map = (window as unknown as { __gridlinkMap: MapHandle }).__gridlinkMap;
    const features = map.querySourceFeatures('issues', { sourceLayer: 'issues' });
    return {
      bins: features.filter((f) => f.geometry.type === 'Polygon').map((f) => Number(f.properties.count)),
      points: features.filter((f) => f.geometry.type === 'Point').length,
    };
  });
}

async function issueCentre(): Promise<string> {
  const { rows } = await pool.query(
    `select st_x(c) as x, st_y(c) as y from (select st_centroid(st_collect(location)) as c from issues
     where county_code = $1 and state not in ('void', 'duplicate')) s`,
    [COUNTY],
  );
  return `${rows[0].x.toFixed(5)},${rows[0].y.toFixed(5)}`;
}

describe('/inspect issues layer', () => {
  it('draws the bins in the colour of their count class at zoom 13, with the legend in Chinese', async () => {
    await open(`show=issues&at=${await issueCentre()},13.00`);
    const legend = await page.textContent('[data-testid="issue-legend"]');
    expect(legend).toContain('问题分布');
    expect(legend).toContain('100 件及以上');
    expect(
      await page.$$eval('[data-testid="issue-class"]', (els) => els.map((e) => e.getAttribute('data-colour'))),
    ).toEqual([...ISSUE_BIN_COLOURS]);
    const { bins, points } = await shownFeatures();
    expect(bins.length).toBeGreaterThan(10);
    expect(points).toBe(0);
    await screenshotPixels(page, 'inspect-issues-bins.png');
    const pixels = await mapPixels();
    // Every class that holds several bins shows on the map in its colour.
    const classes = issueBinClasses();
    let coloured = 0;
    for (const c of classes) {
      const n = bins.filter((count) => count >= c.from && (c.to === null || count <= c.to)).length;
      const seen = countPixels(pixels, hexToRgb(c.colour), 4);
      coloured += seen;
      if (n >= 3) expect(seen, `class from ${c.from}: ${n} bins`).toBeGreaterThan(20);
    }
    expect(coloured).toBeGreaterThan(500);
  });

  it('switching the layer off writes the URL and clears the bins; on again brings them back', async () => {
    await open(`show=issues&at=${await issueCentre()},13.00`);
    await page.click('[data-testid="layer-switches"] summary');
    expect(await page.isChecked('[data-testid="layer-issues"]')).toBe(true);
    await page.click('[data-testid="layer-issues"]');
    await page.waitForURL((url) => !url.searchParams.has('show'));
    await page.waitForSelector('[data-testid="issue-legend"]', { state: 'detached' });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const off = await mapPixels();
    for (const hex of ISSUE_BIN_COLOURS) expect(countPixels(off, hexToRgb(hex), 4), hex).toBeLessThan(20);
    await page.click('[data-testid="layer-issues"]');
    await page.waitForURL((url) => url.searchParams.get('show') === 'issues');
    await page.waitForSelector('[data-testid="issue-legend"]');
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const on = await mapPixels();
    expect(ISSUE_BIN_COLOURS.reduce((sum, hex) => sum + countPixels(on, hexToRgb(hex), 4), 0)).toBeGreaterThan(500);
  });

  it('draws single issues as dots from zoom 15, with the legend in English', async () => {
    const { rows } = await pool.query(
      `select st_x(location) as x, st_y(location) as y from issues where county_code = $1 and state not in ('void', 'duplicate')
       order by id limit 1`,
      [COUNTY],
    );
    await open(`lang=en&show=issues&at=${rows[0].x.toFixed(5)},${rows[0].y.toFixed(5)},15.50`);
    const legend = await page.textContent('[data-testid="issue-legend"]');
    expect(legend).toContain('Issues per square');
    expect(legend).toContain('100 or more');
    const { bins, points } = await shownFeatures();
    expect(points).toBeGreaterThan(0);
    expect(bins).toEqual([]);
    await screenshotPixels(page, 'inspect-issues-points.png');
    const pixels = await mapPixels();
    expect(countPixels(pixels, hexToRgb(ISSUE_POINT_COLOUR), 6)).toBeGreaterThan(30);
    for (const hex of ISSUE_BIN_COLOURS) expect(countPixels(pixels, hexToRgb(hex), 4), hex).toBeLessThan(20);
    expect(consoleErrors).toEqual([]);
  });
});
