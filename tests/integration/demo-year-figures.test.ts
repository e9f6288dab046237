// The synthetic year (示例数据) holds the report's figures: each asserted from the database with plain SQL and,
// where /api/stats shows it, through the endpoint too.
import { afterAll, describe, expect, it } from 'vitest';
import { COUNTY, testPool } from '../helpers/db.ts';
import { api, demoSession } from '../helpers/issues-fixtures.ts';

const pool = testPool();
afterAll(() => pool.end());

const one = async (sql: string, args: unknown[] = [COUNTY]) => (await pool.query(sql, args)).rows[0];
const beijingDay = (msAgo: number) => new Date(Date.now() + 8 * 3_600_000 - msAgo).toISOString().slice(0, 10);
const DAY = 86_400_000;

describe('the synthetic year against the report', () => {
  it('260+ rider reports and 1,200+ matters solved by member units in the last 365 days', async () => {
    const row = await one(`select
        (select count(*) from issues where county_code = $1 and source = 'rider' and created_at >= now() - interval '365 days')::int riders,
        (select count(*) from issues i where county_code = $1 and state in ('closed', 'rated') and closed_at >= now() - interval '365 days'
           and exists (select 1 from issue_assignments a where a.county_code = i.county_code and a.issue_id = i.id))::int solved`);
    expect(row.riders).toBeGreaterThanOrEqual(260);
    expect(row.solved).toBeGreaterThanOrEqual(1200);
    const stats = (await api('GET', '/api/stats?days=365', await demoSession('leader'))).body;
    expect(stats.bySource.rider).toBe(row.riders);
    expect(Math.abs(stats.solvedByMemberUnits - row.solved)).toBeLessThanOrEqual(1); // a closure may cross the window edge between the two clocks
    expect(
      stats.memberUnitRanking.reduce((s: number, u: { solved: number }) => s + u.solved, 0),
    ).toBeGreaterThanOrEqual(stats.solvedByMemberUnits);
  });

  it('2,200+ claimed micro-wishes, 2,600+ activities and 230+ consultation problems solved', async () => {
    const row = await one(`select
        (select count(*) from micro_wishes where county_code = $1 and state <> 'posted')::int claimed,
        (select count(*) from service_activities where county_code = $1)::int activities,
        (select count(*) from deliberation_items where county_code = $1 and step = 'resolved')::int resolved`);
    expect(row.claimed).toBeGreaterThanOrEqual(2200);
    expect(row.activities).toBeGreaterThanOrEqual(2600);
    expect(row.resolved).toBeGreaterThanOrEqual(230);
    const stats = (
      await api('GET', `/api/stats?from=${beijingDay(364 * DAY)}&to=${beijingDay(0)}`, await demoSession('leader'))
    ).body;
    expect(stats.service.wishesClaimed).toBeGreaterThanOrEqual(2200);
    expect(stats.service.activities).toBe(row.activities);
    expect(stats.service.consultationsResolved).toBe(row.resolved);
  });

  it('property-service disputes fell by about 58 % against the year before', async () => {
    const row = await one(`select
        count(*) filter (where created_at >= now() - interval '365 days')::int this_year,
        count(*) filter (where created_at >= now() - interval '730 days' and created_at < now() - interval '365 days')::int year_before
      from issues where county_code = $1 and category_id = 'property_service'`);
    expect(row.year_before).toBeGreaterThan(100);
    expect(row.this_year / row.year_before - 1).toBeCloseTo(-0.582, 2);
    // The same through /api/stats: this year's Beijing days against the 365 before.
    const leader = await demoSession('leader');
    const now = (await api('GET', `/api/stats?from=${beijingDay(364 * DAY)}&to=${beijingDay(0)}`, leader)).body;
    const before = (await api('GET', `/api/stats?from=${beijingDay(729 * DAY)}&to=${beijingDay(365 * DAY)}`, leader))
      .body;
    const change = now.byMinorCategory.property_service / before.byMinorCategory.property_service - 1;
    expect(change).toBeGreaterThan(-0.6);
    expect(change).toBeLessThan(-0.56);
  });

  it('hotspots: compounds by the farmers markets and old compounds report more than the others', async () => {
    const { rows } = await pool.query(
      `select case when exists (select 1 from basemap_features m where m.county_code = q.county_code and m.class = 'market'
                    and st_dwithin(m.geom::geography, q.geom::geography, 400)) then 'market' when q.type = 'old' then 'old' else 'other' end as kind,
              avg((select count(*) from issues i where i.county_code = q.county_code and i.compound_id = q.id
                   and i.created_at >= now() - interval '365 days'))::float8 as per_compound, count(*)::int as compounds
       from compounds q where q.county_code = $1 group by 1`,
      [COUNTY],
    );
    const k = Object.fromEntries(rows.map((r) => [r.kind, r]));
    expect(k.market.compounds).toBeGreaterThan(0);
    expect(k.market.per_compound).toBeGreaterThan(1.5 * k.other.per_compound);
    expect(k.old.per_compound).toBeGreaterThan(k.other.per_compound);
  });

  it('states: most closed, some overdue, some reopened within 7 days and some closed on the spot', async () => {
    const row = await one(`select count(*)::int total,
        count(*) filter (where state in ('closed', 'rated'))::int closed,
        count(*) filter (where deadline < now() and state not in ('closed', 'rated', 'returned', 'duplicate', 'void', 'deferred'))::int overdue,
        (select count(distinct issue_id) from issue_events e where e.county_code = $1 and e.to_state = 'reopened')::int reopened,
        (select count(*) from issue_events e where e.county_code = $1 and e.from_state = 'accepted' and e.to_state = 'closed')::int on_the_spot,
        (select bool_and(r.at - c.at <= interval '7 days') from issue_events r cross join lateral (select max(c.at) at from issue_events c
           where c.county_code = r.county_code and c.issue_id = r.issue_id and c.to_state = 'closed' and c.at <= r.at) c
         where r.county_code = $1 and r.to_state = 'reopened') reopened_in_window
      from issues where county_code = $1 and synthetic`);
    expect(row.closed / row.total).toBeGreaterThan(0.7);
    expect(row.overdue).toBeGreaterThan(3);
    expect(row.reopened).toBeGreaterThan(10);
    expect(row.reopened_in_window).toBe(true);
    expect(row.on_the_spot).toBeGreaterThan(50);
  });
});
