import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COUNTY, testPool } from '../helpers/db.ts';
import { api, demoGrids, demoSession, freshSession, report } from '../helpers/issues-fixtures.ts';
import { loadConfig } from '../../server/config.ts';
import {
  addWorkingHours,
  calendarFromConfig,
  withExceptions,
  workingHoursBetween,
} from '../../server/issues/working-hours.ts';
import { OPEN_STATES, TRANSITIONS } from '../../shared/issue-states.ts';

/** Deadlines in working hours from the editable category time limits; overdue; the synthetic history. */
const pool = testPool();
let grids: Awaited<ReturnType<typeof demoGrids>>;

beforeAll(async () => {
  grids = await demoGrids(pool);
});
afterAll(() => pool.end());

async function calendar() {
  const { rows } = await pool.query<{ day: string; workday: boolean }>(
    `select to_char(day, 'YYYY-MM-DD') as day, workday from working_calendar where county_code = $1`,
    [COUNTY],
  );
  return withExceptions(calendarFromConfig(loadConfig().issues), rows);
}

describe('deadlines', () => {
  it('sets the deadline at filing: the category time limit in working hours from the filing time', async () => {
    const { cookie } = await freshSession(pool, 'reporter');
    const dispatcher = await demoSession('dispatcher');
    const issue = await report(pool, cookie, grids.workerGrid, 'facility_damage');
    await api('POST', `/api/issues/${issue.id}/transitions`, dispatcher, { to: 'accepted' });
    const filed = (await api('POST', `/api/issues/${issue.id}/transitions`, dispatcher, { to: 'filed', severity: 1 }))
      .body;
    const cal = await calendar();
    // facility_damage: 2 working days = 14 working hours.
    expect(workingHoursBetween(new Date(filed.filedAt), new Date(filed.deadline), cal)).toBeCloseTo(14, 1);
    expect(new Date(filed.deadline).getTime()).toBe(addWorkingHours(new Date(filed.filedAt), 14, cal).getTime());
    expect(filed.overdue).toBe(false);
  });

  it('lets an admin edit a time limit, audited, and uses it for the next filing', async () => {
    const admin = await demoSession('admin');
    expect(
      (
        await api('PUT', '/api/admin/categories/street_vending', await demoSession('dispatcher'), {
          time_limit_hours: 3,
        })
      ).status,
    ).toBe(403);
    expect((await api('PUT', '/api/admin/categories/street_order', admin, { time_limit_hours: 3 })).status).toBe(404);
    expect((await api('PUT', '/api/admin/categories/street_vending', admin, { time_limit_hours: 0 })).status).toBe(400);
    const edited = await api('PUT', '/api/admin/categories/street_vending', admin, { time_limit_hours: 3 });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ id: 'street_vending', timeLimitHours: 3 });
    const { rows } = await pool.query(
      `select before, after from audit_log where county_code = $1 and target = 'issue_category:street_vending'`,
      [COUNTY],
    );
    expect(rows.at(-1)).toEqual({ before: { timeLimitHours: 7 }, after: { timeLimitHours: 3 } });
    const categories = (await api('GET', '/api/categories', undefined)).body.categories;
    expect(categories.find((c: { id: string }) => c.id === 'street_vending').timeLimitHours).toBe(3);

    const { cookie } = await freshSession(pool, 'reporter');
    const dispatcher = await demoSession('dispatcher');
    const issue = await report(pool, cookie, grids.workerGrid, 'street_vending');
    await api('POST', `/api/issues/${issue.id}/transitions`, dispatcher, { to: 'accepted' });
    const filed = (await api('POST', `/api/issues/${issue.id}/transitions`, dispatcher, { to: 'filed' })).body;
    expect(workingHoursBetween(new Date(filed.filedAt), new Date(filed.deadline), await calendar())).toBeCloseTo(3, 1);
    expect((await api('PUT', '/api/admin/categories/street_vending', admin, { time_limit_hours: 7 })).status).toBe(200);
  });

  it('flags an open issue past its deadline as overdue, in the list and its filter', async () => {
    const { cookie } = await freshSession(pool, 'reporter');
    const dispatcher = await demoSession('dispatcher');
    const issue = await report(pool, cookie, grids.workerGrid, 'water_supply');
    await api('POST', `/api/issues/${issue.id}/transitions`, dispatcher, { to: 'accepted' });
    await api('POST', `/api/issues/${issue.id}/transitions`, dispatcher, { to: 'filed' });
    await pool.query(`update issues set deadline = now() - interval '1 minute' where county_code = $1 and id = $2`, [
      COUNTY,
      issue.id,
    ]);
    const overdue = (await api('GET', `/api/issues?overdue=true&category=water_supply&limit=500`, dispatcher)).body
      .issues;
    expect(overdue.map((i: { id: number }) => i.id)).toContain(issue.id);
    expect((await api('GET', `/api/issues/${issue.id}`, dispatcher)).body.overdue).toBe(true);
    // Deferral (approved by the dispatcher) stops the clock.
    await api('POST', `/api/issues/${issue.id}/transitions`, dispatcher, { to: 'dispatched', unit_ids: ['U001'] });
    expect((await api('POST', `/api/issues/${issue.id}/transitions`, dispatcher, { to: 'deferred' })).status).toBe(400);
    expect(
      (await api('POST', `/api/issues/${issue.id}/transitions`, dispatcher, { to: 'deferred', reason: '待管网改造' }))
        .status,
    ).toBe(200);
    expect((await api('GET', `/api/issues/${issue.id}`, dispatcher)).body.overdue).toBe(false);
  });
});

describe('synthetic issue history (示例数据)', () => {
  it('holds 260+ rider and resident reports in the last 365 days (the year before: property service), all synthetic, in many grids', async () => {
    const { rows } = await pool.query(
      `select source, count(*)::int n, min(created_at) as first, bool_and(synthetic) as synthetic, count(distinct grid_id)::int grids
       from issues where county_code = $1 and synthetic and idempotency_key not like 'synthetic-before-%' group by source order by source`,
      [COUNTY],
    );
    const bySource = Object.fromEntries(rows.map((r) => [r.source, r]));
    expect(bySource.rider.n).toBeGreaterThanOrEqual(260);
    expect(bySource.resident.n).toBeGreaterThan(100);
    for (const r of rows) {
      expect(r.synthetic).toBe(true);
      expect(Date.now() - new Date(r.first).getTime()).toBeLessThanOrEqual(365 * 86_400_000);
    }
    const before = await pool.query(
      `select array_agg(distinct category_id) as categories, min(created_at) as first, max(created_at) as last
       from issues where county_code = $1 and idempotency_key like 'synthetic-before-%'`,
      [COUNTY],
    );
    expect(before.rows[0].categories).toEqual(['property_service']);
    expect(Date.now() - new Date(before.rows[0].last).getTime()).toBeGreaterThan(365 * 86_400_000);
    expect(Date.now() - new Date(before.rows[0].first).getTime()).toBeLessThanOrEqual(730 * 86_400_000);
    const grids = await pool.query(
      `select count(distinct grid_id)::int n from issues where county_code = $1 and synthetic`,
      [COUNTY],
    );
    expect(grids.rows[0].n).toBeGreaterThan(60);
    const described = await pool.query(
      `select bool_and(description like '%示例数据%') ok from issues where county_code = $1 and synthetic`,
      [COUNTY],
    );
    expect(described.rows[0].ok).toBe(true);
  });

  it('has events consistent with the states: a chain of allowed transitions ending in the issue’s state', async () => {
    const { rows } = await pool.query<{ id: number; state: string; chain: [string | null, string][] }>(
      `select i.id, i.state, json_agg(json_build_array(e.from_state, e.to_state) order by e.at, e.id) as chain
       from issues i join issue_events e on e.county_code = i.county_code and e.issue_id = i.id
       where i.county_code = $1 and i.synthetic group by i.id, i.state`,
      [COUNTY],
    );
    expect(rows.length).toBeGreaterThan(500);
    const allowed = new Set(TRANSITIONS.map((t) => `${t.from}>${t.to}`));
    for (const r of rows) {
      expect(r.chain[0], `issue ${r.id}`).toEqual([null, 'reported']);
      for (let k = 1; k < r.chain.length; k++) {
        expect(r.chain[k][0], `issue ${r.id}`).toBe(r.chain[k - 1][1]);
        expect(allowed.has(`${r.chain[k][0]}>${r.chain[k][1]}`), `issue ${r.id}: ${r.chain[k].join(' → ')}`).toBe(true);
      }
      expect(r.chain.at(-1)![1], `issue ${r.id}`).toBe(r.state);
    }
  });

  it('is mostly closed, with some overdue, ratings for rated issues, and units for dispatched ones', async () => {
    const { rows } = await pool.query(
      `select count(*)::int total,
              count(*) filter (where state in ('closed', 'rated'))::int closed,
              count(*) filter (where deadline < now() and state = any($2::text[]) and state <> 'deferred')::int overdue,
              count(*) filter (where state = 'rated' and not exists (select 1 from issue_ratings r where r.county_code = i.county_code
                and r.issue_id = i.id))::int unrated,
              count(*) filter (where filed_at is not null and state not in ('filed') and not exists (
                select 1 from issue_assignments a where a.county_code = i.county_code and a.issue_id = i.id))::int unassigned
       from issues i where county_code = $1 and synthetic`,
      [COUNTY, OPEN_STATES],
    );
    const s = rows[0];
    expect(s.closed / s.total).toBeGreaterThan(0.7);
    expect(s.overdue).toBeGreaterThan(3);
    expect(s.unrated).toBe(0);
    expect(s.unassigned).toBe(0);
  });
});
