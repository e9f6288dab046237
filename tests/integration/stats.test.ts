// GET /api/stats against the test database: every KPI recomputed here in TypeScript from the raw rows (not with
// the endpoint's SQL), for the county, a community asked for, and a dispatcher's own scope, over `days` and over
// `from`/`to`; bad input 4xx.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COUNTY, testPool } from '../helpers/db.ts';
import { api, demoSession } from '../helpers/issues-fixtures.ts';
import { OPEN_STATES, RUNNING_STATES } from '../../shared/issue-states.ts';

const pool = testPool();
afterAll(() => pool.end());

interface Row {
  id: string;
  state: string;
  source: string;
  major: string;
  category_id: string;
  grid_id: string;
  community_id: string;
  street_id: string;
  created_at: Date;
  closed_at: Date | null;
  deadline: Date | null;
  rework_count: number;
}
let issues: Row[];
let assignments: { issue_id: string; dispatched_at: Date; signed_at: Date | null }[];
let ratings: { issue_id: string; rating: string; created_at: Date }[];
let events: { issue_id: string; from_state: string | null; to_state: string; at: Date }[];

beforeAll(async () => {
  issues = (
    await pool.query(
      `select i.id::text, i.state, i.source, coalesce(c.parent_id, c.id) as major, i.category_id, i.grid_id, i.community_id,
      i.street_id, i.created_at, i.closed_at, i.deadline, i.rework_count from issues i
      join issue_categories c on c.county_code = i.county_code and c.id = i.category_id where i.county_code = $1`,
      [COUNTY],
    )
  ).rows;
  assignments = (
    await pool.query('select issue_id::text, dispatched_at, signed_at from issue_assignments where county_code = $1', [
      COUNTY,
    ])
  ).rows;
  ratings = (
    await pool.query('select issue_id::text, rating, created_at from issue_ratings where county_code = $1', [COUNTY])
  ).rows;
  events = (
    await pool.query('select issue_id::text, from_state, to_state, at from issue_events where county_code = $1', [
      COUNTY,
    ])
  ).rows;
});

const rate = (n: number, d: number) => ({ value: d === 0 ? null : n / d, numerator: n, denominator: d });
const tally = (values: string[]) =>
  values.reduce<Record<string, number>>((acc, v) => ((acc[v] = (acc[v] ?? 0) + 1), acc), {});
const hours = (i: Row) => (i.closed_at!.getTime() - i.created_at.getTime()) / 3_600_000;
function median(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = (s.length - 1) / 2;
  return (s[Math.floor(mid)] + s[Math.ceil(mid)]) / 2;
}

/** The KPIs of the issues `keep` selects, for the period [start, end), open and overdue at `now`. */
function expected(keep: (r: Row) => boolean, start: number, end: number, now = end) {
  const inPeriod = (d: Date | null) => d !== null && d.getTime() >= start && d.getTime() < end;
  const mine = issues.filter(keep);
  const ids = new Set(mine.map((i) => i.id));
  const p = mine.filter((i) => inPeriod(i.created_at));
  const pIds = new Set(p.map((i) => i.id));
  const closed = mine.filter((i) => ['closed', 'rated'].includes(i.state) && inPeriod(i.closed_at));
  const a = assignments.filter((x) => ids.has(x.issue_id) && inPeriod(x.dispatched_at));
  const r = ratings.filter((x) => ids.has(x.issue_id) && inPeriod(x.created_at));
  const cohort = p.filter((i) => !['returned', 'duplicate', 'void'].includes(i.state));
  const dated = closed.filter((i) => i.deadline);
  const firstClosure = new Map<string, number>();
  for (const e of events) {
    if (e.to_state === 'closed' && ids.has(e.issue_id) && inPeriod(e.at))
      firstClosure.set(e.issue_id, Math.min(firstClosure.get(e.issue_id) ?? Infinity, e.at.getTime()));
  }
  const lastReopen = new Map<string, number>();
  for (const e of events)
    if (e.to_state === 'reopened')
      lastReopen.set(e.issue_id, Math.max(lastReopen.get(e.issue_id) ?? -Infinity, e.at.getTime()));
  const reopened = [...firstClosure].filter(([id, at]) => (lastReopen.get(id) ?? -Infinity) > at);
  const accepted = new Set(
    events.filter((e) => pIds.has(e.issue_id) && e.to_state === 'accepted').map((e) => e.issue_id),
  );
  const onTheSpot = new Set(
    events
      .filter((e) => accepted.has(e.issue_id) && e.from_state === 'accepted' && e.to_state === 'closed')
      .map((e) => e.issue_id),
  );
  return {
    reports: p.length,
    openNow: mine.filter((i) => (OPEN_STATES as readonly string[]).includes(i.state)).length,
    overdueNow: mine.filter(
      (i) => i.deadline && i.deadline.getTime() < now && (RUNNING_STATES as readonly string[]).includes(i.state),
    ).length,
    responseRate: rate(a.filter((x) => x.signed_at).length, a.length),
    resolutionRate: rate(cohort.filter((i) => ['closed', 'rated'].includes(i.state)).length, cohort.length),
    satisfactionRate: rate(r.filter((x) => x.rating !== 'unsatisfied').length, r.length),
    onTimeClosureRate: rate(dated.filter((i) => i.closed_at! <= i.deadline!).length, dated.length),
    reworkRate: rate(closed.filter((i) => i.rework_count > 0).length, closed.length),
    reopenRate: rate(reopened.length, firstClosure.size),
    onTheSpotRate: rate(onTheSpot.size, accepted.size),
    averageHandlingHours: closed.length === 0 ? null : closed.reduce((s, i) => s + hours(i), 0) / closed.length,
    medianHandlingHours: median(closed.map(hours)),
    byState: tally(p.map((i) => i.state)),
    bySource: tally(p.map((i) => i.source)),
    byMinorCategory: tally(p.map((i) => i.category_id)),
    byMajor: tally(p.map((i) => i.major)),
  };
}

function check(body: any, want: ReturnType<typeof expected>) {
  const { byMajor, averageHandlingHours, medianHandlingHours, ...rest } = want;
  expect(body).toMatchObject(rest);
  for (const [key, value] of [
    ['averageHandlingHours', averageHandlingHours],
    ['medianHandlingHours', medianHandlingHours],
  ] as const) {
    if (value === null) expect(body[key]).toBeNull();
    else expect(body[key]).toBeCloseTo(value, 6);
  }
  const shown = Object.fromEntries(
    body.byCategory
      .filter((c: { reports: number }) => c.reports > 0)
      .map((c: { id: string; reports: number }) => [c.id, c.reports]),
  );
  expect(shown).toEqual(byMajor);
}

const lastDays = (body: any) => [Date.parse(body.from), Date.parse(body.to)] as const;

describe('GET /api/stats', () => {
  it('the county over 30 days: every KPI equals the rows', async () => {
    const res = await api('GET', '/api/stats', await demoSession('leader'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ area: null, days: 30 });
    const want = expected(() => true, ...lastDays(res.body));
    expect(want.reports).toBeGreaterThan(50);
    expect(want.satisfactionRate.denominator).toBeGreaterThan(0);
    expect(want.onTheSpotRate.numerator).toBeGreaterThan(0);
    check(res.body, want);
  });

  it('the county over a year given by dates (Beijing days, both included): every KPI equals the rows', async () => {
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const yearAgo = new Date(Date.now() + 8 * 3_600_000 - 364 * 86_400_000).toISOString().slice(0, 10);
    const res = await api('GET', `/api/stats?from=${yearAgo}&to=${today}`, await demoSession('leader'));
    expect(res.status).toBe(200);
    expect(res.body.from).toBe(new Date(`${yearAgo}T00:00:00+08:00`).toISOString());
    expect(Date.parse(res.body.to) - Date.parse(`${today}T00:00:00+08:00`)).toBe(86_400_000);
    expect(res.body.days).toBe(365);
    const want = expected(() => true, ...lastDays(res.body), Date.now());
    expect(want.reopenRate.numerator).toBeGreaterThan(0);
    const { overdueNow: _o, ...stable } = want; // "now" is the server's: a deadline may pass between the two clocks
    check(res.body, { ...stable, overdueNow: res.body.overdueNow });
  });

  it('a community asked for over 90 days, and a dispatcher inside their own community only', async () => {
    const dispatcher = await demoSession('dispatcher');
    const { rows } = await pool.query(
      `select community_id from users where county_code = $1 and username = 'demo-dispatcher'`,
      [COUNTY],
    );
    const own = rows[0].community_id as string;
    const mine = await api('GET', '/api/stats?days=90', dispatcher);
    expect(mine.status).toBe(200);
    check(
      mine.body,
      expected((i) => i.community_id === own, ...lastDays(mine.body)),
    );
    expect(mine.body.reports).toBeGreaterThan(0);

    const other = issues.find((i) => i.community_id !== own)!.community_id;
    const asked = await api('GET', `/api/stats?days=90&area=${other}`, await demoSession('leader'));
    check(
      asked.body,
      expected((i) => i.community_id === other, ...lastDays(asked.body)),
    );
    expect(asked.body.reports).toBeGreaterThan(0);
    // The dispatcher asking for another community gets nothing of it (scope in SQL).
    const outside = await api('GET', `/api/stats?days=90&area=${other}`, dispatcher);
    expect(outside.status).toBe(200);
    expect(outside.body).toMatchObject({
      reports: 0,
      openNow: 0,
      responseRate: { value: null, denominator: 0 },
      reopenRate: { denominator: 0 },
      onTheSpotRate: { denominator: 0 },
      byGrid: [],
      byCompound: [],
      memberUnitRanking: [],
      solvedByMemberUnits: 0,
      service: {
        wishesPosted: 0,
        wishesClaimed: 0,
        wishesFulfilled: 0,
        activities: 0,
        activityParticipants: 0,
        consultationsResolved: 0,
      },
    });
  });

  it('bad periods and areas are 400, unknown areas 404, nothing else accepted', async () => {
    const leader = await demoSession('leader');
    for (const q of [
      'days=0',
      'days=400',
      'days=x',
      'area=a%20b',
      'from=2026-01-01',
      'to=2026-01-01',
      'from=2026-02-01&to=2026-01-01',
      'from=2026-02-30&to=2026-03-01',
      'from=2026-1-1&to=2026-02-01',
      'from=2026-01-01T00:00:00Z&to=2026-02-01',
      'from=2023-01-01&to=2026-01-01',
      'days=30&from=2026-01-01&to=2026-01-31',
      'from=x&to=y',
      'since=2026-01-01',
    ]) {
      const res = await api('GET', `/api/stats?${q}`, leader);
      expect(res.status, q).toBe(400);
      expect(res.body.error.code, q).toBe('InvalidParameterValue');
    }
    expect((await api('GET', '/api/stats?area=NOPE', leader)).status).toBe(404);
    const oneDay = await api('GET', '/api/stats?from=2026-03-01&to=2026-03-01', leader);
    expect(oneDay.status).toBe(200);
    expect(oneDay.body).toMatchObject({ days: 1, from: '2026-02-28T16:00:00.000Z', to: '2026-03-01T16:00:00.000Z' });
  });
});
