// Where a longitude / latitude is drawn on the gridlink map of a page in Chromium, in page coordinates (for
// clicks, taps and pixel samples).
import type { Page } from 'playwright-core';

export interface ScreenPoint {
  x: number;
  y: number;
}

/** Page coordinates of longitude / latitude pairs on the map. */
export function screenPoints(page: Page, lngLats: [number, number][]): Promise<ScreenPoint[]> {
  return page.evaluate((points) => {
    const map = window.__gridlinkMap!;
    const rect = document.querySelector('canvas.maplibregl-canvas')!.getBoundingClientRect();
    return points.map((lngLat) => {
      const p = map.project(lngLat);
      return { x: rect.left + p.x, y: rect.top + p.y };
    });
  }, lngLats);
}

/** Page coordinates of a longitude / latitude on the map. */
export async function screenPoint(page: Page, lng: number, lat: number): Promise<ScreenPoint> {
  const [point] = await screenPoints(page, [[lng, lat]]);
  return point;
}
