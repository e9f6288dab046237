import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { cookieFrom, demoAccount, loginCookie, postJson } from '../helpers/auth.ts';
import { COUNTY, get, testPool } from '../helpers/db.ts';
import { OPEN_STATES, RUNNING_STATES } from '../../shared/issue-states.ts';
import type { WallFigures } from '../../server/db/wall-repo.ts';

/**
 * GET /api/wall/figures against the test database: each figure recomputed here from the raw rows (in
 * TypeScript, not with the endpoint's SQL), and nothing personal in the answer.
 */
const pool = testPool();
let figures: WallFigures;
let now: number;
const DAY = 86_400_000;

beforeAll(async () => {
  const res = await get('/api/wall/figures');
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe('no-store');
  figures = (await res.json()) as WallFigures;
  now = Date.parse(figures.generatedAt);
});
afterAll(() => pool.end());

const rows = async <T>(sql: string): Promise<T[]> => (await pool.query(sql, [COUNTY])).rows as T[];
const countBy = <T>(items: T[], key: (t: T) => string) =>
  items.reduce<Record<string, number>>((acc, t) => ((acc[key(t)] = (acc[key(t)] ?? 0) + 1), acc), {});
const share = (part: number, whole: number) => (whole === 0 ? null : part / whole);

describe('registers', () => {
  it('counts compounds by type, grids, stations by kind, member units and social organisations', async () => {
    const compounds = await rows<{ type: string }>('select type from compounds where county_code = $1');
    const stations = await rows<{ kind: string }>('select kind from stations where county_code = $1');
    const r = figures.registers;
    expect(r.compounds).toBe(compounds.length);
    expect(r.compoundsByType).toEqual(countBy(compounds, (c) => c.type));
    expect(r.grids).toBe((await rows('select id from grids where county_code = $1')).length);
    expect(r.stations).toBe(stations.length);
    expect(r.stationsByKind).toEqual(countBy(stations, (s) => s.kind));
    expect(r.memberUnits).toBe((await rows('select id from member_units where county_code = $1')).length);
    expect(r.socialOrganisations).toBe(
      (await rows('select id from social_organisations where county_code = $1')).length,
    );
    // The demo data set reproduces the report (domain.md).
    expect([r.compounds, r.grids, r.redStewards, r.memberUnits, r.socialOrganisations]).toEqual([
      185, 116, 841, 124, 85,
    ]);
    expect(r.stationsByKind).toEqual({ micro_living_room: 19, street_post: 4, grid_centre: 42 });
  });

  it('counts people by flag and role, never listing one', async () => {
    const people = await rows<{ party_member: boolean; in_service: boolean; red_steward: boolean; roles: string[] }>(
      'select party_member, in_service, red_steward, roles from people where county_code = $1',
    );
    const r = figures.registers;
    expect(r.redStewards).toBe(people.filter((p) => p.red_steward).length);
    expect(r.partyMembers).toBe(people.filter((p) => p.party_member).length);
    expect(r.inServiceMembers).toBe(people.filter((p) => p.in_service).length);
    expect(r.communityStaff).toBe(people.filter((p) => p.roles.includes('community_staff')).length);
    expect(r.auxiliaryWorkers).toBe(people.filter((p) => p.roles.includes('auxiliary_worker')).length);
    expect(r.riderWorkers).toBe(people.filter((p) => p.roles.includes('rider_worker')).length);
  });

  it('counts the auxiliary team (辅助网格员) and the retired cadres of the part-time team (兼职网格员) apart', async () => {
    const staff = await rows<{ team: string; post: string }>(
      'select team, post from workforce_staff where county_code = $1',
    );
    const r = figures.registers;
    expect(r.retiredCadres).toBe(staff.filter((s) => s.team === 'part_time' && s.post === 'retired_cadre').length);
    expect(r.retiredCadres).toBeGreaterThan(0);
    // The 483 recruited auxiliaries are the auxiliary team of the workforce, not the part-time one.
    expect(r.auxiliaryWorkers).toBe(483);
    expect(staff.filter((s) => s.team === 'auxiliary').length).toBe(r.auxiliaryWorkers);
    expect(r.retiredCadres).not.toBe(r.auxiliaryWorkers);
  });
});

describe('community service', () => {
  it('counts micro-wishes claimed (by claimed_at) and activities held (by Beijing date), all time and per period', async () => {
    const claimed = (
      await rows<{ claimed_at: Date }>(
        'select claimed_at from micro_wishes where county_code = $1 and claimed_at is not null',
      )
    ).map((r) => r.claimed_at.getTime());
    const held = (
      await rows<{ day: string }>('select held_on::text as day from service_activities where county_code = $1')
    ).map((r) => r.day);
    expect(claimed.length).toBeGreaterThan(2000);
    expect(held.length).toBeGreaterThan(2600);
    expect(figures.service!.wishesClaimed).toEqual({
      total: claimed.filter((t) => t < now).length,
      recent: claimed.filter((t) => t >= now - 30 * DAY && t < now).length,
      previousRecent: claimed.filter((t) => t >= now - 60 * DAY && t < now - 30 * DAY).length,
    });
    // Beijing calendar days (UTC+8, no daylight saving): the period is the 30 days ending today.
    const day = (daysBack: number) => new Date(now + 8 * 3_600_000 - daysBack * DAY).toISOString().slice(0, 10);
    expect(figures.service!.activities).toEqual({
      total: held.filter((d) => d <= day(0)).length,
      recent: held.filter((d) => d > day(30) && d <= day(0)).length,
      previousRecent: held.filter((d) => d > day(60) && d <= day(30)).length,
    });
    expect(figures.service!.activities.recent).toBeGreaterThan(0);
  });
});

describe('issues', () => {
  interface IssueRow {
    id: number;
    source: string;
    state: string;
    created_at: Date;
    closed_at: Date | null;
    deadline: Date | null;
  }
  let issues: IssueRow[];
  const start = () => now - 30 * DAY;
  const before = () => now - 60 * DAY;
  const inCurrent = (d: Date | null) => d !== null && d.getTime() >= start() && d.getTime() < now;
  const inPrevious = (d: Date | null) => d !== null && d.getTime() >= before() && d.getTime() < start();

  beforeAll(async () => {
    issues = await rows<IssueRow>(
      'select id, source, state, created_at, closed_at, deadline from issues where county_code = $1',
    );
    expect(issues.length).toBeGreaterThan(260);
  });

  it('counts rider reports and reports in both periods', () => {
    const riders = issues.filter((i) => i.source === 'rider');
    expect(figures.issues!.riderReports).toEqual({
      total: riders.length,
      recent: riders.filter((i) => inCurrent(i.created_at)).length,
      previousRecent: riders.filter((i) => inPrevious(i.created_at)).length,
    });
    expect(figures.issues!.reports).toEqual({
      value: issues.filter((i) => inCurrent(i.created_at)).length,
      previous: issues.filter((i) => inPrevious(i.created_at)).length,
    });
  });

  it('counts open and overdue issues now and at the start of the period (from the events)', async () => {
    const events = await rows<{ issue_id: number; to_state: string; at: Date; id: number }>(
      'select issue_id, to_state, at, id from issue_events where county_code = $1',
    );
    const stateAt = new Map<number, { state: string; at: number; id: number }>();
    for (const e of events) {
      if (e.at.getTime() > start()) continue;
      const seen = stateAt.get(e.issue_id);
      if (!seen || e.at.getTime() > seen.at || (e.at.getTime() === seen.at && e.id > seen.id))
        stateAt.set(e.issue_id, { state: e.to_state, at: e.at.getTime(), id: e.id });
    }
    const existing = issues.filter((i) => i.created_at.getTime() <= start());
    const past = existing.map((i) => ({ ...i, state: stateAt.get(i.id)?.state }));
    expect(figures.issues!.openIssues).toEqual({
      value: issues.filter((i) => OPEN_STATES.includes(i.state as never)).length,
      previous: past.filter((i) => OPEN_STATES.includes(i.state as never)).length,
    });
    expect(figures.issues!.overdueIssues).toEqual({
      value: issues.filter((i) => i.deadline && i.deadline.getTime() < now && RUNNING_STATES.includes(i.state as never))
        .length,
      previous: past.filter(
        (i) => i.deadline && i.deadline.getTime() < start() && RUNNING_STATES.includes(i.state as never),
      ).length,
    });
    expect(figures.issues!.openIssues.value).toBeGreaterThan(0);
  });

  it('computes on-time closure and resolution per period', () => {
    const closed = issues.filter((i) => i.closed_at && i.deadline && ['closed', 'rated'].includes(i.state));
    const onTime = (inPeriod: (d: Date | null) => boolean) => {
      const c = closed.filter((i) => inPeriod(i.closed_at));
      return share(c.filter((i) => i.closed_at!.getTime() <= i.deadline!.getTime()).length, c.length);
    };
    expect(figures.issues!.onTimeClosureRate.value).toBeCloseTo(onTime(inCurrent)!, 12);
    expect(figures.issues!.onTimeClosureRate.previous).toBeCloseTo(onTime(inPrevious)!, 12);
    const cohort = issues.filter((i) => !['returned', 'duplicate', 'void'].includes(i.state));
    const resolution = (inPeriod: (d: Date | null) => boolean) => {
      const c = cohort.filter((i) => inPeriod(i.created_at));
      return share(c.filter((i) => ['closed', 'rated'].includes(i.state)).length, c.length);
    };
    expect(figures.issues!.resolutionRate.value).toBeCloseTo(resolution(inCurrent)!, 12);
    expect(figures.issues!.resolutionRate.previous).toBeCloseTo(resolution(inPrevious)!, 12);
  });

  it('computes the response (签收) and satisfaction rates per period', async () => {
    const assignments = await rows<{ dispatched_at: Date; signed_at: Date | null }>(
      'select dispatched_at, signed_at from issue_assignments where county_code = $1',
    );
    const response = (inPeriod: (d: Date | null) => boolean) => {
      const a = assignments.filter((x) => inPeriod(x.dispatched_at));
      return share(a.filter((x) => x.signed_at).length, a.length);
    };
    expect(figures.issues!.responseRate.value).toBeCloseTo(response(inCurrent)!, 12);
    expect(figures.issues!.responseRate.previous).toBeCloseTo(response(inPrevious)!, 12);
    const ratings = await rows<{ created_at: Date; rating: string }>(
      'select created_at, rating from issue_ratings where county_code = $1',
    );
    const satisfaction = (inPeriod: (d: Date | null) => boolean) => {
      const r = ratings.filter((x) => inPeriod(x.created_at));
      return share(r.filter((x) => x.rating !== 'unsatisfied').length, r.length);
    };
    expect(figures.issues!.satisfactionRate.value).toBeCloseTo(satisfaction(inCurrent)!, 12);
    expect(figures.issues!.satisfactionRate.previous).toBeCloseTo(satisfaction(inPrevious)!, 12);
  });

  it('ranks member units by the summoned issues that are closed', async () => {
    const assigned = await rows<{ unit_id: string; name: string; state: string }>(
      `select a.unit_id, u.name, i.state from issue_assignments a join member_units u on u.county_code = a.county_code and u.id = a.unit_id
       join issues i on i.county_code = a.county_code and i.id = a.issue_id where a.county_code = $1`,
    );
    const units = new Map<string, { id: string; name: string; solved: number; assigned: number }>();
    for (const a of assigned) {
      const u = units.get(a.unit_id) ?? { id: a.unit_id, name: a.name, solved: 0, assigned: 0 };
      u.assigned++;
      if (['closed', 'rated'].includes(a.state)) u.solved++;
      units.set(a.unit_id, u);
    }
    const expected = [...units.values()]
      .sort((x, y) => y.solved - x.solved || y.assigned - x.assigned || (x.id < y.id ? -1 : 1))
      .slice(0, 10);
    expect(
      figures.memberUnitRanking!.map(({ id, name, solved, assigned: n }) => ({ id, name, solved, assigned: n })),
    ).toEqual(expected);
    expect(expected[0].solved).toBeGreaterThan(0);
  });

  it('counts reports per major category per Beijing day for the last 30 days', async () => {
    const reports = await rows<{ major: string; created_at: Date }>(
      `select coalesce(c.parent_id, c.id) as major, i.created_at from issues i
       join issue_categories c on c.county_code = i.county_code and c.id = i.category_id where i.county_code = $1`,
    );
    const beijingDay = (t: number) => new Date(t + 8 * 3_600_000).toISOString().slice(0, 10);
    const days = Array.from({ length: 30 }, (_, k) => beijingDay(now - (29 - k) * DAY));
    const trend = figures.issuesByCategory!;
    expect(trend.days).toEqual(days);
    const majors = await rows<{ id: string }>(
      'select id from issue_categories where county_code = $1 and parent_id is null',
    );
    expect(trend.series.map((s) => s.id).sort()).toEqual(majors.map((m) => m.id).sort());
    for (const s of trend.series) {
      const counts = days.map(
        (d) =>
          reports.filter(
            (r) => r.major === s.id && r.created_at.getTime() <= now && beijingDay(r.created_at.getTime()) === d,
          ).length,
      );
      expect(s.counts, s.id).toEqual(counts);
    }
    expect(trend.series.flatMap((s) => s.counts).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });
});

describe('privacy', () => {
  it('carries no person: no name or phone of anyone, no reporter, no personal key', async () => {
    const body = JSON.stringify(figures);
    const people = await rows<{ name: string; phone: string | null }>(
      'select name, phone from people where county_code = $1',
    );
    const reporters = await rows<{ reporter_name: string | null; reporter_phone: string | null }>(
      'select reporter_name, reporter_phone from issues where county_code = $1',
    );
    const personal = new Set<string>();
    for (const p of people) [p.name, p.phone].forEach((v) => v && personal.add(v));
    for (const r of reporters) [r.reporter_name, r.reporter_phone].forEach((v) => v && personal.add(v));
    const strings: string[] = [];
    const walk = (v: unknown, key = ''): void => {
      expect(key).not.toMatch(/phone|reporter|person|people|birth|gender|user/i);
      if (typeof v === 'string') strings.push(v);
      else if (Array.isArray(v)) v.forEach((x) => walk(x));
      else if (v && typeof v === 'object') Object.entries(v).forEach(([k, x]) => walk(x, k));
    };
    walk(figures);
    expect(strings.filter((s) => personal.has(s))).toEqual([]);
    // A mobile number standing alone (not digits inside a longer number or a decimal fraction).
    expect(body).not.toMatch(/(?<![\d.])1[3-9]\d{9}(?!\d)/);
    expect(figures.synthetic).toBe(true);
  });
});

describe('access', () => {
  it('with REQUIRE_LOGIN=1: anonymous 401, a wall display token and a leader 200, a reporter 403 (figures and map data)', async () => {
    const base = loadConfig();
    const app = await createApp({ ...base, port: 0, auth: { ...base.auth, requireLogin: true } }, pool);
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const routes = ['/api/wall/figures', '/api/wall/issue-points', '/api/wall/grid-metrics'];
      for (const route of routes) expect((await fetch(`${url}${route}`)).status, route).toBe(401);
      expect((await fetch(`${url}/api/stream`)).status).toBe(401);
      const admin = await loginCookie(demoAccount('admin'), url);
      const { token } = await (
        await postJson(`${url}/api/admin/display-tokens`, { screen: 'wall-figures test' }, { cookie: admin })
      ).json();
      const wall = cookieFrom(await fetch(`${url}/wall?token=${token}`, { redirect: 'manual' }), 'gridlink_display');
      const leader = await loginCookie(demoAccount('leader'), url);
      const reporter = await loginCookie(demoAccount('reporter'), url);
      for (const route of routes) {
        expect((await fetch(`${url}${route}`, { headers: { cookie: wall } })).status, route).toBe(200);
        expect((await fetch(`${url}${route}`, { headers: { cookie: leader } })).status, route).toBe(200);
        expect((await fetch(`${url}${route}`, { headers: { cookie: reporter } })).status, route).toBe(403);
      }
    } finally {
      await app.context.close();
      await new Promise((r) => server.close(r));
    }
  });
});
