import { afterAll, describe, expect, it } from 'vitest';
import { COUNTY, get, testPool } from '../helpers/db.ts';
import { inRolledBackTransaction } from '../../server/postgres/pool.ts';
import { api, demoSession } from '../helpers/issues-fixtures.ts';
import { workforceFigures } from '../../server/db/workforce-repo.ts';
import { queryGridMetrics } from '../../server/db/wall-map-repo.ts';
import { COUNTY_WIDE } from '../../shared/roles.ts';
import { MIN_GROUP_FOR_PUBLIC_MEAN } from '../../server/community/workforce.ts';
import { isSmallGroup, MIN_PUBLIC_GROUP, publicCount } from '../../server/community/small-groups.ts';

/**
 * Public figures about people give nothing about a small group (server/community/small-groups.ts): counts of
 * party members, members in service and red stewards under 5 are null on the area cards, the wall's grid
 * metrics and the inspection metrics, and rounded to 5 otherwise; a community's auxiliary subsidy summed over
 * fewer than 5 workers is null for callers who may not see staff, like the mean allowances per class.
 */
const pool = testPool();
afterAll(() => pool.end());

describe('the area cards', () => {
  it('give people counts of a building as null under 5, rounded to 5 otherwise', async () => {
    const { rows } = await pool.query<{ id: string; party: number; in_service: number; red: number }>(
      `select b.id, count(p.*) filter (where p.party_member)::int as party, count(p.*) filter (where p.in_service)::int as in_service,
              count(p.*) filter (where p.red_steward)::int as red
       from buildings b left join people p on p.county_code = b.county_code and p.building_id = b.id
       where b.county_code = $1 group by b.id order by b.id`,
      [COUNTY],
    );
    // One building of each party count 0, 1, 2 and the largest, and the first with 1 or 2 in service and stewards.
    const pick = new Map<string, (typeof rows)[number]>();
    for (const n of [0, 1, 2]) {
      const b = rows.find((r) => r.party === n);
      expect(b, `a building with ${n} party members`).toBeDefined();
      pick.set(b!.id, b!);
    }
    const largest = rows.reduce((a, b) => (b.party > a.party ? b : a));
    expect(largest.party).toBeGreaterThanOrEqual(MIN_PUBLIC_GROUP);
    pick.set(largest.id, largest);
    for (const key of ['in_service', 'red'] as const) {
      const b = rows.find((r) => r[key] === 1 || r[key] === 2);
      expect(b, `a building with 1 or 2 ${key}`).toBeDefined();
      pick.set(b!.id, b!);
    }
    for (const b of pick.values()) {
      const res = await get(`/api/areas/building/${b.id}`);
      expect(res.status).toBe(200);
      const { figures } = await res.json();
      expect(figures.partyMembers, b.id).toBe(publicCount(b.party));
      expect(figures.inServiceMembers, b.id).toBe(publicCount(b.in_service));
      expect(figures.redStewards, b.id).toBe(publicCount(b.red));
    }
  });
});

describe('grid figures', () => {
  it("the wall's grid metrics and the inspection metrics give a grid of 1 or 2 party members no count and no rate", async () => {
    const { rows } = await pool.query<{ id: string }>(
      `select g.id from grids g where g.county_code = $1 and (select count(*) from people p where p.county_code = $1 and p.grid_id = g.id
        and p.party_member) >= ${MIN_PUBLIC_GROUP}
       order by g.id limit 1`,
      [COUNTY],
    );
    const grid = rows[0].id;
    // Left with two party members for the length of a transaction that is rolled back.
    await inRolledBackTransaction(pool, async (client) => {
      await client.query(
        `update people set party_member = false where county_code = $1 and grid_id = $2 and party_member
           and id not in (select id from people where county_code = $1 and grid_id = $2 and party_member order by id limit 2)`,
        [COUNTY, grid],
      );
      const metrics = await queryGridMetrics(client, COUNTY);
      const g = metrics.grids.find((x) => x.id === grid)!;
      expect(g.partyMembers).toBeNull();
      expect(g.partyMembersPer100Households).toBeNull();
    });
    // Outside the transaction nothing was changed, and the published answers agree with the data.
    const wall = await (await get('/api/wall/grid-metrics')).json();
    const inspect = await (await get('/api/inspect/metrics?level=grid')).json();
    const counts = new Map(
      (
        await pool.query<{ id: string; n: number }>(
          `select g.id, (select count(*) from people p where p.county_code = $1 and p.grid_id = g.id and p.party_member)::int as n from grids g
            where g.county_code = $1`,
          [COUNTY],
        )
      ).rows.map((r) => [r.id, r.n]),
    );
    for (const g of wall.grids) expect(g.partyMembers, g.id).toBe(publicCount(counts.get(g.id)!));
    expect(inspect.rows.find((r: { id: string }) => r.id === grid).partyMembers).toBeGreaterThanOrEqual(
      MIN_PUBLIC_GROUP,
    );
  });
});

describe('the workforce figures', () => {
  it("give a community's auxiliary subsidy as null to the public when fewer than 5 workers get it", async () => {
    const { rows } = await pool.query<{ community_id: string; n: number }>(
      `select community_id, count(*)::int as n from workforce_staff where county_code = $1 and team = 'auxiliary'
       group by community_id having count(*) >= ${MIN_PUBLIC_GROUP} order by community_id limit 1`,
      [COUNTY],
    );
    const community = rows[0].community_id;
    await inRolledBackTransaction(pool, async (client) => {
      // Mentorships and staff of the auxiliary team beyond two, removed for the transaction only.
      await client.query(
        `delete from workforce_mentorships where county_code = $1 and (mentee_id in (select person_id from workforce_staff where county_code = $1
          and community_id = $2 and team = 'auxiliary')
           or mentor_id in (select person_id from workforce_staff where county_code = $1 and community_id = $2 and team = 'auxiliary'))`,
        [COUNTY, community],
      );
      await client.query(
        `delete from workforce_staff where county_code = $1 and community_id = $2 and team = 'auxiliary'
           and person_id not in (select person_id from workforce_staff where county_code = $1 and community_id = $2 and team = 'auxiliary' order by person_id
           limit 2)`,
        [COUNTY, community],
      );
      const pub = await workforceFigures(client, COUNTY, COUNTY_WIDE, community, MIN_GROUP_FOR_PUBLIC_MEAN);
      expect(pub.communities[0].auxiliary).toBe(2);
      expect(pub.communities[0].auxiliarySubsidyYearly).toBeNull();
      // Those who may see staff get the sum.
      const staff = await workforceFigures(client, COUNTY, COUNTY_WIDE, community, 1);
      expect(staff.communities[0].auxiliarySubsidyYearly).toBeGreaterThan(0);
    });
    // Published: every community's subsidy follows the rule, anonymous or leader.
    const anonymous = await (await get('/api/workforce/figures')).json();
    for (const c of anonymous.communities) {
      if (isSmallGroup(c.auxiliary)) expect(c.auxiliarySubsidyYearly, c.communityId).toBeNull();
      else expect(c.auxiliarySubsidyYearly, c.communityId).toEqual(expect.any(Number));
    }
    const leader = await api('GET', `/api/workforce/figures?area=${community}`, await demoSession('leader'));
    expect(leader.body.communities[0].auxiliarySubsidyYearly).toBeGreaterThan(0);
  });
});
