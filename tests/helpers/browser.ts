import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Debian's Chromium, headless, with WebGL through SwiftShader and no calls home. */
export async function launchBrowser(viewport = { width: 1600, height: 1000 }): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'gridlink-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
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
    ) n++;
  }
  return n;
}
