// Picking a point on the /report map in Chromium: centre the map on it, then tap it where it is drawn.
import type { Page } from 'playwright-core';
import { screenPoint } from './map-page.ts';

export async function tapMapAt(page: Page, lng: number, lat: number): Promise<void> {
  await page.$eval('[data-testid="map"]', (e) => e.scrollIntoView({ block: 'center' }));
  await page.evaluate(
    ([x, y]) => {
      const map = (window as unknown as { __gridlinkMap: { jumpTo(o: object): void } }).__gridlinkMap;
      map.jumpTo({ center: [x, y], zoom: 17 });
    },
    [lng, lat],
  );
  await page.waitForSelector('body[data-map-ready="true"]', { timeout: 60_000 });
  const point = await screenPoint(page, lng, lat);
  await page.mouse.click(point.x, point.y);
}

/** The point the form holds after a tap. */
export async function pickedPoint(page: Page): Promise<{ lon: number; lat: number }> {
  const el = await page.waitForSelector('[data-testid="report-picked"]');
  return { lon: Number(await el.getAttribute('data-lon')), lat: Number(await el.getAttribute('data-lat')) };
}
