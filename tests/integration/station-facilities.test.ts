import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { COUNTY, get, testPool } from '../helpers/db.ts';
import { StationFeature } from '../../shared/api/stations.ts';
import { STATION_FACILITIES } from '../../shared/map/kinds.ts';
import { inRolledBackTransaction } from '../../server/postgres/pool.ts';

/** What each service station offers: loaded from the data set, served with the stations layer, no person. */
const pool = testPool();
afterAll(() => pool.end());

const inDatabase = async (): Promise<Map<string, string[]>> =>
  new Map(
    (
      await pool.query<{ id: string; facilities: string[] }>(
        'select id, facilities from stations where county_code = $1',
        [COUNTY],
      )
    ).rows.map((r) => [r.id, r.facilities]),
  );

describe('station facilities', () => {
  it('loads what every post offers from the data set', async () => {
    const file = JSON.parse(fs.readFileSync('geodata/yanchi/stations.geojson', 'utf8')) as {
      features: { properties: { id: string; facilities: string[] } }[];
    };
    const db = await inDatabase();
    expect(db.size).toBe(65);
    for (const f of file.features) expect(db.get(f.properties.id), f.properties.id).toEqual(f.properties.facilities);
    // Every post has a water dispenser and seats; the report's services are offered somewhere.
    for (const [id, offers] of db) expect(offers, id).toEqual(expect.arrayContaining(['water_dispenser', 'seats']));
    const all = [...db.values()].flat();
    for (const service of ['health_therapy', 'counselling', 'elderly_meals'])
      expect(all.filter((f) => f === service).length, service).toBeGreaterThan(3);
  });

  it('serves them in the stations collection, with no person in it', async () => {
    const res = await get('/ogc/collections/stations/items?limit=1000');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { features: unknown[] };
    const db = await inDatabase();
    expect(body.features.length).toBe(db.size);
    for (const raw of body.features) {
      const station = StationFeature.parse(raw);
      expect(station.properties.facilities).toEqual(db.get(station.properties.id!));
      expect(Object.keys((raw as { properties: object }).properties).sort()).toEqual(
        ['community_id', 'facilities', 'grid_id', 'id', 'kind', 'name', 'name_en'].sort(),
      );
    }
  });

  it('refuses a facility that is not one of the known ones, and keeps the known ones', async () => {
    await inRolledBackTransaction(pool, async (client) => {
      await client.query(`update stations set facilities = $2 where county_code = $1 and id = 'ST01'`, [
        COUNTY,
        [...STATION_FACILITIES],
      ]);
      await expect(
        client.query(`update stations set facilities = array['karaoke'] where county_code = $1 and id = 'ST01'`, [
          COUNTY,
        ]),
      ).rejects.toThrow(/check constraint/);
    });
  });
});
