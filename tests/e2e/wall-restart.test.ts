import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { startGridlink, type Running } from '../../server/start.ts';
import { useBrowsers } from './fixture.ts';
import { databaseUrl as testDatabaseUrl } from '../helpers/db.ts';
import { freePort } from '../helpers/processes.ts';

/**
 * An unattended wall survives a server restart: the stream comes back by itself and the figures are
 * fetched again, with no page reload. A second gridlink on the test database (DATABASE_URL), stopped and
 * started again on the same port while the page stays open.
 */
const databaseUrl = testDatabaseUrl();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridlink-wall-restart-'));
let running: Running | undefined;

afterAll(async () => {
  await running?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});
// Registered after the server's hook, so that the browser is closed first (vitest runs afterAll hooks in reverse).
const openBrowser = useBrowsers();

describe('/wall across a server restart', () => {
  it('is live again within 10 s, without a reload, and refetches its figures', { timeout: 240_000 }, async () => {
    const port = await freePort();
    const config = { ...loadConfig(), port, databaseUrl, dataDir };
    running = await startGridlink(config);
    const { page, errors } = await openBrowser({ viewport: { width: 1280, height: 720 } });
    await page.goto(`${running.url}/wall?lang=zh`);
    await page.waitForSelector('[data-testid="wall"][data-figures="loaded"][data-stream="live"]', { timeout: 120_000 });
    await page.evaluate(() => ((window as unknown as { wallMarker: number }).wallMarker = 7));
    const firstAt = await page.getAttribute('[data-testid="wall"]', 'data-generated-at');

    await running.stop();
    await page.waitForSelector('[data-testid="wall"][data-stream="reconnecting"]', { timeout: 10_000 });
    running = await startGridlink(config);
    // Live again and the figures fetched anew, both within one deadline of 10 s from the restart.
    const deadline = Date.now() + 10_000;
    const left = () => Math.max(1, deadline - Date.now());
    await page.waitForSelector('[data-testid="wall"][data-stream="live"]', { timeout: left() });
    await page.waitForFunction(
      (before) => document.querySelector('[data-testid="wall"]')!.getAttribute('data-generated-at') !== before,
      firstAt,
      { timeout: left() },
    );
    expect(await page.evaluate(() => (window as unknown as { wallMarker?: number }).wallMarker)).toBe(7);
    expect(await page.getAttribute('[data-testid="wall-freshness"]', 'data-state')).toBe('fresh');
    // The browser reports the refused connections while the server was away; nothing else may fail.
    expect(errors.filter((e) => !/ERR_CONNECTION_REFUSED|Failed to load resource|EventSource/.test(e))).toEqual([]);
  });
});
