// GET /api/stats breakdowns against independent SQL on the test database: reports per grid and per compound,
// the member units' ranking (solved, on time, assigned), the service work of the period — for the county over
// a year and for a dispatcher's own community.
import { afterAll, describe, expect, it } from 'vitest';
import { COUNTY, testPool } from '../helpers/db.ts';
import { api, demoSession } from '../helpers/issues-fixtures.ts';

const pool = testPool();
afterAll(() => pool.end());

const asMap = (rows: { id: string; n: number }[]) => Object.fromEntries(rows.map((r) => [r.id, r.n]));

/** The figures the endpoint should give for the period, from plain queries; `community` null for the county. */
async function truth(start: string, end: string, community: string | null) {
  const args = [COUNTY, start, end, community];
  const mine = `county_code = $1 and ($4::text is null or community_id = $4)`;
  const q = async (sql: string) => (await pool.query(sql, args)).rows;
  const byGrid = await q(
    `select grid_id as id, count(*)::int n from issues where ${mine} and created_at >= $2 and created_at < $3 group by 1`,
  );
  const byCompound =
    await q(`select compound_id as id, count(*)::int n from issues where ${mine} and created_at >= $2 and created_at < $3
    and compound_id is not null group by 1`);
  const units = await q(`select a.unit_id as id,
      sum(case when x.state in ('closed', 'rated') and x.closed_at >= $2 and x.closed_at < $3 then 1 else 0 end)::int solved,
      sum(case when x.state in ('closed', 'rated') and x.closed_at >= $2 and x.closed_at < $3 and x.closed_at <= x.deadline then 1 else 0 end)::int on_time,
      sum(case when a.dispatched_at >= $2 and a.dispatched_at < $3 then 1 else 0 end)::int assigned
    from issue_assignments a, issues x where a.county_code = $1 and x.county_code = $1 and x.id = a.issue_id
      and ($4::text is null or x.community_id = $4) group by 1`);
  const solvedByUnits =
    await q(`select count(distinct x.id)::int n from issues x join issue_assignments a on a.county_code = x.county_code and a.issue_id = x.id
    where x.county_code = $1 and ($4::text is null or x.community_id = $4) and x.state in ('closed', 'rated') and x.closed_at >= $2 and x.closed_at < $3`);
  const wishes =
    await q(`select (select count(*) from micro_wishes where ${mine} and posted_at >= $2 and posted_at < $3)::int posted,
      (select count(*) from micro_wishes where ${mine} and claimed_at >= $2 and claimed_at < $3)::int claimed,
      (select count(*) from micro_wishes where ${mine} and fulfilled_at >= $2 and fulfilled_at < $3)::int fulfilled`);
  const activities = (
    await pool.query(
      `select held_on::text as day, participants from service_activities where ${mine.replaceAll('$4', '$2')}`,
      [COUNTY, community],
    )
  ).rows;
  const consultations =
    await q(`select count(*)::int n from deliberation_steps s join deliberation_items d on d.county_code = s.county_code and d.id = s.item_id
    where d.county_code = $1 and ($4::text is null or d.community_id = $4) and s.step = 'resolved' and s.at >= $2 and s.at < $3`);
  const held = activities.filter((a) => {
    const t = Date.parse(`${a.day}T00:00:00+08:00`);
    return t >= Date.parse(start) && t < Date.parse(end);
  });
  return {
    byGrid: asMap(byGrid),
    byCompound: asMap(byCompound),
    units,
    solvedByUnits: solvedByUnits[0].n,
    service: {
      wishesPosted: wishes[0].posted,
      wishesClaimed: wishes[0].claimed,
      wishesFulfilled: wishes[0].fulfilled,
      activities: held.length,
      activityParticipants: held.reduce((s, a) => s + a.participants, 0),
      consultationsResolved: consultations[0].n,
    },
  };
}

function check(body: any, want: Awaited<ReturnType<typeof truth>>) {
  expect(asMap(body.byGrid.map((g: any) => ({ id: g.id, n: g.reports })))).toEqual(want.byGrid);
  expect(asMap(body.byCompound.map((g: any) => ({ id: g.id, n: g.reports })))).toEqual(want.byCompound);
  const reports = body.byGrid.map((g: any) => g.reports);
  expect(reports).toEqual([...reports].sort((a: number, b: number) => b - a));
  expect(body.solvedByMemberUnits).toBe(want.solvedByUnits);
  const active = want.units.filter((u) => u.solved > 0 || u.assigned > 0);
  expect(Object.fromEntries(body.memberUnitRanking.map((u: any) => [u.id, [u.solved, u.onTime, u.assigned]]))).toEqual(
    Object.fromEntries(active.map((u) => [u.id, [u.solved, u.on_time, u.assigned]])),
  );
  // Ranked by matters solved; equal counts share a rank (1, 1, 3 …).
  body.memberUnitRanking.forEach((u: any, k: number) => {
    const better = body.memberUnitRanking.filter((v: any) => v.solved > u.solved).length;
    expect(u.rank, u.id).toBe(better + 1);
    if (k > 0) expect(body.memberUnitRanking[k - 1].solved).toBeGreaterThanOrEqual(u.solved);
  });
  expect(body.service).toEqual(want.service);
}

describe('GET /api/stats breakdowns', () => {
  it('the county over a year: grids, compounds, member units and service work equal plain queries', async () => {
    const res = await api('GET', '/api/stats?days=365', await demoSession('leader'));
    expect(res.status).toBe(200);
    const want = await truth(res.body.from, res.body.to, null);
    expect(Object.keys(want.byGrid).length).toBeGreaterThan(60);
    expect(want.service.activities).toBeGreaterThan(0);
    expect(want.service.consultationsResolved).toBeGreaterThan(0);
    check(res.body, want);
    expect(res.body.memberUnitRanking[0]).toMatchObject({ rank: 1, name: expect.any(String) });
  });

  it('a dispatcher sees their own community only', async () => {
    const { rows } = await pool.query(
      `select community_id from users where county_code = $1 and username = 'demo-dispatcher'`,
      [COUNTY],
    );
    const res = await api('GET', '/api/stats?days=365', await demoSession('dispatcher'));
    expect(res.status).toBe(200);
    const want = await truth(res.body.from, res.body.to, rows[0].community_id);
    expect(Object.keys(want.byGrid).length).toBeGreaterThan(0);
    check(res.body, want);
    const inCommunity = await pool.query(`select id from grids where county_code = $1 and community_id = $2`, [
      COUNTY,
      rows[0].community_id,
    ]);
    const own = new Set(inCommunity.rows.map((r) => r.id));
    for (const g of res.body.byGrid) expect(own.has(g.id), g.id).toBe(true);
  });
});
