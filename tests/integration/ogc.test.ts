import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { COUNTY, get, testPool } from '../helpers/db.ts';

const pool = testPool();
afterAll(() => pool.end());

const COLLECTIONS = ['streets', 'communities', 'grids', 'compounds', 'buildings', 'stations', 'events'];

async function json(path: string, status = 200) {
  const res = await get(path);
  expect(res.status, `${path} → ${res.status}`).toBe(status);
  return res.json();
}

async function count(sql: string, args: unknown[] = [COUNTY]): Promise<number> {
  const { rows } = await pool.query(sql, args);
  return Number(rows[0].n);
}

describe('OGC API – Features', () => {
  it('has a landing page linking conformance, collections and the API definition', async () => {
    const body = await json('/ogc');
    const rels = body.links.map((l: { rel: string }) => l.rel);
    expect(rels).toEqual(expect.arrayContaining(['self', 'conformance', 'data', 'service-desc']));
    const api = await json('/ogc/api');
    expect(api.openapi).toMatch(/^3\.0/);
    expect(Object.keys(api.paths)).toContain('/collections/compounds/items');
  });

  it('declares core and GeoJSON conformance', async () => {
    const body = await json('/ogc/conformance');
    expect(body.conformsTo).toContain('http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core');
    expect(body.conformsTo).toContain('http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson');
  });

  it('lists every collection with an extent around the county town', async () => {
    const body = await json('/ogc/collections');
    expect(body.collections.map((c: { id: string }) => c.id).sort()).toEqual([...COLLECTIONS].sort());
    for (const c of body.collections) {
      const [x0, y0, x1, y1] = c.extent.spatial.bbox[0];
      expect(x0).toBeGreaterThan(107.3);
      expect(x1).toBeLessThan(107.5);
      expect(y0).toBeGreaterThan(37.7);
      expect(y1).toBeLessThan(37.9);
      expect(c.links.some((l: { rel: string }) => l.rel === 'items')).toBe(true);
    }
    const one = await json('/ogc/collections/grids');
    expect(one.id).toBe('grids');
  });

  it('pages through all compounds with next links, as many as the database holds', async () => {
    const inDb = await count('select count(*) as n from compounds where county_code = $1');
    expect(inDb).toBe(185);
    const ids = new Set<string>();
    let url: string | undefined = `${inject('baseUrl')}/ogc/collections/compounds/items?limit=50`;
    let pages = 0;
    while (url) {
      const res: Response = await fetch(url);
      const body = await res.json();
      expect(res.headers.get('content-type')).toContain('application/geo+json');
      expect(body.numberMatched).toBe(inDb);
      for (const f of body.features) ids.add(f.id);
      url = body.links.find((l: { rel: string }) => l.rel === 'next')?.href;
      pages++;
    }
    expect(pages).toBe(Math.ceil(inDb / 50));
    expect(ids.size).toBe(inDb);
  });

  it('returns 100 features by default, with the declared properties and RFC 7946 geometry', async () => {
    const body = await json('/ogc/collections/buildings/items');
    expect(body.type).toBe('FeatureCollection');
    expect(body.numberReturned).toBe(100);
    const f = body.features[0];
    expect(Object.keys(f.properties).sort()).toEqual(
      expect.arrayContaining(['id', 'compound_id', 'grid_id', 'households']),
    );
    expect(f.geometry.type).toBe('MultiPolygon');
    expect(typeof f.properties.households).toBe('number');
  });

  it('sums grid and community households in the database', async () => {
    const body = await json('/ogc/collections/grids/items?limit=200');
    expect(body.numberReturned).toBe(116);
    for (const f of body.features) {
      expect(f.properties.households).toBeGreaterThanOrEqual(300);
      expect(f.properties.households).toBeLessThanOrEqual(500);
    }
    const total = body.features.reduce(
      (s: number, f: { properties: { households: number } }) => s + f.properties.households,
      0,
    );
    expect(total).toBe(await count('select sum(households) as n from buildings where county_code = $1'));
    const communities = await json('/ogc/collections/communities/items');
    expect(
      communities.features.reduce(
        (s: number, f: { properties: { households: number } }) => s + f.properties.households,
        0,
      ),
    ).toBe(total);
  });

  it('filters by property equality and by bbox', async () => {
    for (const type of ['commercial_residential', 'old', 'transitional', 'work_unit']) {
      const body = await json(`/ogc/collections/compounds/items?type=${type}&limit=1000`);
      const inDb = await count('select count(*) as n from compounds where county_code = $1 and type = $2', [
        COUNTY,
        type,
      ]);
      expect(inDb).toBeGreaterThan(0);
      expect(body.numberMatched).toBe(inDb);
      expect(body.features.every((f: { properties: { type: string } }) => f.properties.type === type)).toBe(true);
    }
    const stations = await json('/ogc/collections/stations/items?kind=micro_living_room');
    expect(stations.numberMatched).toBe(19);

    const bbox = [107.395, 37.775, 107.405, 37.785];
    const inBox = await count(
      'select count(*) as n from compounds where county_code = $1 and st_intersects(geom, st_makeenvelope($2, $3, $4, $5, 4326))',
      [COUNTY, ...bbox],
    );
    const all = await count('select count(*) as n from compounds where county_code = $1');
    expect(inBox).toBeGreaterThan(0);
    expect(inBox).toBeLessThan(all);
    const body = await json(`/ogc/collections/compounds/items?bbox=${bbox.join(',')}&limit=1000`);
    expect(body.numberMatched).toBe(inBox);
  });

  it('returns one item by id, and 404 for an unknown one', async () => {
    const { rows } = await pool.query('select id, name from compounds where county_code = $1 order by id limit 1', [
      COUNTY,
    ]);
    const f = await json(`/ogc/collections/compounds/items/${rows[0].id}`);
    expect(f.type).toBe('Feature');
    expect(f.id).toBe(rows[0].id);
    expect(f.properties.name).toBe(rows[0].name);
    expect(f.links.map((l: { rel: string }) => l.rel)).toContain('collection');
    const missing = await json('/ogc/collections/compounds/items/NOPE', 404);
    expect(missing.error.message).toContain('NOPE');
  });

  it('never exposes a person', async () => {
    const body = await json('/ogc/collections');
    expect(body.collections.map((c: { id: string }) => c.id)).not.toContain('people');
    await json('/ogc/collections/people/items', 404);
  });

  it.each([
    ['/ogc/collections/compounds/items?limit=0', 'limit'],
    ['/ogc/collections/compounds/items?limit=10001', 'limit'],
    ['/ogc/collections/compounds/items?limit=abc', 'limit'],
    ['/ogc/collections/compounds/items?offset=-1', 'offset'],
    ['/ogc/collections/compounds/items?bbox=1,2,3', 'bbox'],
    ['/ogc/collections/compounds/items?bbox=107.5,37,107.4,38', 'bbox'],
    ['/ogc/collections/compounds/items?bbox=a,b,c,d', 'bbox'],
    ['/ogc/collections/compounds/items?bbox=0,0,1,1,2,2', '3D'],
    ['/ogc/collections/compounds/items?bbox=0,0,200,1', 'range'],
    ['/ogc/collections/compounds/items?colour=red', 'colour'],
    ['/ogc/collections/compounds/items?type=old&type=new', 'once'],
    ['/ogc/collections/compounds/items?f=html', 'f=json'],
  ])('rejects %s with a 400 that names the problem', async (path, word) => {
    const body = await json(path, 400);
    expect(body.error.message).toContain(word);
  });

  it('answers an unknown collection with 404', async () => {
    const body = await json('/ogc/collections/nothing/items', 404);
    expect(body.error.message).toContain('nothing');
  });
});
