// Issue figures of an area, the choropleth metrics with their class breaks, and the people serving an area
// (masked per role, unmasked views audited), against SQL written here independently of server/db.
import { afterAll, describe, expect, inject, it } from 'vitest';
import { COUNTY, get, testPool } from '../helpers/db.ts';
import { demoAccount, loginCookie } from '../helpers/auth.ts';
import type { Role } from '../../shared/roles.ts';
import { publicCount } from '../../server/community/small-groups.ts';

const pool = testPool();
afterAll(() => pool.end());

async function json(path: string, status = 200, cookie?: string) {
  const res = await get(path, cookie ? { headers: { cookie } } : undefined);
  const body = await res.json();
  expect(res.status, `${path}: ${JSON.stringify(body).slice(0, 200)}`).toBe(status);
  return body;
}

const RUNNING = `('reported','accepted','filed','dispatched','signed','handling','feedback','verified','rework','reopened')`;

/** Issue figures of the issues matching `where` (SQL over i), the last `days` days. */
async function issueTruth(where: string, args: unknown[], days: number) {
  const { rows } = await pool.query(
    `select count(*) filter (where state in ${RUNNING.slice(0, -1)},'deferred'))::int as open,
       count(*) filter (where deadline < now() and state in ${RUNNING})::int as overdue,
       count(*) filter (where created_at >= now() - $2 * interval '1 day')::int as reported,
       count(*) filter (where state in ('closed','rated') and closed_at >= now() - $2 * interval '1 day')::int as closed
     from issues i where county_code = $1 and ${where}`,
    [COUNTY, days, ...args],
  );
  return rows[0];
}

describe('GET /api/areas/…/issues', () => {
  it('a grid: open, overdue, reported and closed in the period equal SQL; categories and trend add up', async () => {
    const { rows } = await pool.query(
      `select grid_id from issues where county_code = $1 group by 1 order by count(*) desc limit 1`,
      [COUNTY],
    );
    const grid = rows[0].grid_id;
    const body = await json(`/api/areas/grid/${grid}/issues?days=90`);
    const truth = await issueTruth('grid_id = $3', [grid], 90);
    expect(truth.reported).toBeGreaterThan(0);
    expect(body).toMatchObject({
      periodDays: 90,
      open: truth.open,
      overdue: truth.overdue,
      reportedInPeriod: truth.reported,
      closedInPeriod: truth.closed,
    });
    const majors = await pool.query(
      'select id from issue_categories where county_code = $1 and parent_id is null order by sort, id',
      [COUNTY],
    );
    expect(body.byCategory.map((c: { id: string }) => c.id)).toEqual(majors.rows.map((r) => r.id));
    expect(body.byCategory.reduce((s: number, c: { open: number }) => s + c.open, 0)).toBe(truth.open);
    expect(body.trend.days).toHaveLength(90);
    expect(body.trend.counts).toHaveLength(90);
  });

  it('the county, a community and a compound; the trend equals reports per Beijing day', async () => {
    const county = await json('/api/areas/county/issues');
    const countyTruth = await issueTruth('true', [], 30);
    expect(county).toMatchObject({
      open: countyTruth.open,
      overdue: countyTruth.overdue,
      closedInPeriod: countyTruth.closed,
    });
    const perDay = await pool.query(
      `select to_char((created_at at time zone 'Asia/Shanghai')::date, 'YYYY-MM-DD') as day, count(*)::int as n from issues
       where county_code = $1 and (created_at at time zone 'Asia/Shanghai')::date > (now() at time zone 'Asia/Shanghai')::date - 30 group by 1`,
      [COUNTY],
    );
    const expected = Object.fromEntries(perDay.rows.map((r) => [r.day, r.n]));
    county.trend.days.forEach((day: string, k: number) => expect(county.trend.counts[k], day).toBe(expected[day] ?? 0));
    const community = await json('/api/areas/community/C01/issues');
    expect(community.open).toBe((await issueTruth('community_id = $3', ['C01'], 30)).open);
    const { rows } = await pool.query(
      `select compound_id from issues where county_code = $1 and compound_id is not null limit 1`,
      [COUNTY],
    );
    const compound = await json(`/api/areas/compound/${rows[0].compound_id}/issues?days=365`);
    expect(compound.reportedInPeriod).toBe((await issueTruth('compound_id = $3', [rows[0].compound_id], 365)).reported);
  });

  it('programmes: micro-wishes, activities and deliberation items of a grid, a community, a street and the county equal SQL', async () => {
    const programmeTruth = async (gridWhere: string, args: unknown[]) =>
      (
        await pool.query(
          `with g as (select g.id from grids g join communities c on c.county_code = g.county_code and c.id = g.community_id
                    where g.county_code = $1 and ${gridWhere})
         select (select count(*) from micro_wishes w where w.county_code = $1 and w.grid_id in (select id from g))::int as "wishesPosted",
           (select count(*) from micro_wishes w where w.county_code = $1 and w.grid_id in (select id from g)
           and w.state in ('claimed', 'fulfilled'))::int as "wishesClaimed",
           (select count(*) from micro_wishes w where w.county_code = $1 and w.grid_id in (select id from g)
           and w.state = 'fulfilled')::int as "wishesFulfilled",
           (select count(*) from service_activities a where a.county_code = $1 and a.grid_id in (select id from g))::int as activities,
           (select coalesce(sum(participants), 0) from service_activities a where a.county_code = $1 and a.grid_id in (select id
           from g))::int as "activityParticipants",
           (select count(*) from deliberation_items d where d.county_code = $1 and d.grid_id in (select id from g)
           and d.step <> 'resolved')::int as "deliberationsOpen",
           (select count(*) from deliberation_items d where d.county_code = $1 and d.grid_id in (select id from g)
           and d.step = 'resolved')::int as "deliberationsResolved"`,
          [COUNTY, ...args],
        )
      ).rows[0];
    const { rows } = await pool.query(
      `select w.grid_id, c.id as community_id, c.street_id from micro_wishes w join grids g on g.county_code = w.county_code and g.id = w.grid_id
         join communities c on c.county_code = g.county_code and c.id = g.community_id
       where w.county_code = $1 group by 1, 2, 3 order by count(*) desc limit 1`,
      [COUNTY],
    );
    const { grid_id: grid, community_id: community, street_id: street } = rows[0];
    const county = (await json('/api/areas/county/issues?days=30')).programmes;
    expect(county).toEqual(await programmeTruth('true', []));
    expect(county.wishesClaimed).toBeGreaterThan(0);
    expect(county.activities).toBeGreaterThan(0);
    expect((await json(`/api/areas/street/${street}/issues`)).programmes).toEqual(
      await programmeTruth('c.street_id = $2', [street]),
    );
    expect((await json(`/api/areas/community/${community}/issues`)).programmes).toEqual(
      await programmeTruth('c.id = $2', [community]),
    );
    const inGrid = (await json(`/api/areas/grid/${grid}/issues`)).programmes;
    expect(inGrid).toEqual(await programmeTruth('g.id = $2', [grid]));
    expect(inGrid.wishesPosted).toBeGreaterThan(0);
    const compound = (await pool.query('select id from compounds where county_code = $1 limit 1', [COUNTY])).rows[0].id;
    expect((await json(`/api/areas/compound/${compound}/issues`)).programmes).toBeNull();
    expect((await json(`/api/areas/compound/${compound}/issues`)).consultationsSolved).toBeNull();
  });

  it('consultation problems solved: resolved deliberation items by topic of the county and a community equal SQL, and sum to the resolved count', async () => {
    // Counted here through the item's own community (the server goes through its grid).
    const truth = async (where: string, args: unknown[]) =>
      (
        await pool.query(
          `select topic, count(*)::int as solved from deliberation_items d join communities c on c.county_code = d.county_code and c.id = d.community_id
         where d.county_code = $1 and d.step = 'resolved' and ${where} group by topic order by solved desc, topic`,
          [COUNTY, ...args],
        )
      ).rows;
    const county = await json('/api/areas/county/issues');
    expect(county.consultationsSolved).toEqual(await truth('true', []));
    expect(county.consultationsSolved.length).toBeGreaterThan(0);
    expect(county.consultationsSolved.reduce((sum: number, t: { solved: number }) => sum + t.solved, 0)).toBe(
      county.programmes.deliberationsResolved,
    );
    const { rows } = await pool.query(
      `select community_id from deliberation_items where county_code = $1 and step = 'resolved' group by 1 order by count(*) desc limit 1`,
      [COUNTY],
    );
    const community = await json(`/api/areas/community/${rows[0].community_id}/issues`);
    expect(community.consultationsSolved).toEqual(await truth('c.id = $2', [rows[0].community_id]));
  });

  it('unknown areas are 404, bad periods 400', async () => {
    await json('/api/areas/grid/G999/issues', 404);
    await json('/api/areas/planet/G001/issues', 404);
    const bad = await json('/api/areas/grid/G001/issues?days=3', 400);
    expect(bad.error.message).toMatch(/days/);
  });
});

describe('GET /api/inspect/metrics', () => {
  it('grids: every metric equals SQL, and the breaks are the quintiles of the values', async () => {
    const body = await json('/api/inspect/metrics?level=grid&days=90&distance=300');
    expect(body.rows).toHaveLength(116);
    const { rows } = await pool.query(
      `select g.id, (select coalesce(sum(households), 0) from buildings b where b.county_code = $1 and b.grid_id = g.id)::float8 as households,
         (select count(*) from people p join buildings b on b.county_code = p.county_code and b.id = p.building_id
           where p.county_code = $1 and b.grid_id = g.id and p.party_member)::float8 as party,
         (select count(*) from issues i where i.county_code = $1 and i.grid_id = g.id and i.created_at >= now() - interval '90 days'
           and i.state not in ('void', 'duplicate'))::float8 as reported,
         (select count(*) from issues i where i.county_code = $1 and i.grid_id = g.id and i.deadline < now() and i.state in ${RUNNING})::float8 as overdue,
         (select sum(b.households) from buildings b join compounds q on q.county_code = b.county_code and q.id = b.compound_id
           where b.county_code = $1 and b.grid_id = g.id and exists (select 1 from stations s where s.county_code = $1
             and st_dwithin(q.geom::geography, s.geom::geography, 300)))::float8 as covered
       from grids g where g.county_code = $1 order by g.id`,
      [COUNTY],
    );
    rows.forEach((truth, k) => {
      const row = body.rows[k];
      expect(row.id).toBe(truth.id);
      expect(row.values.households).toBe(truth.households);
      const party = publicCount(truth.party);
      if (party === null) expect(row.values.partyPer100, truth.id).toBeNull();
      else expect(row.values.partyPer100).toBeCloseTo((100 * party) / truth.households, 9);
      expect(row.values.issuesPer100).toBeCloseTo((100 * truth.reported) / truth.households, 9);
      expect(row.values.overdue).toBe(truth.overdue);
      expect(row.values.stationCoverage).toBeCloseTo((truth.covered ?? 0) / truth.households, 9);
    });
    const quintiles = await pool.query(
      `select percentile_cont(array[0.2, 0.4, 0.6, 0.8]) within group (order by v) as b from unnest($1::float8[]) v`,
      [body.rows.map((r: { values: { partyPer100: number } }) => r.values.partyPer100)],
    );
    expect(body.breaks.partyPer100.length).toBe(4);
    body.breaks.partyPer100.forEach((b: number, k: number) => expect(b).toBeCloseTo(quintiles.rows[0].b[k], 6));
    expect(body.breaks.overdue).toEqual([...new Set<number>(body.breaks.overdue)].sort((a, b) => a - b));
  });

  it('communities sum their grids; bad levels are 400', async () => {
    const [grids, communities] = await Promise.all([
      json('/api/inspect/metrics?level=grid'),
      json('/api/inspect/metrics?level=community'),
    ]);
    for (const community of communities.rows) {
      const mine = grids.rows.filter((g: { parentId: string }) => g.parentId === community.id);
      expect(community.values.households).toBe(
        mine.reduce((s: number, g: { values: { households: number } }) => s + g.values.households, 0),
      );
      expect(community.issuesReported).toBe(
        mine.reduce((s: number, g: { issuesReported: number }) => s + g.issuesReported, 0),
      );
    }
    await json('/api/inspect/metrics?level=building', 400);
    await json('/api/inspect/metrics?distance=10', 400);
  });
});

describe('GET /api/areas/…/people', () => {
  const cookies = new Map<Role, string>();
  async function as(role: Role, path: string, status = 200) {
    if (!cookies.has(role)) cookies.set(role, await loginCookie(demoAccount(role)));
    return json(path, status, cookies.get(role));
  }
  const unmaskedViews = async (actor: string) =>
    (
      await pool.query(
        `select count(*)::int as n from audit_log where county_code = $1 and actor = $2 and action = 'people.view_unmasked'`,
        [COUNTY, actor],
      )
    ).rows[0].n;

  it('a grid: the leader in charge of its community, its liaison cadre and workers from the tables; leaders see them masked, nothing audited', async () => {
    const before = await unmaskedViews(demoAccount('leader').username);
    const body = await as('leader', '/api/areas/grid/G012/people');
    const truth = await pool.query(
      `select p.id, p.name from grids g join communities c on c.county_code = g.county_code and c.id = g.community_id
         join people p on p.county_code = g.county_code and p.id = c.leader_id where g.county_code = $1 and g.id = 'G012'
       union all
       select p.id, p.name from grids g join people p on p.county_code = g.county_code and p.id = g.head_id where g.county_code = $1 and g.id = 'G012'
       union all (select p.id, p.name from people p where p.county_code = $1 and p.grid_id = 'G012'
         and p.roles && '{community_staff,auxiliary_worker,rider_worker}' order by p.id)`,
      [COUNTY],
    );
    expect(body.people.slice(0, 2).map((p: { role: string }) => p.role)).toEqual(['community_leader', 'liaison_cadre']);
    expect(body.people[0].id).toBe(truth.rows[0].id);
    expect(body.people[1].id).toBe(truth.rows[1].id);
    expect(body.people.map((p: { id: string }) => p.id).sort()).toEqual(truth.rows.map((r) => r.id).sort());
    for (const person of body.people) {
      const real = truth.rows.find((r) => r.id === person.id)!.name as string;
      expect(person.masked).toBe(true);
      expect(person.name).toBe(Array.from(real)[0] + '*'.repeat(Array.from(real).length - 1));
      expect(person.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
    }
    expect(await unmaskedViews(demoAccount('leader').username)).toBe(before);
  });

  it('admins see names in full, each person audited; a dispatcher only inside their area', async () => {
    const admin = demoAccount('admin').username;
    const before = await unmaskedViews(admin);
    const body = await as('admin', '/api/areas/grid/G012/people');
    expect(body.masked).toBe(false);
    expect(await unmaskedViews(admin)).toBe(before + body.people.length);
    const { rows } = await pool.query(`select name from people where county_code = $1 and id = $2`, [
      COUNTY,
      body.people[0].id,
    ]);
    expect(body.people[0].name).toBe(rows[0].name);

    const scope = (
      await pool.query(`select community_id from users where county_code = $1 and username = $2`, [
        COUNTY,
        demoAccount('dispatcher').username,
      ])
    ).rows[0];
    const inside = (
      await pool.query(`select id from grids where county_code = $1 and community_id = $2 limit 1`, [
        COUNTY,
        scope.community_id,
      ])
    ).rows[0].id;
    const outside = (
      await pool.query(`select id from grids where county_code = $1 and community_id <> $2 limit 1`, [
        COUNTY,
        scope.community_id,
      ])
    ).rows[0].id;
    expect((await as('dispatcher', `/api/areas/grid/${inside}/people`)).masked).toBe(false);
    const far = await as('dispatcher', `/api/areas/grid/${outside}/people`);
    expect(far.masked).toBe(true);
    expect(far.people.every((p: { masked: boolean }) => p.masked)).toBe(true);
  });

  it('ties the 10 county leaders each to a community (网格长) and the 43 street cadres to grids, apart', async () => {
    const { rows } = await pool.query(
      `select (select count(distinct leader_id)::int from communities where county_code = $1) as leaders,
              (select count(*)::int from communities where county_code = $1 and leader_id is null) as without_leader,
              (select count(distinct head_id)::int from grids where county_code = $1) as cadres,
              (select count(*)::int from grids where county_code = $1 and head_id is null) as without_cadre,
              (select bool_and('county_leader' = any(p.roles)) from communities c join people p
                 on p.county_code = c.county_code and p.id = c.leader_id where c.county_code = $1) as leaders_are_county,
              (select bool_and('street_cadre' = any(p.roles)) from grids g join people p
                 on p.county_code = g.county_code and p.id = g.head_id where g.county_code = $1) as cadres_are_street`,
      [COUNTY],
    );
    expect(rows[0]).toEqual({
      leaders: 10,
      without_leader: 0,
      cadres: 43,
      without_cadre: 0,
      leaders_are_county: true,
      cadres_are_street: true,
    });
    // A building's card names the same two as its grid's.
    const building = (
      await pool.query(`select id from buildings where county_code = $1 and grid_id = 'G012' order by id limit 1`, [
        COUNTY,
      ])
    ).rows[0].id;
    const lead = (people: { role: string; id: string }[]) =>
      people.filter((p) => p.role === 'community_leader' || p.role === 'liaison_cadre').map((p) => [p.role, p.id]);
    expect(lead((await as('leader', `/api/areas/building/${building}/people`)).people)).toEqual(
      lead((await as('leader', '/api/areas/grid/G012/people')).people),
    );
  });

  it('a community lists its leader first; other levels are 400, unknown areas 404, anonymous 401', async () => {
    const body = await as('planner', '/api/areas/community/C01/people');
    const leader = (
      await pool.query(`select leader_id from communities where county_code = $1 and id = 'C01'`, [COUNTY])
    ).rows[0].leader_id;
    expect(body.people[0]).toMatchObject({ id: leader, role: 'community_leader', masked: true });
    await as('planner', '/api/areas/street/S01/people', 400);
    await as('planner', '/api/areas/grid/G999/people', 404);
    const res = await fetch(`${inject('baseUrl')}/api/areas/grid/G001/people`);
    expect(res.status).toBe(401);
  });
});
