import { afterAll, describe, expect, it } from 'vitest';
import { COUNTY, testPool } from '../helpers/db.ts';
import { api, demoSession, freshSession } from '../helpers/issues-fixtures.ts';
import { MIN_GROUP_FOR_PUBLIC_MEAN } from '../../server/community/workforce.ts';

/** The community workforce (server/community/README.md): the synthetic staff, the figures against SQL, the admin's writes. */
const pool = testPool();
afterAll(() => pool.end());

const one = async <T>(sql: string, params: unknown[] = [COUNTY]) => (await pool.query(sql, params)).rows[0] as T;
const n = async (sql: string, params: unknown[] = [COUNTY]) => (await one<{ n: number }>(sql, params)).n;
/** Rows of the workforce tables and the audit log: a refused request leaves them unchanged. */
const snapshot = async () =>
  one<Record<string, unknown>>(
    `select (select count(*) from audit_log where county_code = $1 and action like 'workforce.%')::int as audit,
            (select json_agg(w order by person_id) from workforce_staff w where county_code = $1 and team = 'full_time') as staff,
            (select json_agg(a order by rank_class, level) from workforce_allowances a where county_code = $1) as allowances,
            (select json_agg(m order by mentee_id) from workforce_mentorships m where county_code = $1) as mentors`,
  );
/** Mean monthly allowance per class over a community (or the county), in SQL. */
const sqlMean = async (rankClass: string, communityId: string | null) =>
  n(
    `select round(avg(a.monthly_yuan))::int as n from workforce_staff w join workforce_allowances a
       on a.county_code = w.county_code and a.rank_class = w.rank_class and a.level = w.level
     where w.county_code = $1 and w.rank_class = $2 and ($3::text is null or w.community_id = $3)`,
    [COUNTY, rankClass, communityId],
  );

describe('the synthetic workforce', () => {
  it('matches the register and report: 212 full-time, riders part-time, 483 auxiliary at 1,000 yuan, 5,500/5,300/5,100, 10 mentors for 27', async () => {
    const teams = Object.fromEntries(
      (
        await pool.query<{ team: string; n: number }>(
          `select team, count(*)::int as n from workforce_staff where county_code = $1 and synthetic group by team`,
          [COUNTY],
        )
      ).rows.map((r) => [r.team, r.n]),
    );
    expect(teams.full_time).toBe(
      await n(`select count(*)::int as n from people where county_code = $1 and 'community_staff' = any(roles)`),
    );
    expect(teams.full_time).toBe(212);
    expect(teams.auxiliary).toBe(483);
    const riders = await n(
      `select count(*)::int as n from people where county_code = $1 and 'rider_worker' = any(roles)`,
    );
    expect(teams.part_time).toBeGreaterThan(riders);
    expect(
      await n(
        `select count(*)::int as n from workforce_staff where county_code = $1 and team = 'auxiliary' and yearly_subsidy <> 1000`,
      ),
    ).toBe(0);
    // Every staff member is a person of the register serving the community they live in.
    expect(
      await n(`select count(*)::int as n from workforce_staff w join people p on p.county_code = w.county_code and p.id = w.person_id
                    where w.county_code = $1 and (p.community_id <> w.community_id or p.grid_id is distinct from w.grid_id)`),
    ).toBe(0);
    expect(await sqlMean('head', null)).toBe(5500);
    expect(await sqlMean('deputy', null)).toBe(5300);
    expect(await sqlMean('member', null)).toBe(5100);
    expect(
      await n(`select count(*)::int as n from workforce_staff where county_code = $1 and rank_class = 'head'`),
    ).toBe(10);
    expect(
      await n(`select count(distinct mentor_id)::int as n from workforce_mentorships where county_code = $1`),
    ).toBe(10);
    expect(await n(`select count(*)::int as n from workforce_mentorships where county_code = $1`)).toBe(27);
    // Mentors of three years or more in the mentee's community; mentees hired within the year.
    expect(
      await n(`select count(*)::int as n from workforce_mentorships m
                    join workforce_staff e on e.county_code = m.county_code and e.person_id = m.mentee_id
                    join workforce_staff r on r.county_code = m.county_code and r.person_id = m.mentor_id
                    where m.county_code = $1 and (e.community_id <> r.community_id or r.hired_on > current_date - interval '3 years'
                    or e.hired_on <= current_date - 365)`),
    ).toBe(0);
    expect(await n(`select count(*)::int as n from workforce_allowances where county_code = $1`)).toBe(54);
  });

  it('gives figures per community equal to SQL, to aggregate readers; the wall carries the county totals', async () => {
    const res = await api('GET', '/api/workforce/figures', await demoSession('leader'));
    expect(res.status).toBe(200);
    expect(res.body.synthetic).toBe(true);
    expect(res.body.totals).toMatchObject({
      fullTime: 212,
      auxiliary: 483,
      auxiliarySubsidyYearly: 483_000,
      mentors: 10,
      mentees: 27,
      meanAllowance: { head: 5500, deputy: 5300, member: 5100 },
    });
    const c = res.body.communities.find((x: { communityId: string }) => x.communityId === 'C03');
    expect(c.fullTime).toBe(
      await n(
        `select count(*)::int as n from workforce_staff where county_code = $1 and community_id = 'C03' and team = 'full_time'`,
      ),
    );
    expect(c.partTime).toBe(
      await n(
        `select count(*)::int as n from workforce_staff where county_code = $1 and community_id = 'C03' and team = 'part_time'`,
      ),
    );
    expect(c.meanAllowance.member).toBe(await sqlMean('member', 'C03'));
    expect(c.meanAllowance.deputy).toBe(await sqlMean('deputy', 'C03'));
    const street = await one<{ street_id: string }>(
      `select street_id from communities where county_code = $1 and id = 'C03'`,
    );
    const byStreet = await api('GET', `/api/workforce/figures?area=${street.street_id}`, await demoSession('leader'));
    expect(byStreet.body.communities.length).toBe(
      await n(`select count(*)::int as n from communities where county_code = $1 and street_id = $2`, [
        COUNTY,
        street.street_id,
      ]),
    );
    expect(byStreet.body.totals.meanAllowance.member).toBe(
      await n(
        `select round(avg(a.monthly_yuan))::int as n from workforce_staff w join workforce_allowances a on a.county_code = w.county_code
          and a.rank_class = w.rank_class and a.level = w.level
               join communities c on c.county_code = w.county_code and c.id = w.community_id where w.county_code = $1 and w.rank_class = 'member'
               and c.street_id = $2`,
        [COUNTY, street.street_id],
      ),
    );
    expect(JSON.stringify(res.body)).not.toMatch(/name":"[^"]*\*|personId|phone/);
    const wall = await api('GET', '/api/wall/figures', await demoSession('leader'));
    expect(wall.body.workforce).toEqual(res.body.totals);
    expect((await api('GET', '/api/workforce/figures?area=bad id', await demoSession('leader'))).status).toBe(400);
    // Open like the area card, but without the right to see staff no mean over fewer than five people.
    expect(c.meanAllowance.head).toBe(await sqlMean('head', 'C03'));
    const open = await api('GET', '/api/workforce/figures?area=C03', undefined);
    expect(open.status).toBe(200);
    expect(open.body.totals).toMatchObject({
      fullTime: c.fullTime,
      heads: 1,
      meanAllowance: {
        head: null,
        deputy: null,
        member: c.members < MIN_GROUP_FOR_PUBLIC_MEAN ? null : c.meanAllowance.member,
      },
    });
    expect((await api('GET', '/api/workforce/figures', undefined)).body.totals.meanAllowance).toEqual({
      head: 5500,
      deputy: 5300,
      member: 5100,
    });
  });

  it('lists staff inside the caller area only, names masked, no phones', async () => {
    const dispatcher = await freshSession(pool, 'dispatcher', { streetId: null, communityId: 'C02', gridId: null });
    const res = await api('GET', '/api/workforce/staff?limit=1000', dispatcher.cookie);
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(
      await n(`select count(*)::int as n from workforce_staff where county_code = $1 and community_id = 'C02'`),
    );
    expect(
      res.body.staff.every(
        (s: { communityId: string; name: string }) => s.communityId === 'C02' && /^.\*+$/u.test(s.name),
      ),
    ).toBe(true);
    expect(JSON.stringify(res.body)).not.toMatch(/phone/);
    const other = await api('GET', '/api/workforce/staff?community=C05', dispatcher.cookie);
    expect(other.body.total).toBe(0);
    const aux = await api('GET', '/api/workforce/staff?team=auxiliary&limit=5', await demoSession('leader'));
    expect(
      aux.body.staff.every(
        (s: { team: string; yearlySubsidy: number }) => s.team === 'auxiliary' && s.yearlySubsidy === 1000,
      ),
    ).toBe(true);
    expect((await api('GET', '/api/workforce/staff?team=boss', await demoSession('leader'))).status).toBe(400);
  });
});

describe('the admin keeps the workforce', () => {
  it('edits an allowance: the community mean follows, equal to SQL, with an audit row', async () => {
    const admin = await demoSession('admin');
    const cell = await one<{ rank_class: string; level: number; community_id: string; monthly_yuan: number }>(
      `select w.rank_class, w.level, w.community_id, a.monthly_yuan from workforce_staff w join workforce_allowances a
         on a.county_code = w.county_code and a.rank_class = w.rank_class and a.level = w.level
       where w.county_code = $1 and w.rank_class = 'member' order by w.person_id limit 1`,
    );
    const before = (await api('GET', `/api/workforce/figures?area=${cell.community_id}`, admin)).body.totals
      .meanAllowance.member;
    const audits = await n(
      `select count(*)::int as n from audit_log where county_code = $1 and action = 'workforce.allowance_set'`,
    );
    const res = await api('PUT', `/api/workforce/allowances/member/${cell.level}`, admin, {
      monthly_yuan: cell.monthly_yuan + 1000,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const after = (await api('GET', `/api/workforce/figures?area=${cell.community_id}`, admin)).body.totals
      .meanAllowance.member;
    expect(after).toBe(await sqlMean('member', cell.community_id));
    expect(after).toBeGreaterThan(before);
    expect(
      await n(`select count(*)::int as n from audit_log where county_code = $1 and action = 'workforce.allowance_set'`),
    ).toBe(audits + 1);
    await api('PUT', `/api/workforce/allowances/member/${cell.level}`, admin, { monthly_yuan: cell.monthly_yuan });
  });

  it('edits post, class and level, assigns and removes a mentor — each with an audit row', async () => {
    const admin = await demoSession('admin');
    const worker = await one<{ person_id: string; community_id: string; level: number }>(
      `select person_id, community_id, level from workforce_staff where county_code = $1 and post = 'grid_worker'
        and hired_on < current_date - interval '3 years' order by person_id limit 1`,
    );
    const edited = await api('PATCH', `/api/workforce/staff/${worker.person_id}`, admin, {
      post: 'committee_member',
      level: 17,
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toMatchObject({
      post: 'committee_member',
      rankClass: 'member',
      level: 17,
      monthlyAllowance: await n(
        `select monthly_yuan as n from workforce_allowances where county_code = $1 and rank_class = 'member' and level = 17`,
      ),
    });
    expect(
      await n(
        `select count(*)::int as n from audit_log where county_code = $1 and action = 'workforce.staff_update' and target = $2`,
        [COUNTY, `person:${worker.person_id}`],
      ),
    ).toBe(1);

    const mentee = await one<{ person_id: string; mentor_id: string }>(
      `select m.mentee_id as person_id, m.mentor_id from workforce_mentorships m join workforce_staff w on w.county_code = m.county_code
        and w.person_id = m.mentee_id
       where m.county_code = $1 and w.community_id = $2 order by m.mentee_id limit 1`,
      [COUNTY, worker.community_id],
    );
    const moved = await api('PUT', `/api/workforce/staff/${mentee.person_id}/mentor`, admin, {
      mentor_id: worker.person_id,
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.mentorId).toBe(worker.person_id);
    expect(
      await n(`select count(*)::int as n from workforce_mentorships where county_code = $1 and mentor_id = $2`, [
        COUNTY,
        worker.person_id,
      ]),
    ).toBe(1);
    const removed = await api('PUT', `/api/workforce/staff/${mentee.person_id}/mentor`, admin, { mentor_id: null });
    expect(removed.body.mentorId).toBeNull();
    await api('PUT', `/api/workforce/staff/${mentee.person_id}/mentor`, admin, { mentor_id: mentee.mentor_id });
    await api('PATCH', `/api/workforce/staff/${worker.person_id}`, admin, { post: 'grid_worker', level: worker.level });
  });

  it('refuses bad input with a 4xx and writes nothing', async () => {
    const admin = await demoSession('admin');
    const aux = await one<{ person_id: string }>(
      `select person_id from workforce_staff where county_code = $1 and team = 'auxiliary' order by person_id limit 1`,
    );
    const fullTime = await one<{ person_id: string; community_id: string }>(
      `select person_id, community_id from workforce_staff where county_code = $1 and post = 'grid_worker' order by person_id limit 1`,
    );
    const mentee = await one<{ mentee_id: string }>(
      `select mentee_id from workforce_mentorships where county_code = $1 order by mentee_id limit 1`,
    );
    const elsewhere = await one<{ person_id: string }>(
      `select w.person_id from workforce_staff w join workforce_staff e on e.county_code = w.county_code and e.person_id = $2
       where w.county_code = $1 and w.post = 'committee_member' and w.community_id <> e.community_id order by w.person_id limit 1`,
      [COUNTY, mentee.mentee_id],
    );
    const before = await snapshot();
    const cases: [string, string, unknown, number][] = [
      ['PATCH', `/api/workforce/staff/${aux.person_id}`, { rank_class: 'head', level: 3 }, 422],
      ['PATCH', `/api/workforce/staff/${aux.person_id}`, { post: 'secretary' }, 422],
      ['PATCH', `/api/workforce/staff/${fullTime.person_id}`, { level: 19 }, 400],
      ['PATCH', `/api/workforce/staff/${fullTime.person_id}`, { level: null }, 422],
      ['PATCH', `/api/workforce/staff/${fullTime.person_id}`, { post: 'chief' }, 400],
      ['PATCH', `/api/workforce/staff/${fullTime.person_id}`, {}, 400],
      ['PATCH', '/api/workforce/staff/P99999', { level: 3 }, 404],
      ['PUT', `/api/workforce/staff/${mentee.mentee_id}/mentor`, { mentor_id: elsewhere.person_id }, 422],
      ['PUT', `/api/workforce/staff/${mentee.mentee_id}/mentor`, { mentor_id: mentee.mentee_id }, 422],
      ['PUT', `/api/workforce/staff/${mentee.mentee_id}/mentor`, { mentor_id: aux.person_id }, 422],
      ['PUT', `/api/workforce/staff/${mentee.mentee_id}/mentor`, { mentor_id: 'P99999' }, 422],
      ['PUT', `/api/workforce/staff/${mentee.mentee_id}/mentor`, {}, 400],
      ['PUT', '/api/workforce/allowances/head/19', { monthly_yuan: 5000 }, 400],
      ['PUT', '/api/workforce/allowances/chief/3', { monthly_yuan: 5000 }, 400],
      ['PUT', '/api/workforce/allowances/head/3', { monthly_yuan: -1 }, 400],
      ['PUT', '/api/workforce/allowances/head/3', { monthly_yuan: 5000.5 }, 400],
    ];
    for (const [method, path, body, status] of cases) {
      const res = await api(method, path, admin, body);
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`).toBe(status);
      expect(res.body.error.message).toBeTruthy();
    }
    // Another role may not write; an admin's writes outside their area are refused too.
    expect(
      (await api('PUT', '/api/workforce/allowances/head/3', await demoSession('leader'), { monthly_yuan: 9000 }))
        .status,
    ).toBe(403);
    const areaAdmin = await freshSession(pool, 'admin', {
      streetId: null,
      communityId: fullTime.community_id === 'C01' ? 'C02' : 'C01',
      gridId: null,
    });
    expect(
      (await api('PATCH', `/api/workforce/staff/${fullTime.person_id}`, areaAdmin.cookie, { level: 5 })).status,
    ).toBe(404);
    // Other files count the enabled admins: this one goes again.
    await pool.query(`update users set disabled = true where id = $1`, [areaAdmin.userId]);
    expect(await snapshot()).toEqual(before);
  });
});
