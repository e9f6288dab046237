// A building's issue figures (GET /api/areas/building/:id/issues) place reports on their building: public report
// positions go no finer than the compound (docs/domain.md). Only accounts that read the issues of the building's
// area get them; anonymous callers, walls, reporters and accounts of another area get a 403.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cookieFrom, demoAccount, loginCookie, postJson } from '../helpers/auth.ts';
import { freshSession } from '../helpers/issues-fixtures.ts';
import { COUNTY, get, testPool } from '../helpers/db.ts';

const pool = testPool();
const base = inject('baseUrl');
let building: { id: string; grid_id: string; community_id: string; street_id: string };
let wall: string;

beforeAll(async () => {
  // The building with the most reports of the last 90 days.
  const { rows } = await pool.query(
    `select b.id, b.grid_id, g.community_id, c.street_id from buildings b
     join grids g on g.county_code = b.county_code and g.id = b.grid_id
     join communities c on c.county_code = g.county_code and c.id = g.community_id
     join issues i on i.county_code = b.county_code and st_covers(b.geom, i.location)
     where b.county_code = $1 and i.created_at >= now() - interval '90 days'
     group by b.id, b.grid_id, g.community_id, c.street_id order by count(*) desc, b.id limit 1`,
    [COUNTY],
  );
  building = rows[0];
  const admin = await loginCookie(demoAccount('admin'));
  const created = await postJson(
    `${base}/api/admin/display-tokens`,
    { screen: 'building-issue-privacy' },
    { cookie: admin },
  );
  expect(created.status).toBe(201);
  const exchanged = await fetch(`${base}/wall?token=${(await created.json()).token}`, { redirect: 'manual' });
  wall = cookieFrom(exchanged, 'gridlink_display');
});
afterAll(() => pool.end());

const url = () => `/api/areas/building/${building.id}/issues?days=90`;
const fetchAs = (cookie?: string) => get(url(), cookie ? { headers: { cookie } } : undefined);

describe('issue figures of a single building', () => {
  it('has reports to hide (the test would prove nothing otherwise)', () => {
    expect(building, 'a building with a report in the last 90 days').toBeDefined();
  });

  it('are refused to anonymous callers, walls and reporters with a 403 that names the compound instead', async () => {
    for (const [who, cookie] of [
      ['anonymous', undefined],
      ['wall', wall],
      ['reporter', await loginCookie(demoAccount('reporter'))],
    ] as const) {
      const res = await fetchAs(cookie);
      const body = await res.json();
      expect(res.status, who).toBe(403);
      expect(body.error.message, who).toMatch(/compound/);
      expect(JSON.stringify(body), who).not.toMatch(/reportedInPeriod|trend|byCategory/);
    }
  });

  it('are refused to an account of another grid, given to one of its own grid', async () => {
    const { rows } = await pool.query(`select id from grids where county_code = $1 and id <> $2 order by id limit 1`, [
      COUNTY,
      building.grid_id,
    ]);
    const other = await freshSession(pool, 'grid_worker', { streetId: null, communityId: null, gridId: rows[0].id });
    expect((await fetchAs(other.cookie)).status).toBe(403);
    const own = await freshSession(pool, 'grid_worker', {
      streetId: building.street_id,
      communityId: building.community_id,
      gridId: building.grid_id,
    });
    expect((await fetchAs(own.cookie)).status).toBe(200);
  });

  it('a leader gets them, equal to SQL over the reports located on the building', async () => {
    const res = await fetchAs(await loginCookie(demoAccount('leader')));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('no-store');
    const body = await res.json();
    const { rows } = await pool.query(
      `select count(*) filter (where state in ('reported','accepted','filed','dispatched','signed','handling','feedback','verified',
                                                'rework','reopened','deferred'))::int as open,
              count(*) filter (where created_at >= now() - interval '90 days')::int as reported
       from issues i join buildings b on b.county_code = i.county_code and b.id = $2 and st_covers(b.geom, i.location)
       where i.county_code = $1`,
      [COUNTY, building.id],
    );
    expect(rows[0].reported).toBeGreaterThan(0);
    expect(body.reportedInPeriod).toBe(rows[0].reported);
    expect(body.open).toBe(rows[0].open);
    expect(body.trend.counts.reduce((a: number, b: number) => a + b, 0)).toBeLessThanOrEqual(rows[0].reported);
  });

  it('of a compound stay public (positions to the compound are the product rule)', async () => {
    const { rows } = await pool.query(`select compound_id from buildings where county_code = $1 and id = $2`, [
      COUNTY,
      building.id,
    ]);
    expect((await get(`/api/areas/compound/${rows[0].compound_id}/issues?days=90`)).status).toBe(200);
  });

  it('of a building that does not exist are a 404 for everybody', async () => {
    expect((await get('/api/areas/building/B99999/issues')).status).toBe(404);
  });
});
