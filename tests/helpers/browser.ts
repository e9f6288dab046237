import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { repoRoot } from '../../server/config.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Debian's Chromium, headless, with WebGL through SwiftShader and no calls home. */
export async function launchBrowser(
  viewport = { width: 1600, height: 1000 },
  options: { hasTouch?: boolean } = {},
): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'gridlink-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    hasTouch: options.hasTouch,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--enable-unsafe-swiftshader',
      '--use-angle=swiftshader',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Pixels of an RGBA buffer within `tolerance` (per channel) of a colour. */
export function countPixels(rgba: Uint8Array | Buffer, colour: [number, number, number], tolerance: number): number {
  let n = 0;
  for (let i = 0; i < rgba.length; i += 4) {
    if (
      Math.abs(rgba[i] - colour[0]) <= tolerance &&
      Math.abs(rgba[i + 1] - colour[1]) <= tolerance &&
      Math.abs(rgba[i + 2] - colour[2]) <= tolerance
    )
      n++;
  }
  return n;
}

/** Where end-to-end tests leave their screenshots for a person to look at. */
export const RESULTS_DIR = path.join(repoRoot, 'test-results');

/** A new page that records every console error and uncaught exception in `errors`. */
export async function recordingPage(
  context: BrowserContext,
  errors: string[] = [],
): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  return { page, errors };
}

/** Saves a screenshot as test-results/NAME and returns its raw RGBA pixels. */
export async function screenshotPixels(page: Page, name: string): Promise<Buffer> {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  return PNG.sync.read(await page.screenshot({ path: path.join(RESULTS_DIR, name) })).data;
}
