import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  COMPOUND_TYPE_COLOURS,
  COMPOUND_FILL_OPACITY,
  MAP_COLOURS,
  STATION_KIND_COLOURS,
  hexToRgb,
} from '../../shared/map/palette.ts';
import { countPixels, screenshotPixels } from '../helpers/browser.ts';
import { useBrowser } from './fixture.ts';
import { COUNTY, testPool } from '../helpers/db.ts';

const pool = testPool();

const { page, errors: consoleErrors } = useBrowser();

beforeAll(async () => {
  await page.goto(`${inject('baseUrl')}/inspect`);
  await page.waitForSelector('body[data-map-ready="true"]', { timeout: 120_000 });
});

afterAll(async () => {
  await pool.end();
});

/** What a compound fill looks like on screen: its colour at the style's opacity over a block. */
function drawnColour(hex: string): [number, number, number] {
  const fg = hexToRgb(hex);
  const bg = hexToRgb(MAP_COLOURS.block);
  return fg.map((c, i) => Math.round(c * COMPOUND_FILL_OPACITY + bg[i] * (1 - COMPOUND_FILL_OPACITY))) as [
    number,
    number,
    number,
  ];
}

describe('/inspect in Chromium', () => {
  it('draws compounds of all four type colours', async () => {
    const pixels = await screenshotPixels(page, 'inspect.png');
    for (const [type, hex] of Object.entries(COMPOUND_TYPE_COLOURS)) {
      const n = countPixels(pixels, drawnColour(hex), 10);
      expect(n, `${type} (${hex}) pixels`).toBeGreaterThan(300);
    }
  });

  it('renders Chinese labels with the shipped font, not boxes', async () => {
    const result = await page.evaluate(async () => {
      const family = 'Noto Sans SC';
      let loaded = 0;
      document.fonts.forEach((f) => {
        if (f.family.replace(/["']/g, '') === family && f.status === 'loaded') loaded++;
      });
      // Two different ideographs drawn in the map's CJK font: boxes would be identical bitmaps.
      const draw = (ch: string) => {
        const c = document.createElement('canvas');
        c.width = c.height = 48;
        const ctx = c.getContext('2d')!;
        ctx.font = `40px '${family}'`;
        ctx.fillText(ch, 4, 40);
        return Array.from(ctx.getImageData(0, 0, 48, 48).data.filter((_, i) => i % 4 === 3));
      };
      // Every face of the shipped font that covers these characters has loaded.
      const covered = document.fonts.check(`40px '${family}'`, '振兴社区网格');
      const a = draw('振');
      const b = draw('兴');
      const ink = a.filter((v) => v > 0).length;
      const differing = a.filter((v, i) => v !== b[i]).length;
      return { loaded, ink, differing, covered };
    });
    expect(result.loaded).toBeGreaterThan(50);
    expect(result.covered).toBe(true);
    expect(result.ink).toBeGreaterThan(50);
    expect(result.differing).toBeGreaterThan(50);
  });

  it('shows grid labels and the legend in Chinese, and switches to English', async () => {
    const labels = await page.evaluate(() => {
      const map = (
        window as unknown as {
          __gridlinkMap: { queryRenderedFeatures(o: object): { properties: Record<string, unknown> }[] };
        }
      ).__gridlinkMap;
      return map.queryRenderedFeatures({ layers: ['grids-label'] }).length;
    });
    expect(labels).toBeGreaterThan(5);
    const body = await page.textContent('body');
    expect(body).toContain('示例数据');
    expect(body).toContain('老旧型');
    await page.goto(`${inject('baseUrl')}/inspect?lang=en`);
    await page.waitForSelector('body[data-map-ready="true"]', { timeout: 120_000 });
    const en = await page.textContent('body');
    expect(en).toMatch(/synthetic/i);
    expect(en).toMatch(/old/i);
  });

  it('draws stations of every kind through the deck.gl overlay', async () => {
    const pixels = await screenshotPixels(page, 'inspect-en.png');
    for (const [kind, hex] of Object.entries(STATION_KIND_COLOURS)) {
      expect(countPixels(pixels, hexToRgb(hex), 12), `${kind} (${hex}) pixels`).toBeGreaterThan(20);
    }
  });

  it('opens a popup with the clicked compound, as the database has it', async () => {
    await page.goto(`${inject('baseUrl')}/inspect?lang=zh`);
    await page.waitForSelector('body[data-map-ready="true"]', { timeout: 120_000 });
    // Station dots are drawn above compounds: aim at a compound whose middle is clear of every station.
    const stations = (
      await pool.query<{ lon: number; lat: number }>(
        'select st_x(geom) as lon, st_y(geom) as lat from stations where county_code = $1',
        [COUNTY],
      )
    ).rows.map((r) => [r.lon, r.lat]);
    const target = await page.evaluate((stations) => {
      type F = { properties: Record<string, unknown>; geometry: { type: string; coordinates: number[][][] } };
      const map = (
        window as unknown as {
          __gridlinkMap: { queryRenderedFeatures(o: object): F[]; project(c: number[]): { x: number; y: number } };
        }
      ).__gridlinkMap;
      const canvas = document.querySelector('canvas.maplibregl-canvas')!.getBoundingClientRect();
      // The middle of the map, where a compound is sure to be drawn and no control covers it.
      const x = canvas.width / 2;
      const y = canvas.height / 2;
      const hit = map.queryRenderedFeatures({ layers: ['compounds-fill'] } as object).find((f) => {
        const ring =
          f.geometry.type === 'Polygon'
            ? f.geometry.coordinates[0]
            : (f.geometry.coordinates[0] as unknown as number[][][])[0];
        const xs = ring.map((c) => map.project(c).x);
        const ys = ring.map((c) => map.project(c).y);
        const cx = (Math.min(...xs) + Math.max(...xs)) / 2;
        const cy = (Math.min(...ys) + Math.max(...ys)) / 2;
        const clear = stations.every((st) => {
          const p = map.project(st);
          return Math.hypot(p.x - cx, p.y - cy) > 30;
        });
        return clear && Math.abs(cx - x) < canvas.width / 4 && Math.abs(cy - y) < canvas.height / 4;
      })!;
      const ring =
        hit.geometry.type === 'Polygon'
          ? hit.geometry.coordinates[0]
          : (hit.geometry.coordinates[0] as unknown as number[][][])[0];
      const pts = ring.map((c) => map.project(c));
      return {
        id: String(hit.properties.id),
        x: canvas.left + (Math.min(...pts.map((p) => p.x)) + Math.max(...pts.map((p) => p.x))) / 2,
        y: canvas.top + (Math.min(...pts.map((p) => p.y)) + Math.max(...pts.map((p) => p.y))) / 2,
      };
    }, stations);
    await page.mouse.click(target.x, target.y);
    const popup = await page.waitForSelector('[data-testid="feature-popup"]', { timeout: 10_000 });
    const text = (await popup.textContent()) ?? '';
    const { rows } = await pool.query('select name, households from compounds where county_code = $1 and id = $2', [
      COUNTY,
      target.id,
    ]);
    expect(text).toContain(rows[0].name);
    expect(text).toContain(String(rows[0].households));
    await screenshotPixels(page, 'inspect-popup.png');
  });

  it('logged no errors in the page', () => {
    expect(consoleErrors).toEqual([]);
  });
});
