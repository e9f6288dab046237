import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowsers } from './fixture.ts';
import { displayToken } from '../helpers/auth.ts';
import { hexToRgb } from '../../shared/map/palette.ts';
import { WALL_DARK_COLOURS } from '../../client/map/wall-dark-theme.ts';

/**
 * The wall's layout in Chromium at 1920×1080 and 3840×2160 (device pixel ratio 1): every panel and its text on
 * the screen and inside the panel, nothing cut by an element that clips, the columns filled to the ticker, text
 * large enough to read from across the room, and the trend chart drawn whole. Screenshots /tmp/wall-<height>.png.
 */
const base = inject('baseUrl');
const SIZES = [
  { width: 1920, height: 1080 },
  { width: 3840, height: 2160 },
] as const;
const openBrowser = useBrowsers();

/** The wall's parts over the map: header, the columns' panels, the map's dock, the ticker. */
const PANELS =
  '[data-testid="wall"] > header, [data-testid="wall-panel"], [data-testid="wall-map-dock"], [data-testid="wall"] > footer';

type Box = { x0: number; y0: number; x1: number; y1: number };
interface Layout {
  panels: (Box & { name: string })[];
  /** Text elements outside the box of their panel, by how many px. */
  outside: { panel: string; text: string; px: number }[];
  /** Elements that clip and whose content is larger than they are. */
  cut: { element: string; dx: number; dy: number }[];
  columns: (Box & { contentBottom: number })[];
  smallestFont: { px: number; text: string };
}

function layoutOf(page: Page): Promise<Layout> {
  return page.evaluate((selector) => {
    const box = (e: Element) => {
      const r = e.getBoundingClientRect();
      return { x0: r.left, y0: r.top, x1: r.right, y1: r.bottom };
    };
    const name = (e: Element) =>
      e.getAttribute('data-testid') ?? `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`;
    const texts = (root: Element) =>
      [...root.querySelectorAll('*')].filter(
        (e) =>
          [...e.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim()) &&
          getComputedStyle(e).visibility !== 'hidden',
      );
    const wall = document.querySelector('[data-testid="wall"]')!;
    const panelElements = [...document.querySelectorAll(selector)];
    const outside: Layout['outside'] = [];
    let smallestFont = { px: Infinity, text: '' };
    for (const panel of panelElements) {
      const p = box(panel);
      for (const t of texts(panel)) {
        const b = box(t);
        // A ticker runs past its right edge by design: its items are checked up and down only.
        const across = t.closest('[data-testid="wall-ticker-item"]') ? 0 : Math.max(p.x0 - b.x0, b.x1 - p.x1);
        const px = Math.max(across, p.y0 - b.y0, b.y1 - p.y1);
        if (px > 1) outside.push({ panel: name(panel), text: t.textContent!.trim().slice(0, 30), px: Math.round(px) });
        const font = parseFloat(getComputedStyle(t).fontSize);
        if (font < smallestFont.px) smallestFont = { px: font, text: t.textContent!.trim().slice(0, 30) };
      }
    }
    const cut: Layout['cut'] = [];
    for (const e of wall.querySelectorAll('*')) {
      if (e.closest('.wall-map') || e.closest('[data-testid="wall-trend"]')) continue;
      const style = getComputedStyle(e);
      const clips = (o: string) => o !== 'visible';
      const dx =
        clips(style.overflowX) && !e.closest('[data-testid="wall-ticker"]') ? e.scrollWidth - e.clientWidth : 0;
      const dy = clips(style.overflowY) ? e.scrollHeight - e.clientHeight : 0;
      if (dx > 1 || dy > 1) cut.push({ element: name(e), dx, dy });
    }
    const columns = [...wall.querySelectorAll(':scope > aside')].map((c) => ({
      ...box(c),
      contentBottom: Math.max(...[...c.children].map((k) => k.getBoundingClientRect().bottom)),
    }));
    return {
      panels: panelElements.map((e) => ({ name: name(e), ...box(e) })),
      outside,
      cut,
      columns,
      smallestFont,
    };
  }, PANELS);
}

/** The trend chart's canvas: the bounds of what is drawn on it, and the height of the x axis's labels. */
function trendDrawing(page: Page) {
  return page.evaluate(() => {
    const canvas = document.querySelector('[data-testid="wall-trend"] canvas') as HTMLCanvasElement;
    const { width, height } = canvas;
    const data = canvas.getContext('2d')!.getImageData(0, 0, width, height).data;
    const inked = (x: number, y: number) => data[(y * width + x) * 4 + 3] > 40;
    const rowInked = (y: number) => {
      for (let x = 0; x < width; x++) if (inked(x, y)) return true;
      return false;
    };
    let x0 = width;
    let x1 = -1;
    let y0 = height;
    let y1 = -1;
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++)
        if (inked(x, y)) {
          x0 = Math.min(x0, x);
          x1 = Math.max(x1, x);
          y0 = Math.min(y0, y);
          y1 = Math.max(y1, y);
        }
    // The x axis's labels: the lowest band of inked rows.
    let labelTop = y1;
    while (labelTop > 0 && rowInked(labelTop - 1)) labelTop--;
    return { width, height, x0, x1, y0, y1, labelHeight: y1 - labelTop + 1 };
  });
}

describe.each(SIZES)('/wall layout at $width×$height', (viewport) => {
  let page: Page;

  beforeAll(async () => {
    ({ page } = await openBrowser({ viewport }));
    await page.goto(`${base}/wall?token=${await displayToken('e2e wall layout')}&lang=zh`);
    await page.waitForSelector('body[data-map-ready="true"]', { timeout: 240_000 });
    await page.waitForSelector('[data-testid="wall"][data-figures="loaded"][data-stream="live"]', { timeout: 30_000 });
    await page.waitForSelector('[data-testid="wall-trend"] canvas', { state: 'attached', timeout: 60_000 });
    await page.waitForSelector('body[data-font-faces]', { state: 'attached', timeout: 60_000 });
    // The chart has drawn (its canvas has ink) before anything is measured.
    await page.waitForFunction(
      () => {
        const c = document.querySelector('[data-testid="wall-trend"] canvas') as HTMLCanvasElement | null;
        if (!c?.width) return false;
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 40) return true;
        return false;
      },
      undefined,
      { timeout: 30_000 },
    );
    await page.screenshot({ path: `/tmp/wall-${viewport.height}.png` });
  }, 300_000);

  it('keeps every panel on the screen and every text inside its panel, nothing cut off', async () => {
    const layout = await layoutOf(page);
    expect(layout.panels.length).toBeGreaterThanOrEqual(8);
    for (const p of layout.panels) {
      expect(p.x0, p.name).toBeGreaterThanOrEqual(0);
      expect(p.y0, p.name).toBeGreaterThanOrEqual(0);
      expect(p.x1, p.name).toBeLessThanOrEqual(viewport.width);
      expect(p.y1, p.name).toBeLessThanOrEqual(viewport.height);
    }
    expect(layout.outside).toEqual([]);
    expect(layout.cut).toEqual([]);
  });

  it('fills the columns down to the map dock and the ticker, and keeps text legible across the room', async () => {
    const layout = await layoutOf(page);
    expect(layout.columns.length).toBe(2);
    for (const c of layout.columns) {
      // No empty band at a column's foot wider than 2 % of the screen's height.
      expect(c.y1 - c.contentBottom).toBeLessThanOrEqual(viewport.height * 0.02);
      expect(c.y1 - c.y0).toBeGreaterThan(viewport.height * 0.75);
    }
    // Across the screen at the height of the map's dock, panel follows panel: no gap over 2 % of the width.
    const dock = layout.panels.find((p) => p.name === 'wall-map-dock')!;
    const y = (dock.y0 + dock.y1) / 2;
    const across = [...layout.columns, ...layout.panels.filter((p) => p.y0 <= y && p.y1 >= y)].sort(
      (a, b) => a.x0 - b.x0,
    );
    let reached = 0;
    for (const p of across) {
      expect(p.x0 - reached, `gap before x = ${Math.round(p.x0)}`).toBeLessThanOrEqual(viewport.width * 0.02);
      reached = Math.max(reached, p.x1);
    }
    expect(viewport.width - reached).toBeLessThanOrEqual(viewport.width * 0.02);
    // 11 px at 1080p and 22 px at 4K at the smallest.
    expect(layout.smallestFont.px, layout.smallestFont.text).toBeGreaterThanOrEqual(viewport.height / 100);
  });

  it('draws the trend chart whole: axes and labels inside the canvas, the labels legible', async () => {
    const d = await trendDrawing(page);
    expect(d.width).toBeGreaterThan(viewport.width * 0.1);
    // Room for a week's ups and downs: a fifth of the screen's height at least.
    expect(d.height).toBeGreaterThanOrEqual(viewport.height * 0.2);
    // Nothing touches an edge of the canvas (what touches it is cut), the axes' labels reach near the edges.
    expect(d.x0).toBeGreaterThanOrEqual(2);
    expect(d.y0).toBeGreaterThanOrEqual(2);
    expect(d.x1).toBeLessThanOrEqual(d.width - 3);
    expect(d.y1).toBeLessThanOrEqual(d.height - 3);
    expect(d.x0).toBeLessThan(d.width * 0.1);
    expect(d.y1).toBeGreaterThan(d.height * 0.9);
    // Digits of the x axis at least 0.5 % of the screen's height tall (5 px at 1080p).
    expect(d.labelHeight).toBeGreaterThanOrEqual(viewport.height * 0.005);
  });

  it('shows the heat in a ramp of saturated colours that stands out on the dark map, with its legend', async () => {
    const legend = await page.$$eval('[data-testid="wall-heat-class"]', (rows) =>
      rows.map((r) => r.getAttribute('data-colour')!),
    );
    expect(legend.length).toBeGreaterThanOrEqual(5);
    const luminance = (rgb: number[]) => {
      const [r, g, b] = rgb.map((v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const background = luminance(hexToRgb(WALL_DARK_COLOURS.background));
    const colours = legend.map(hexToRgb);
    for (const [k, c] of colours.entries()) {
      // Not a pale tint: saturation (max − min) / max of at least 0.6; contrast with the map's ground ≥ 3.
      expect((Math.max(...c) - Math.min(...c)) / Math.max(...c), legend[k]).toBeGreaterThanOrEqual(0.6);
      expect((luminance(c) + 0.05) / (background + 0.05), legend[k]).toBeGreaterThanOrEqual(3);
      // Neighbouring classes told apart at a glance.
      if (k > 0) expect(Math.hypot(...c.map((v, i) => v - colours[k - 1][i])), legend[k]).toBeGreaterThan(90);
    }
  });
});
