// npm run bench:wall — how much the wall costs over the bare map. In one run, alternating, in Debian's
// Chromium at 1920×1080: time from navigation to the map being idle for /wall (the map settled and the deck.gl
// overlay drawn) against a bare MapLibre page with the same style on the same view; then frames per second
// during the auto-tour.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { repoRoot } from '../../server/config.ts';
import { launchBrowser } from '../../tests/helpers/browser.ts';
import { startToolInstance } from '../tool-instance.ts';

const ROUNDS = 3;
const TARGET_RATIO = 1.5;
const TOUR_SECONDS = 5;
const TOUR_MEASURE_MS = 20_000;
const VIEWPORT = { width: 1920, height: 1080 };
const MAPLIBRE_DIST = path.join(repoRoot, 'node_modules', 'maplibre-gl', 'dist');

/** The bare page: maplibre from node_modules, the server's style, the view the wall opens on; marks idle. */
const BARE_HTML = `<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="/__bench/maplibre-gl.css">
<style>html,body,#map{margin:0;height:100%}</style></head><body><div id="map"></div>
<script type="module">
import * as maplibregl from '/__bench/maplibre-gl.mjs';
maplibregl.setWorkerUrl('/__bench/maplibre-gl-worker.mjs');
const { bounds, padding } = JSON.parse(decodeURIComponent(location.hash.slice(1)));
const style = await (await fetch('/styles/gridlink.json')).json();
const map = new maplibregl.Map({ container: 'map', style, bounds, fitBoundsOptions: { padding }, attributionControl: false,
  canvasContextAttributes: { preserveDrawingBuffer: true, antialias: true } });
const loaded = () => map.isStyleLoaded() && map.areTilesLoaded() && Object.keys(map.getStyle().sources).every((id) => map.isSourceLoaded(id));
map.on('idle', function check() {
  if (!loaded()) return;
  map.off('idle', check);
  performance.mark('gridlink-map-ready');
  document.body.dataset.mapReady = 'true';
});
</script></body></html>`;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** ms from navigation start to the page's `gridlink-map-ready` mark. */
async function timeToIdle(page: Page, url: string): Promise<number> {
  await page.goto(url);
  await page.waitForSelector('body[data-map-ready="true"]', { timeout: 300_000 });
  return page.evaluate(() => performance.getEntriesByName('gridlink-map-ready')[0]?.startTime ?? Number.NaN);
}

const { running } = await startToolInstance('bench');
const browser = await launchBrowser(VIEWPORT);
try {
  const base = running.url;
  await browser.context.route(`${base}/__bench/**`, async (route) => {
    const name = new URL(route.request().url()).pathname.slice('/__bench/'.length);
    if (name === 'bare.html') return route.fulfill({ contentType: 'text/html', body: BARE_HTML });
    const file = path.join(MAPLIBRE_DIST, path.basename(name));
    if (!fs.existsSync(file)) return route.fulfill({ status: 404, body: '' });
    return route.fulfill({
      contentType: name.endsWith('.css') ? 'text/css' : 'text/javascript',
      body: fs.readFileSync(file),
    });
  });
  // The wall opens on the whole county with the panels' padding (wall-tour.ts): the bare page does the same.
  const figures = (await (await fetch(`${base}/api/wall/figures`)).json()) as { communities: { bbox: number[] }[] };
  const boxes = figures.communities.map((c) => c.bbox);
  const bounds = [
    Math.min(...boxes.map((b) => b[0])),
    Math.min(...boxes.map((b) => b[1])),
    Math.max(...boxes.map((b) => b[2])),
    Math.max(...boxes.map((b) => b[3])),
  ];
  const em = VIEWPORT.height / 67.5;
  const view = encodeURIComponent(
    JSON.stringify({ bounds, padding: { left: em * 25, right: em * 27, top: em * 6, bottom: em * 10.5 } }),
  );
  const urls = { wall: `${base}/wall?lang=zh`, bare: `${base}/__bench/bare.html#${view}` };

  const times: Record<'wall' | 'bare', number[]> = { wall: [], bare: [] };
  // Round 0 warms the server's caches and the browser's; it is not counted.
  for (let round = 0; round <= ROUNDS; round++) {
    for (const kind of round % 2 ? (['bare', 'wall'] as const) : (['wall', 'bare'] as const)) {
      const page = await browser.context.newPage();
      const ms = await timeToIdle(page, urls[kind]);
      await page.close();
      if (round > 0) times[kind].push(ms);
      console.error(`[bench] round ${round} ${kind}: ${ms.toFixed(0)} ms${round === 0 ? ' (warm-up)' : ''}`);
    }
  }

  // Frames per second during the tour: all frames, and those while the camera flies.
  // A touring wall never goes idle (it flies every few seconds): measure from when the tour runs.
  const page = await browser.context.newPage();
  await page.goto(`${base}/wall?lang=zh&tour=${TOUR_SECONDS}`);
  await page.waitForSelector('[data-testid="wall-tour"][data-state="running"]', { timeout: 300_000 });
  await page.waitForFunction(
    () => (window as unknown as { __gridlinkMap?: unknown }).__gridlinkMap !== undefined,
    undefined,
    { timeout: 300_000 },
  );
  // A string, not a function: the page must not see the helpers the TypeScript loader adds to functions.
  const fps = (await page.evaluate(`new Promise((resolve) => {
    const map = window.__gridlinkMap;
    const start = performance.now();
    let last = start, frames = 0, flyingFrames = 0, flyingMs = 0, longest = 0;
    const tick = (now) => {
      const dt = now - last;
      frames++;
      longest = Math.max(longest, dt);
      if (map.isMoving()) { flyingFrames++; flyingMs += dt; }
      last = now;
      if (now - start < ${TOUR_MEASURE_MS}) requestAnimationFrame(tick);
      else resolve({
        all: (frames * 1000) / (now - start),
        flying: flyingMs ? (flyingFrames * 1000) / flyingMs : 0,
        flyingSeconds: flyingMs / 1000,
        longestFrameMs: longest,
      });
    };
    requestAnimationFrame(tick);
  })`)) as { all: number; flying: number; flyingSeconds: number; longestFrameMs: number };
  await page.close();

  const wall = median(times.wall);
  const bare = median(times.bare);
  const ratio = wall / bare;
  console.log(`navigation → map idle, median of ${ROUNDS} (1920×1080, Chromium + SwiftShader):`);
  console.log(`  /wall            ${wall.toFixed(0)} ms   (${times.wall.map((t) => t.toFixed(0)).join(', ')})`);
  console.log(`  bare MapLibre    ${bare.toFixed(0)} ms   (${times.bare.map((t) => t.toFixed(0)).join(', ')})`);
  console.log(
    `  ratio            ${ratio.toFixed(2)}   (target ≤ ${TARGET_RATIO}: ${ratio <= TARGET_RATIO ? 'met' : 'NOT met'})`,
  );
  console.log(`tour (every ${TOUR_SECONDS} s, ${TOUR_MEASURE_MS / 1000} s measured):`);
  console.log(
    `  frames per second ${fps.all.toFixed(1)} overall, ${fps.flying.toFixed(1)} while flying (${fps.flyingSeconds.toFixed(1)} s); ` +
      `longest frame ${fps.longestFrameMs.toFixed(0)} ms`,
  );
} finally {
  await browser.close();
  await running.stop();
}
