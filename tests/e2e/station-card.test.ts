import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { useBrowser } from './fixture.ts';
import { COUNTY, testPool } from '../helpers/db.ts';
import zh from '../../client/i18n/messages/zh.ts';
import en from '../../client/i18n/messages/en.ts';

/** The station card (the popup of a clicked station) lists what the post offers, as the database has it. */
const pool = testPool();
const { page, errors } = useBrowser();
let station: { id: string; lon: number; lat: number; facilities: string[] };

beforeAll(async () => {
  // A micro living room offering one of the report's services (保健理疗, 心理咨询, 老年配餐).
  const { rows } = await pool.query(
    `select id, st_x(geom) as lon, st_y(geom) as lat, facilities from stations
     where county_code = $1 and kind = 'micro_living_room' and facilities && array['health_therapy', 'counselling']
     order by id limit 1`,
    [COUNTY],
  );
  station = rows[0];
});
afterAll(() => pool.end());

type MapHandle = {
  jumpTo(o: object): void;
  loaded(): boolean;
  isMoving(): boolean;
  project(c: number[]): { x: number; y: number };
};

/** Opens /inspect in `lang` over the station and clicks it until its card opens; the card's facilities text. */
async function openCard(lang: string): Promise<string> {
  await page.goto(`${inject('baseUrl')}/inspect?lang=${lang}`);
  await page.waitForSelector('body[data-map-ready="true"]', { timeout: 120_000 });
  await page.evaluate(
    ({ lon, lat }) =>
      (window as unknown as { __gridlinkMap: MapHandle }).__gridlinkMap.jumpTo({ center: [lon, lat], zoom: 17 }),
    station,
  );
  await page.waitForFunction(() => {
    const map = (window as unknown as { __gridlinkMap: MapHandle }).__gridlinkMap;
    return map.loaded() && !map.isMoving();
  });
  const canvas = (await (await page.$('canvas.maplibregl-canvas'))!.boundingBox())!;
  const at = await page.evaluate(
    ({ lon, lat }) => (window as unknown as { __gridlinkMap: MapHandle }).__gridlinkMap.project([lon, lat]),
    station,
  );
  // The station layer is drawn once its features have loaded: click until the station's card is open.
  await expect
    .poll(
      async () => {
        await page.mouse.click(canvas.x + at.x, canvas.y + at.y);
        return page.getAttribute('[data-testid="feature-popup"]', 'data-kind', { timeout: 1000 }).catch(() => null);
      },
      { timeout: 30_000 },
    )
    .toBe('station');
  return (await page.textContent('[data-testid="feature-popup"] [data-testid="popup-facilities"]')) ?? '';
}

describe('the station card', () => {
  it('lists what the post offers, in Chinese and in English', async () => {
    expect(station.facilities.length).toBeGreaterThan(2);
    const zhLabels = zh.stationFacility as Record<string, string>;
    const enLabels = en.stationFacility as Record<string, string>;
    expect(await openCard('zh')).toBe(station.facilities.map((f) => zhLabels[f]).join('、'));
    expect(await openCard('en')).toBe(station.facilities.map((f) => enLabels[f]).join(', '));
    expect(errors).toEqual([]);
  });
});
