import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LAYERS } from '../../server/db/layers.ts';
import { cookieFrom, displayToken } from '../helpers/auth.ts';
import { COUNTY, testPool } from '../helpers/db.ts';
import { tileOf } from '../helpers/xyz.ts';

const base = inject('baseUrl');
const pool = testPool();
afterAll(() => pool.end());

/** Keys that would say something about a person. */
const PERSONAL_KEYS = [
  'phone',
  'gender',
  'birth_year',
  'party_member',
  'in_service',
  'red_steward',
  'roles',
  'person',
  'people',
];
let personal: Set<string>;
let wall: string;

beforeAll(async () => {
  const { rows } = await pool.query<{ id: string; name: string; phone: string | null }>(
    'select id, name, phone from people where county_code = $1',
    [COUNTY],
  );
  expect(rows.length).toBeGreaterThan(1000);
  personal = new Set(rows.flatMap((r) => [r.id, r.name, ...(r.phone ? [r.phone] : [])]));
  const token = await displayToken('privacy wall');
  wall = cookieFrom(await fetch(`${base}/wall?token=${token}`, { redirect: 'manual' }), 'gridlink_display');
});

/** Every key and scalar value of a JSON document. */
function walk(value: unknown, keys: Set<string>, values: Set<string>): void {
  if (Array.isArray(value)) for (const v of value) walk(v, keys, values);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      keys.add(k);
      walk(v, keys, values);
    }
  } else if (value !== null && value !== undefined) values.add(String(value));
}

function expectNoPerson(keys: Set<string>, values: Set<string>, where: string) {
  expect(
    [...keys].filter((k) => PERSONAL_KEYS.includes(k)),
    where,
  ).toEqual([]);
  expect(
    [...values].filter((v) => personal.has(v)),
    where,
  ).toEqual([]);
}

describe.each([
  ['an anonymous caller', () => ({})],
  ['a wall display', () => ({ cookie: wall })],
])('what %s reads', (_who, headers) => {
  it('OGC items of every collection hold no person', async () => {
    const { collections } = await (await fetch(`${base}/ogc/collections`, { headers: headers() })).json();
    expect(collections.length).toBeGreaterThan(4);
    for (const c of collections as { id: string }[]) {
      const res = await fetch(`${base}/ogc/collections/${c.id}/items?limit=10000`, { headers: headers() });
      expect(res.status).toBe(200);
      const keys = new Set<string>();
      const values = new Set<string>();
      const body = await res.json();
      walk(
        body.features.map((f: { properties: unknown }) => f.properties),
        keys,
        values,
      );
      expectNoPerson(keys, values, c.id);
    }
  });

  it('vector tiles of every layer hold no person', async () => {
    const { rows } = await pool.query(
      `select st_xmin(e) x0, st_ymin(e) y0, st_xmax(e) x1, st_ymax(e) y1 from (select st_extent(geom) e from compounds where county_code = $1) s`,
      [COUNTY],
    );
    const [tx0, ty0] = tileOf(rows[0].x0, rows[0].y1, 14);
    const [tx1, ty1] = tileOf(rows[0].x1, rows[0].y0, 14);
    let features = 0;
    for (const layer of LAYERS) {
      const keys = new Set<string>();
      const values = new Set<string>();
      for (let x = tx0; x <= tx1; x++) {
        for (let y = ty0; y <= ty1; y++) {
          const res = await fetch(`${base}/tiles/${layer.id}/14/${x}/${y}.mvt`, { headers: headers() });
          expect(res.status).toBe(200);
          const tile = new VectorTile(new PbfReader(new Uint8Array(await res.arrayBuffer())));
          for (const l of Object.values(tile.layers)) {
            for (let i = 0; i < l.length; i++) {
              features++;
              walk(l.feature(i).properties, keys, values);
            }
          }
        }
      }
      expectNoPerson(keys, values, layer.id);
    }
    expect(features).toBeGreaterThan(1000);
  });

  it('the style, TileJSON and /api/me hold no person', async () => {
    const keys = new Set<string>();
    const values = new Set<string>();
    for (const p of ['/styles/gridlink.json', '/tiles/grids.json', '/ogc', '/api/health']) {
      walk(await (await fetch(`${base}${p}`, { headers: headers() })).json(), keys, values);
    }
    const me = await fetch(`${base}/api/me`, { headers: headers() });
    walk(await me.json(), keys, values);
    expectNoPerson(keys, values, 'documents');
  });
});
