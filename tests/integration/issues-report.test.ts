import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { COUNTY, testPool } from '../helpers/db.ts';
import {
  api,
  demoGrids,
  demoSession,
  freePoint,
  freshSession,
  issueRowCounts,
  report,
} from '../helpers/issues-fixtures.ts';

/** POST /api/issues (随手拍), the work queue and the detail view. */
const pool = testPool();
let grids: Awaited<ReturnType<typeof demoGrids>>;

beforeAll(async () => {
  grids = await demoGrids(pool);
});
afterAll(() => pool.end());

describe('snap report', () => {
  it('answers a retried report with the same issue, not a second one (idempotency key)', async () => {
    const { cookie } = await freshSession(pool, 'reporter', undefined, 'rider');
    const point = await freePoint(pool, grids.workerGrid, 'safety_hazard');
    const body = {
      category: 'safety_hazard',
      description: '电动车楼道充电',
      ...point,
      idempotency_key: 'retry-test-0001',
    };
    const first = await api('POST', '/api/issues', cookie, body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ source: 'rider', state: 'reported', replayed: false });
    const before = await issueRowCounts(pool);
    const again = await api('POST', '/api/issues', cookie, body);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.id, replayed: true });
    // Concurrent retries too.
    const burst = await Promise.all([1, 2, 3].map(() => api('POST', '/api/issues', cookie, body)));
    expect(burst.map((r) => r.body.id)).toEqual([first.body.id, first.body.id, first.body.id]);
    expect(await issueRowCounts(pool)).toEqual(before);
    // The same key from another account is another report.
    const other = await freshSession(pool, 'reporter');
    const theirs = await api('POST', '/api/issues', other.cookie, { ...body, join: false });
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(first.body.id);
  });

  it('offers an open report of the same category within 50 m as a duplicate to join', async () => {
    const { cookie } = await freshSession(pool, 'reporter');
    const original = await report(pool, cookie, grids.workerGrid, 'manhole_cover');
    // About 20 m north.
    const near = { category: 'manhole_cover', description: '井盖缺失', lon: original.lon, lat: original.lat + 0.00018 };
    const before = await issueRowCounts(pool);
    const offered = await api('POST', '/api/issues', cookie, near);
    expect(offered.status).toBe(409);
    expect(offered.body.error.code).toBe('PossibleDuplicate');
    // Its code and category, no distance (tests/integration/duplicate-probe.test.ts).
    expect(offered.body.error.details.candidates).toContainEqual(
      expect.objectContaining({ id: original.id, code: original.code, categoryId: 'manhole_cover' }),
    );
    expect(await issueRowCounts(pool)).toEqual(before);

    const joined = await api('POST', '/api/issues', cookie, { ...near, duplicate_of: original.id });
    expect(joined.status).toBe(201);
    expect(joined.body).toMatchObject({ state: 'duplicate', duplicateOf: original.id, joined: true });
    const separate = await api('POST', '/api/issues', cookie, { ...near, join: false });
    expect(separate.status).toBe(201);
    expect(separate.body).toMatchObject({ state: 'reported', duplicateOf: null });

    // Another category at the same place, or the same category 80 m away, is no duplicate.
    expect((await api('POST', '/api/issues', cookie, { ...near, category: 'food_hygiene' })).status).toBe(201);
    const far = { ...near, lat: original.lat + 0.00072 };
    const farRes = await api('POST', '/api/issues', cookie, far);
    expect(farRes.status, JSON.stringify(farRes.body)).toBe(201);
    // A duplicate is not itself joined.
    const joinClosed = await api('POST', '/api/issues', cookie, { ...near, duplicate_of: joined.body.id });
    expect(joinClosed.status).toBe(422);
  });

  it('refuses a location outside the county with 422 and writes nothing', async () => {
    const { cookie } = await freshSession(pool, 'reporter');
    const before = await issueRowCounts(pool);
    for (const [lon, lat] of [
      [116.397, 39.909],
      [107.0, 37.0],
      [0, 0],
    ]) {
      const res = await api('POST', '/api/issues', cookie, {
        category: 'parking',
        description: '乱停车',
        lon,
        lat,
        idempotency_key: `outside-${lon}-${lat}`,
      });
      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({ code: 'OutsideCounty' });
      expect(res.body.error.message).toMatch(/outside the county/);
    }
    expect(await issueRowCounts(pool)).toEqual(before);
  });

  it('validates the body: category, major class, coordinates, unknown fields', async () => {
    const { cookie } = await freshSession(pool, 'reporter');
    const point = await freePoint(pool, grids.workerGrid, 'parking');
    const before = await issueRowCounts(pool);
    const cases: [Record<string, unknown>, number][] = [
      [{ description: 'x', ...point }, 400],
      [{ category: 'parking', description: '', ...point }, 400],
      [{ category: 'parking', description: 'x', lon: 200, lat: 37 }, 400],
      [{ category: 'parking', description: 'x', ...point, admin: true }, 400],
      [{ category: 'parking', description: 'x', ...point, source: 'alien' }, 400],
      [{ category: 'no_such', description: 'x', ...point }, 422],
      [{ category: 'street_order', description: 'x', ...point }, 422],
    ];
    for (const [body, status] of cases)
      expect((await api('POST', '/api/issues', cookie, body)).status, JSON.stringify(body)).toBe(status);
    expect(await issueRowCounts(pool)).toEqual(before);
  });

  it('limits reports per account and hour (429 with Retry-After)', async () => {
    const { cookie } = await freshSession(pool, 'reporter');
    const { rows } = await pool.query<{ id: string }>(
      `select id from grids where county_code = $1 order by id limit 21`,
      [COUNTY],
    );
    for (const { id } of rows.slice(0, 20)) await report(pool, cookie, id, 'neighbour_dispute', { join: false });
    const point = await freePoint(pool, rows[20].id, 'neighbour_dispute');
    const res = await fetch(`${inject('baseUrl')}/api/issues`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ category: 'neighbour_dispute', description: 'x', ...point }),
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another account is not affected.
    expect(
      (
        await report(pool, (await freshSession(pool, 'reporter')).cookie, rows[20].id, 'neighbour_dispute', {
          join: false,
        })
      ).state,
    ).toBe('reported');
  });
});

describe('work queue and detail', () => {
  it('shows reporters their own reports only', async () => {
    const mine = await freshSession(pool, 'reporter');
    const issue = await report(pool, mine.cookie, grids.otherCommunityGrid, 'street_litter');
    const list = await api('GET', '/api/issues', mine.cookie);
    expect(list.status).toBe(200);
    expect(list.body.issues.map((i: { id: number }) => i.id)).toEqual([issue.id]);
    const other = await freshSession(pool, 'reporter');
    expect((await api('GET', '/api/issues', other.cookie)).body.total).toBe(0);
    expect((await api('GET', `/api/issues/${issue.id}`, other.cookie)).status).toBe(404);
    expect((await api('GET', `/api/issues/${issue.id}`, mine.cookie)).status).toBe(200);
  });

  it('keeps grid workers to their grid and dispatchers to their community, in SQL', async () => {
    const worker = await demoSession('grid_worker');
    const dispatcher = await demoSession('dispatcher');
    const w = await api('GET', '/api/issues?limit=500', worker);
    expect(w.status).toBe(200);
    expect(w.body.total).toBeGreaterThan(0);
    expect(new Set(w.body.issues.map((i: { gridId: string }) => i.gridId))).toEqual(new Set([grids.workerGrid]));
    const d = await api('GET', '/api/issues?limit=500', dispatcher);
    expect(new Set(d.body.issues.map((i: { communityId: string }) => i.communityId))).toEqual(
      new Set([grids.communityId]),
    );
    const { rows } = await pool.query<{ n: number }>(
      `select count(*)::int n from issues where county_code = $1 and community_id = $2`,
      [COUNTY, grids.communityId],
    );
    expect(d.body.total).toBe(rows[0].n);
    // Asking for another area gives nothing rather than someone else's cases.
    expect((await api('GET', `/api/issues?area=${grids.otherCommunityGrid}`, dispatcher)).body.total).toBe(0);
    const leader = await demoSession('leader');
    expect((await api('GET', `/api/issues?area=${grids.otherCommunityGrid}`, leader)).body.total).toBeGreaterThan(0);
  });

  it('filters by state, category (major or minor), area and overdue', async () => {
    const leader = await demoSession('leader');
    const all = (await api('GET', '/api/issues?limit=500', leader)).body;
    const byState = (await api('GET', '/api/issues?state=closed,rated&limit=500', leader)).body;
    expect(byState.total).toBeGreaterThan(0);
    expect(byState.issues.every((i: { state: string }) => ['closed', 'rated'].includes(i.state))).toBe(true);
    const minor = (await api('GET', '/api/issues?category=parking&limit=500', leader)).body;
    expect(minor.issues.every((i: { categoryId: string }) => i.categoryId === 'parking')).toBe(true);
    const major = (await api('GET', '/api/issues?category=street_order&limit=500', leader)).body;
    expect(major.total).toBeGreaterThanOrEqual(minor.total);
    expect(
      major.issues.every((i: { categoryId: string }) => ['parking', 'street_vending'].includes(i.categoryId)),
    ).toBe(true);
    const area = (await api('GET', `/api/issues?area=${grids.communityId}&limit=500`, leader)).body;
    expect(area.issues.every((i: { communityId: string }) => i.communityId === grids.communityId)).toBe(true);
    const overdue = (await api('GET', '/api/issues?overdue=true&limit=500', leader)).body;
    expect(overdue.total).toBeGreaterThan(0);
    expect(overdue.issues.every((i: { overdue: boolean }) => i.overdue)).toBe(true);
    expect(overdue.total + (await api('GET', '/api/issues?overdue=false&limit=1', leader)).body.total).toBe(all.total);
    expect((await api('GET', '/api/issues?state=nonsense', leader)).status).toBe(400);
    expect((await api('GET', '/api/issues?limit=0', leader)).status).toBe(400);
    expect((await api('GET', '/api/issues?sql=1', leader)).status).toBe(400);
  });

  it('masks the reporter for most roles; the dispatcher handling it sees them in full, audited', async () => {
    const { cookie } = await freshSession(pool, 'reporter');
    const issue = await report(pool, cookie, grids.workerGrid, 'entry_and_stairs', {
      contact: { name: '欧阳娜娜', phone: '13812341234' },
    });
    const worker = await api('GET', `/api/issues/${issue.id}`, await demoSession('grid_worker'));
    expect(worker.body.reporter).toEqual({ name: '欧***', phone: '138****1234', masked: true });
    const leader = await api('GET', `/api/issues/${issue.id}`, await demoSession('leader'));
    expect(leader.body.reporter.masked).toBe(true);
    const auditsBefore = (
      await pool.query(`select count(*)::int n from audit_log where county_code = $1 and target = $2`, [
        COUNTY,
        `issue:${issue.id}:reporter`,
      ])
    ).rows[0].n;
    expect(auditsBefore).toBe(0);
    const dispatcher = await api('GET', `/api/issues/${issue.id}`, await demoSession('dispatcher'));
    expect(dispatcher.body.reporter).toEqual({ name: '欧阳娜娜', phone: '13812341234', masked: false });
    const { rows } = await pool.query(
      `select actor, action, after from audit_log where county_code = $1 and target = $2`,
      [COUNTY, `issue:${issue.id}:reporter`],
    );
    expect(rows).toEqual([
      { actor: 'demo-dispatcher', action: 'people.view_unmasked', after: { fields: ['name', 'phone'] } },
    ]);
    // The reporter sees their own contact; the list never carries it.
    expect((await api('GET', `/api/issues/${issue.id}`, cookie)).body.reporter.masked).toBe(false);
    const list = await api('GET', '/api/issues', cookie);
    expect(JSON.stringify(list.body)).not.toContain('13812341234');
    expect(JSON.stringify(list.body)).not.toContain('欧阳');
    expect(dispatcher.body.nextStates.sort()).toEqual(['accepted', 'duplicate', 'returned', 'void']);
    // Routing: the member units of the grid first (those of the category's trade, enterprise, before the
    // others), then units of that trade elsewhere in the county, to summon for a cross-department case.
    const { rows: gridUnits } = await pool.query<{ trade: string }>(
      `select u.trade from member_unit_grids g join member_units u on u.county_code = g.county_code and u.id = g.unit_id where g.county_code = $1
        and g.grid_id = $2`,
      [COUNTY, grids.workerGrid],
    );
    const suggested = dispatcher.body.suggestedUnits as { trade: string; inGrid: boolean }[];
    expect(suggested).toHaveLength(12);
    expect(suggested.filter((u) => u.inGrid)).toHaveLength(gridUnits.length);
    expect(suggested.slice(0, gridUnits.length).every((u) => u.inGrid)).toBe(true);
    expect(suggested.slice(gridUnits.length).every((u) => u.trade === 'enterprise')).toBe(true);
    if (gridUnits.some((u) => u.trade === 'enterprise')) expect(suggested[0].trade).toBe('enterprise');
  });
});
