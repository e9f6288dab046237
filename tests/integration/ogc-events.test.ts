import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { COUNTY, testPool } from '../helpers/db.ts';
import { demoGrids, demoSession, freshSession, report } from '../helpers/issues-fixtures.ts';
import { cellCentreOf } from '../helpers/public-cells.ts';

/**
 * OGC collection `events`: public fields only, located at the centre of the heat cell for public
 * callers, exact for the handlers of the area; bbox, datetime, limit and offset; never a person.
 */
const pool = testPool();
const base = inject('baseUrl');
const PUBLIC_FIELDS = [
  'category',
  'category_major',
  'category_name',
  'closed_at',
  'code',
  'community_code',
  'community_id',
  'created_at',
  'grid_code',
  'grid_id',
  'location_precision',
  'overdue',
  'source',
  'state',
].sort();
const SECRET = { name: '王秘密', phone: '13700009999', description: '私人描述文字-OGC-探针' };
let grids: Awaited<ReturnType<typeof demoGrids>>;
let inside: any; // reported in the dispatcher's community
let outside: any; // reported in another community
let dispatcher: string;

beforeAll(async () => {
  grids = await demoGrids(pool);
  dispatcher = await demoSession('dispatcher');
  const reporter = await freshSession(pool, 'reporter');
  inside = await report(pool, reporter.cookie, grids.communityGrid, 'street_litter', {
    contact: { name: SECRET.name, phone: SECRET.phone },
    description: SECRET.description,
  });
  outside = await report(pool, reporter.cookie, grids.otherCommunityGrid, 'street_litter', {
    contact: { name: SECRET.name, phone: SECRET.phone },
    description: SECRET.description,
  });
});
afterAll(() => pool.end());

async function items(query: string, cookie?: string): Promise<any> {
  const res = await fetch(`${base}/ogc/collections/events/items${query}`, { headers: cookie ? { cookie } : {} });
  expect(res.status, await res.clone().text()).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/application\/geo\+json/);
  return res.json();
}

/** Every feature, following the next links. */
async function allItems(cookie?: string): Promise<any[]> {
  const out: any[] = [];
  let url: string | undefined = `${base}/ogc/collections/events/items?limit=200`;
  while (url) {
    const res: Response = await fetch(url, { headers: cookie ? { cookie } : {} });
    const body = await res.json();
    out.push(...body.features);
    url = body.links.find((l: { rel: string }) => l.rel === 'next')?.href;
  }
  return out;
}

/** The public point of an issue: the centre of the heat cell holding its exact point. */
async function snapped(issueId: number): Promise<[number, number]> {
  const { rows } = await pool.query(
    `select st_x(location) as x, st_y(location) as y from issues where county_code = $1 and id = $2`,
    [COUNTY, issueId],
  );
  return cellCentreOf(rows[0].x, rows[0].y);
}

const close = (a: number[], b: number[]) => Math.abs(a[0] - b[0]) < 1e-6 && Math.abs(a[1] - b[1]) < 1e-6;

describe('OGC collection events', () => {
  it('is listed, with an extent, and gives every visible issue with the public fields only', async () => {
    const { collections } = await (await fetch(`${base}/ogc/collections`)).json();
    expect(collections.map((c: { id: string }) => c.id)).toContain('events');
    const { rows } = await pool.query(
      `select count(*)::int as n from issues where county_code = $1 and state not in ('void', 'duplicate')`,
      [COUNTY],
    );
    const features = await allItems();
    expect(features.length).toBe(rows[0].n);
    expect(new Set(features.map((f) => f.id)).size).toBe(rows[0].n);
    for (const f of features) expect(Object.keys(f.properties).sort()).toEqual(PUBLIC_FIELDS);
    const mine = features.find((f) => f.id === inside.code);
    expect(mine.properties).toMatchObject({
      code: inside.code,
      category: 'street_litter',
      category_major: expect.any(String),
      state: 'reported',
      source: 'resident',
      overdue: false,
      grid_id: grids.communityGrid,
      closed_at: null,
    });
  });

  it('places public points at the centre of the heat cell, never at the reported point', async () => {
    for (const issue of [inside, outside]) {
      const f = await (await fetch(`${base}/ogc/collections/events/items/${issue.code}`)).json();
      expect(f.properties.location_precision).toBe('cell');
      expect(close(f.geometry.coordinates, await snapped(issue.id))).toBe(true);
      expect(close(f.geometry.coordinates, [issue.lon, issue.lat])).toBe(false);
    }
    // A sample of the history: every public point is its cell's centre.
    const page = await items('?limit=50&offset=10');
    const { rows } = await pool.query(`select id, code from issues where county_code = $1 and code = any($2::text[])`, [
      COUNTY,
      page.features.map((f: { id: string }) => f.id),
    ]);
    for (const r of rows)
      expect(
        close(page.features.find((f: { id: string }) => f.id === r.code).geometry.coordinates, await snapped(r.id)),
      ).toBe(true);
  });

  it('gives the dispatcher exact points inside their community only', async () => {
    const exact = await (
      await fetch(`${base}/ogc/collections/events/items/${inside.code}`, { headers: { cookie: dispatcher } })
    ).json();
    expect(exact.properties.location_precision).toBe('exact');
    expect(close(exact.geometry.coordinates, [inside.lon, inside.lat])).toBe(true);
    const other = await (
      await fetch(`${base}/ogc/collections/events/items/${outside.code}`, { headers: { cookie: dispatcher } })
    ).json();
    expect(other.properties.location_precision).not.toBe('exact');
    expect(close(other.geometry.coordinates, await snapped(outside.id))).toBe(true);
    // Reporters and wall-like public roles get the snapped point too.
    const leader = await (
      await fetch(`${base}/ogc/collections/events/items/${inside.code}`, {
        headers: { cookie: await demoSession('leader') },
      })
    ).json();
    expect(leader.properties.location_precision).not.toBe('exact');
  });

  it('filters bbox on the point the caller gets, so the exact location cannot be probed', async () => {
    const d = 0.00005;
    const around = `?bbox=${inside.lon - d},${inside.lat - d},${inside.lon + d},${inside.lat + d}`;
    expect((await items(around)).features.map((f: { id: string }) => f.id)).not.toContain(inside.code);
    expect((await items(around, dispatcher)).features.map((f: { id: string }) => f.id)).toContain(inside.code);
    const [x, y] = await snapped(inside.id);
    const atCell = await items(`?bbox=${x - d},${y - d},${x + d},${y + d}&limit=1000`);
    expect(atCell.features.map((f: { id: string }) => f.id)).toContain(inside.code);
  });

  it('filters datetime (instant day, closed and open intervals) and properties, as the database counts', async () => {
    const count = async (where: string, args: unknown[]) =>
      (
        await pool.query(
          `select count(*)::int as n from issues where county_code = $1 and state not in ('void', 'duplicate') and ${where}`,
          [COUNTY, ...args],
        )
      ).rows[0].n;
    const from = '2026-03-01T00:00:00Z';
    const to = '2026-06-30T23:59:59Z';
    expect((await items(`?datetime=${from}/${to}&limit=1`)).numberMatched).toBe(
      await count('created_at between $2 and $3', [from, to]),
    );
    expect((await items(`?datetime=../${to}&limit=1`)).numberMatched).toBe(await count('created_at <= $2', [to]));
    expect((await items(`?datetime=${from}/..&limit=1`)).numberMatched).toBe(await count('created_at >= $2', [from]));
    const today = new Date().toISOString().slice(0, 10);
    const day = await items(`?datetime=${today}&limit=1000`);
    expect(day.features.map((f: { id: string }) => f.id)).toContain(inside.code);
    expect(day.numberMatched).toBe(await count(`created_at >= $2::date and created_at < $2::date + 1`, [today]));
    expect((await items('?state=closed&limit=1')).numberMatched).toBe(await count(`state = 'closed'`, []));
    expect((await items('?overdue=true&limit=1')).numberMatched).toBe(
      await count(`deadline < now() and state not in ('closed', 'rated', 'returned', 'deferred')`, []),
    );
  });

  it('pages with limit and offset', async () => {
    const first = await items('?limit=7');
    const second = await items('?limit=7&offset=7');
    expect(first.numberReturned).toBe(7);
    expect(second.features[0].id).not.toBe(first.features[0].id);
    expect(new Set([...first.features, ...second.features].map((f) => f.id)).size).toBe(14);
    expect(first.links.find((l: { rel: string }) => l.rel === 'next').href).toContain('offset=7');
  });

  it('refuses a bad datetime, bbox or parameter with 400', async () => {
    for (const q of [
      '?datetime=yesterday',
      '?datetime=2026-05-01/2026-04-01',
      '?datetime=../..',
      '?bbox=1,2,3',
      '?description=x',
      '?reporter_name=x',
    ]) {
      const res = await fetch(`${base}/ogc/collections/events/items${q}`);
      expect(res.status, q).toBe(400);
      expect((await res.json()).error.code).toBeDefined();
    }
    expect((await fetch(`${base}/ogc/collections/events/items/SJ00000000-999999`)).status).toBe(404);
    // datetime stays unknown on collections without time.
    expect((await fetch(`${base}/ogc/collections/grids/items?datetime=2026-01-01`)).status).toBe(400);
  });

  it('never carries a reporter field, the description or a photo, whoever asks', async () => {
    for (const cookie of [undefined, dispatcher, await demoSession('leader'), await demoSession('reporter')]) {
      const text = JSON.stringify(await allItems(cookie));
      for (const secret of Object.values(SECRET)) expect(text).not.toContain(secret);
      for (const key of ['reporter', 'description', 'photo', 'phone', 'reporter_user_id', 'reporter_name'])
        expect(text).not.toContain(`"${key}`);
    }
  });
});
