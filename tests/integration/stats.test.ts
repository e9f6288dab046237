// GET /api/stats against the test database: every KPI recomputed here in TypeScript from the raw rows (not with
// the endpoint's SQL), for the county, a community asked for, and a dispatcher's own scope; bad input 4xx.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COUNTY, testPool } from '../helpers/db.ts';
import { api, demoSession } from '../helpers/issues-fixtures.ts';
import { OPEN_STATES, RUNNING_STATES } from '../../server/issues/state-machine.ts';

const pool = testPool();
afterAll(() => pool.end());

interface Row { id: string; state: string; source: string; major: string; grid_id: string; community_id: string; street_id: string;
  created_at: Date; closed_at: Date | null; deadline: Date | null; rework_count: number }
let issues: Row[];
let assignments: { issue_id: string; dispatched_at: Date; signed_at: Date | null }[];
let ratings: { issue_id: string; rating: string; created_at: Date }[];

beforeAll(async () => {
  issues = (await pool.query(`select i.id::text, i.state, i.source, coalesce(c.parent_id, c.id) as major, i.grid_id, i.community_id, i.street_id,
      i.created_at, i.closed_at, i.deadline, i.rework_count from issues i
      join issue_categories c on c.county_code = i.county_code and c.id = i.category_id where i.county_code = $1`, [COUNTY])).rows;
  assignments = (await pool.query('select issue_id::text, dispatched_at, signed_at from issue_assignments where county_code = $1', [COUNTY])).rows;
  ratings = (await pool.query('select issue_id::text, rating, created_at from issue_ratings where county_code = $1', [COUNTY])).rows;
});

const rate = (n: number, d: number) => ({ value: d === 0 ? null : n / d, numerator: n, denominator: d });
const tally = (values: string[]) => values.reduce<Record<string, number>>((acc, v) => ((acc[v] = (acc[v] ?? 0) + 1), acc), {});

/** The KPIs of the issues `keep` selects, for the period of `days` ending at `to`. */
function expected(keep: (r: Row) => boolean, days: number, to: number) {
  const start = to - days * 86_400_000;
  const inPeriod = (d: Date | null) => d !== null && d.getTime() >= start && d.getTime() < to;
  const mine = issues.filter(keep);
  const ids = new Set(mine.map((i) => i.id));
  const p = mine.filter((i) => inPeriod(i.created_at));
  const closed = mine.filter((i) => ['closed', 'rated'].includes(i.state) && inPeriod(i.closed_at));
  const a = assignments.filter((x) => ids.has(x.issue_id) && inPeriod(x.dispatched_at));
  const r = ratings.filter((x) => ids.has(x.issue_id) && inPeriod(x.created_at));
  const cohort = p.filter((i) => !['returned', 'duplicate', 'void'].includes(i.state));
  const dated = closed.filter((i) => i.deadline);
  return {
    reports: p.length,
    openNow: mine.filter((i) => (OPEN_STATES as readonly string[]).includes(i.state)).length,
    overdueNow: mine.filter((i) => i.deadline && i.deadline.getTime() < to && (RUNNING_STATES as readonly string[]).includes(i.state)).length,
    responseRate: rate(a.filter((x) => x.signed_at).length, a.length),
    resolutionRate: rate(cohort.filter((i) => ['closed', 'rated'].includes(i.state)).length, cohort.length),
    satisfactionRate: rate(r.filter((x) => x.rating !== 'unsatisfied').length, r.length),
    onTimeClosureRate: rate(dated.filter((i) => i.closed_at! <= i.deadline!).length, dated.length),
    reworkRate: rate(closed.filter((i) => i.rework_count > 0).length, closed.length),
    averageHandlingHours: closed.length === 0 ? null : closed.reduce((s, i) => s + (i.closed_at!.getTime() - i.created_at.getTime()), 0) / closed.length / 3_600_000,
    byState: tally(p.map((i) => i.state)),
    bySource: tally(p.map((i) => i.source)),
    byMajor: tally(p.map((i) => i.major)),
  };
}

function check(body: any, want: ReturnType<typeof expected>) {
  const { byMajor, averageHandlingHours, ...rest } = want;
  expect(body).toMatchObject(rest);
  if (averageHandlingHours === null) expect(body.averageHandlingHours).toBeNull();
  else expect(body.averageHandlingHours).toBeCloseTo(averageHandlingHours, 6);
  const shown = Object.fromEntries(body.byCategory.filter((c: { reports: number }) => c.reports > 0).map((c: { id: string; reports: number }) => [c.id, c.reports]));
  expect(shown).toEqual(byMajor);
}

describe('GET /api/stats', () => {
  it('the county over 30 days: every KPI equals the rows', async () => {
    const res = await api('GET', '/api/stats', await demoSession('leader'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ area: null, days: 30 });
    const want = expected(() => true, 30, Date.parse(res.body.to));
    expect(want.reports).toBeGreaterThan(50);
    expect(want.satisfactionRate.denominator).toBeGreaterThan(0);
    check(res.body, want);
  });

  it('a community asked for over 90 days, and a dispatcher inside their own community only', async () => {
    const dispatcher = await demoSession('dispatcher');
    const { rows } = await pool.query(`select community_id from users where county_code = $1 and username = 'demo-dispatcher'`, [COUNTY]);
    const own = rows[0].community_id as string;
    const mine = await api('GET', '/api/stats?days=90', dispatcher);
    expect(mine.status).toBe(200);
    check(mine.body, expected((i) => i.community_id === own, 90, Date.parse(mine.body.to)));
    expect(mine.body.reports).toBeGreaterThan(0);

    const other = issues.find((i) => i.community_id !== own)!.community_id;
    const asked = await api('GET', `/api/stats?days=90&area=${other}`, await demoSession('leader'));
    check(asked.body, expected((i) => i.community_id === other, 90, Date.parse(asked.body.to)));
    expect(asked.body.reports).toBeGreaterThan(0);
    // The dispatcher asking for another community gets nothing of it (scope in SQL).
    const outside = await api('GET', `/api/stats?days=90&area=${other}`, dispatcher);
    expect(outside.status).toBe(200);
    expect(outside.body).toMatchObject({ reports: 0, openNow: 0, responseRate: { value: null, denominator: 0 } });
  });

  it('bad periods and areas are 400, unknown areas 404', async () => {
    const leader = await demoSession('leader');
    for (const q of ['days=0', 'days=400', 'days=x', 'area=a%20b', 'from=2026-01-01']) {
      const res = await api('GET', `/api/stats?${q}`, leader);
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBeTruthy();
    }
    expect((await api('GET', '/api/stats?area=NOPE', leader)).status).toBe(404);
  });
});
