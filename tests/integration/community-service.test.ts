import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COUNTY, testPool } from '../helpers/db.ts';
import { api, demoGrids, demoSession } from '../helpers/issues-fixtures.ts';

/** Micro-wishes, service activities, deliberation items and their counts per grid (server/community/README.md). */
const pool = testPool();
let grids: Awaited<ReturnType<typeof demoGrids>>;

const count = async (sql: string, params: unknown[] = [COUNTY]) =>
  (await pool.query<{ n: number }>(sql, params)).rows[0].n;
/** Rows of the service tables and the audit log: a refused request leaves them unchanged. */
async function rowCounts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of ['micro_wishes', 'service_activities', 'deliberation_items', 'deliberation_steps', 'audit_log']) {
    out[t] = await count(`select count(*)::int as n from ${t} where county_code = $1`);
  }
  out.claimed = await count(`select count(*)::int as n from micro_wishes where county_code = $1 and state <> 'posted'`);
  out.resolved = await count(
    `select count(*)::int as n from deliberation_items where county_code = $1 and step = 'resolved'`,
  );
  return out;
}
/** An in-service party member of the community (or of another one). */
async function member(communityId: string, same = true): Promise<string> {
  return (
    await pool.query<{ id: string }>(
      `select id from people where county_code = $1 and in_service and (community_id = $2) = $3 order by id limit 1`,
      [COUNTY, communityId, same],
    )
  ).rows[0].id;
}

beforeAll(async () => {
  grids = await demoGrids(pool);
});
afterAll(() => pool.end());

describe('the synthetic year', () => {
  it('reproduces the seed figures: 2,200+ claimed micro-wishes, 2,600+ activities, 230+ consultation problems solved', async () => {
    const claimed = await count(
      `select count(*)::int as n from micro_wishes where county_code = $1 and state <> 'posted' and synthetic`,
    );
    const activities = await count(
      `select count(*)::int as n from service_activities where county_code = $1 and synthetic`,
    );
    const resolved = await count(
      `select count(*)::int as n from deliberation_items where county_code = $1 and step = 'resolved' and synthetic`,
    );
    expect(claimed).toBeGreaterThanOrEqual(2200);
    expect(activities).toBeGreaterThanOrEqual(2600);
    expect(resolved).toBeGreaterThanOrEqual(230);
    // Entry, stairs and parking are most of what is solved; each resolved item went through the four steps.
    const esp = await count(
      `select count(*)::int as n from deliberation_items where county_code = $1 and step = 'resolved' and topic in ('entry', 'stairs', 'parking')`,
    );
    expect(esp / resolved).toBeGreaterThan(0.5);
    expect(
      await count(`select count(*)::int as n from deliberation_steps s join deliberation_items d on d.county_code = s.county_code and d.id = s.item_id
                        where s.county_code = $1 and d.synthetic and d.step = 'resolved'`),
    ).toBe(resolved * 4);
    // Every claimer is an in-service party member of the wish's community; nothing dated in the future.
    expect(
      await count(`select count(*)::int as n from micro_wishes w join people p on p.county_code = w.county_code and p.id = w.claimed_by
                        where w.county_code = $1 and (not p.in_service or p.community_id <> w.community_id)`),
    ).toBe(0);
    expect(
      await count(
        `select count(*)::int as n from micro_wishes where county_code = $1 and (posted_at > now() or claimed_at > now() or fulfilled_at > now()
          or claimed_at < posted_at)`,
      ),
    ).toBe(0);
    // Spread over the county, not piled on one grid.
    expect(
      await count(`select count(distinct grid_id)::int as n from service_activities where county_code = $1`),
    ).toBeGreaterThan(100);
  });

  it('gives the counts per grid from the view, and their totals, to aggregate readers', async () => {
    const res = await api('GET', '/api/community-service/counts', await demoSession('leader'));
    expect(res.status).toBe(200);
    const all = await rowCounts();
    expect(res.body.totals.wishesClaimed).toBe(all.claimed);
    expect(res.body.totals.activities).toBe(all.service_activities);
    expect(res.body.totals.deliberationsResolved).toBe(all.resolved);
    expect(res.body.grids).toHaveLength(await count('select count(*)::int as n from grids where county_code = $1'));
    const community = await api(
      'GET',
      `/api/community-service/counts?area=${grids.communityId}`,
      await demoSession('leader'),
    );
    expect(community.body.grids.every((g: { communityId: string }) => g.communityId === grids.communityId)).toBe(true);
    expect(community.body.totals.activities).toBe(
      await count(`select count(*)::int as n from service_activities where county_code = $1 and community_id = $2`, [
        COUNTY,
        grids.communityId,
      ]),
    );
    expect(JSON.stringify(res.body)).not.toMatch(/claimed_?[bB]y|name/);
    expect((await api('GET', '/api/community-service/counts?area=bad id', await demoSession('leader'))).status).toBe(
      400,
    );
  });
});

describe('micro-wishes', () => {
  it('are posted by a grid worker, claimed for an in-service party member, fulfilled with a note — each with an audit row', async () => {
    const worker = await demoSession('grid_worker');
    const before = (await api('GET', `/api/community-service/counts?area=${grids.workerGrid}`, worker)).body.grids[0];
    const posted = await api('POST', '/api/micro-wishes', worker, {
      grid_id: grids.workerGrid,
      title: '帮独居老人换灯泡',
      description: '3 号楼 2 单元',
    });
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    expect(posted.body).toMatchObject({
      gridId: grids.workerGrid,
      communityId: grids.communityId,
      state: 'posted',
      claimedBy: null,
    });
    const id = posted.body.id;

    const personId = await member(grids.communityId);
    // Whom the claim can be for: the community's in-service members, masked; none from elsewhere.
    const members = await api('GET', `/api/micro-wishes/${id}/members`, await demoSession('dispatcher'));
    expect(members.status).toBe(200);
    expect(members.body.members).toHaveLength(
      await count(`select count(*)::int as n from people where county_code = $1 and community_id = $2 and in_service`, [
        COUNTY,
        grids.communityId,
      ]),
    );
    expect(members.body.members.map((m: { id: string }) => m.id)).toContain(personId);
    expect(members.body.members.every((m: { name: string }) => /^.\*+$/u.test(m.name))).toBe(true);
    expect((await api('GET', `/api/micro-wishes/${id}/members`, await demoSession('leader'))).status).toBe(403);
    const claimed = await api('POST', `/api/micro-wishes/${id}/claim`, await demoSession('dispatcher'), {
      party_member_id: personId,
    });
    expect(claimed.status, JSON.stringify(claimed.body)).toBe(200);
    expect(claimed.body.state).toBe('claimed');
    // The claimer's name is masked: never a person in full in the list or the answer.
    const name = (
      await pool.query<{ name: string }>('select name from people where county_code = $1 and id = $2', [
        COUNTY,
        personId,
      ])
    ).rows[0].name;
    expect(claimed.body.claimedBy).toBe(Array.from(name)[0] + '*'.repeat(Array.from(name).length - 1));

    const fulfilled = await api('POST', `/api/micro-wishes/${id}/fulfil`, worker, { note: '已更换，老人满意' });
    expect(fulfilled.status).toBe(200);
    expect(fulfilled.body).toMatchObject({ state: 'fulfilled', fulfilmentNote: '已更换，老人满意' });

    const { rows } = await pool.query(
      `select action from audit_log where county_code = $1 and target = $2 order by id`,
      [COUNTY, `micro_wish:${id}`],
    );
    expect(rows.map((r) => r.action)).toEqual(['micro_wish.post', 'micro_wish.claim', 'micro_wish.fulfil']);
    const after = (await api('GET', `/api/community-service/counts?area=${grids.workerGrid}`, worker)).body.grids[0];
    expect([
      after.wishesPosted - before.wishesPosted,
      after.wishesClaimed - before.wishesClaimed,
      after.wishesFulfilled - before.wishesFulfilled,
    ]).toEqual([1, 1, 1]);
  });

  it('refuses bad input, wrong states and people who are not in service, writing nothing', async () => {
    const worker = await demoSession('grid_worker');
    const dispatcher = await demoSession('dispatcher');
    const open = (await api('POST', '/api/micro-wishes', worker, { grid_id: grids.workerGrid, title: '代购药品' })).body
      .id;
    const snapshot = await rowCounts();
    const cases: [string, string, string, unknown, number][] = [
      ['no title', worker, '/api/micro-wishes', { grid_id: grids.workerGrid }, 400],
      [
        'unknown field',
        worker,
        '/api/micro-wishes',
        { grid_id: grids.workerGrid, title: 'x', state: 'fulfilled' },
        400,
      ],
      ['unknown grid', worker, '/api/micro-wishes', { grid_id: 'G999', title: 'x' }, 404],
      ['grid outside the worker', worker, '/api/micro-wishes', { grid_id: grids.communityGrid, title: 'x' }, 404],
      [
        'claim: not in service here',
        dispatcher,
        `/api/micro-wishes/${open}/claim`,
        { party_member_id: await member(grids.communityId, false) },
        422,
      ],
      ['claim: no person id', dispatcher, `/api/micro-wishes/${open}/claim`, {}, 400],
      ['fulfil a posted wish', dispatcher, `/api/micro-wishes/${open}/fulfil`, { note: 'done' }, 409],
      ['fulfil without a note', dispatcher, `/api/micro-wishes/${open}/fulfil`, { note: ' ' }, 400],
      ['bad id', dispatcher, '/api/micro-wishes/abc/claim', { party_member_id: 'P1' }, 400],
      ['no such wish', dispatcher, '/api/micro-wishes/999999999/claim', { party_member_id: 'P1' }, 404],
    ];
    for (const [what, cookie, url, body, status] of cases) {
      const res = await api('POST', url, cookie, body);
      expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBe(status);
      expect(res.body.error.message.length, what).toBeGreaterThan(5);
    }
    expect(await rowCounts()).toEqual(snapshot);
    // Claimed twice: 409.
    expect(
      (
        await api('POST', `/api/micro-wishes/${open}/claim`, dispatcher, {
          party_member_id: await member(grids.communityId),
        })
      ).status,
    ).toBe(200);
    const claimedOnce = await rowCounts();
    expect(
      (
        await api('POST', `/api/micro-wishes/${open}/claim`, dispatcher, {
          party_member_id: await member(grids.communityId),
        })
      ).status,
    ).toBe(409);
    expect(await rowCounts()).toEqual(claimedOnce);
  });

  it('keeps roles and areas: grid workers post; handlers act inside their area; lists are scoped in SQL', async () => {
    const snapshot = await rowCounts();
    expect(
      (
        await api('POST', '/api/micro-wishes', await demoSession('dispatcher'), {
          grid_id: grids.workerGrid,
          title: 'x',
        })
      ).status,
    ).toBe(403);
    expect(
      (await api('POST', '/api/micro-wishes', await demoSession('leader'), { grid_id: grids.workerGrid, title: 'x' }))
        .status,
    ).toBe(403);
    const elsewhere = (
      await pool.query<{ id: number }>(
        `select id from micro_wishes where county_code = $1 and community_id <> $2 and state = 'posted' limit 1`,
        [COUNTY, grids.communityId],
      )
    ).rows[0].id;
    const far = await member(grids.communityId, false);
    expect(
      (
        await api('POST', `/api/micro-wishes/${elsewhere}/claim`, await demoSession('dispatcher'), {
          party_member_id: far,
        })
      ).status,
    ).toBe(404);
    expect(
      (await api('POST', `/api/micro-wishes/${elsewhere}/claim`, await demoSession('leader'), { party_member_id: far }))
        .status,
    ).toBe(403);
    expect((await api('GET', `/api/micro-wishes/${elsewhere}/members`, await demoSession('dispatcher'))).status).toBe(
      404,
    );
    expect(await rowCounts()).toEqual(snapshot);

    const mine = await api('GET', '/api/micro-wishes?limit=500', await demoSession('grid_worker'));
    expect(mine.status).toBe(200);
    expect(mine.body.total).toBe(
      await count(`select count(*)::int as n from micro_wishes where county_code = $1 and grid_id = $2`, [
        COUNTY,
        grids.workerGrid,
      ]),
    );
    expect(mine.body.wishes.every((w: { gridId: string }) => w.gridId === grids.workerGrid)).toBe(true);
    const leader = await api('GET', '/api/micro-wishes?state=posted&limit=1', await demoSession('leader'));
    expect(leader.body.total).toBe(
      await count(`select count(*)::int as n from micro_wishes where county_code = $1 and state = 'posted'`),
    );
    expect((await api('GET', '/api/micro-wishes', await demoSession('reporter'))).status).toBe(403);
    expect((await api('GET', '/api/micro-wishes?state=done', await demoSession('leader'))).status).toBe(400);
  });
});

describe('service activities', () => {
  it('are logged per grid with organiser, kind and participants; bad input and other areas refused', async () => {
    const worker = await demoSession('grid_worker');
    const unit = (
      await pool.query<{ unit_id: string; name: string }>(
        `select g.unit_id, u.name from member_unit_grids g join member_units u on u.county_code = g.county_code and u.id = g.unit_id where g.county_code = $1
          and g.grid_id = $2 limit 1`,
        [COUNTY, grids.workerGrid],
      )
    ).rows[0];
    // The wall's figures, cached per stream position, are read before and must count the new activity at once.
    const leader = await demoSession('leader');
    const wallActivities = async () =>
      (await api('GET', '/api/wall/figures', leader)).body.service.activities.total as number;
    const before = await wallActivities();
    const logged = await api('POST', '/api/service-activities', worker, {
      grid_id: grids.workerGrid,
      kind: 'elderly_care',
      title: '重阳敬老',
      organiser_unit_id: unit.unit_id,
      participants: 24,
      held_on: '2026-10-29',
    });
    expect(logged.status, JSON.stringify(logged.body)).toBe(201);
    const message = 'the wall counts the new activity without waiting for its cache to expire';
    await expect.poll(wallActivities, { timeout: 3000, interval: 100, message }).toBe(before + 1);
    expect(logged.body).toMatchObject({
      organiser: unit.name,
      participants: 24,
      heldOn: '2026-10-29',
      kind: 'elderly_care',
    });
    expect(
      await count(`select count(*)::int as n from audit_log where county_code = $1 and target = $2`, [
        COUNTY,
        `service_activity:${logged.body.id}`,
      ]),
    ).toBe(1);

    const snapshot = await rowCounts();
    // A valid activity but for one thing each (the first names no organiser at all).
    const unorganised = {
      grid_id: grids.workerGrid,
      kind: 'culture',
      title: 'x',
      participants: 3,
      held_on: '2026-10-01',
    };
    const valid = { ...unorganised, organiser: 'y' };
    const bad: [unknown, number][] = [
      [unorganised, 400],
      [{ ...valid, kind: 'party' }, 400],
      [{ ...valid, participants: 0 }, 400],
      [{ ...valid, held_on: '2026-13-01' }, 400],
      [{ ...unorganised, organiser_unit_id: 'U999' }, 422],
      [{ ...valid, grid_id: grids.otherCommunityGrid }, 404],
    ];
    for (const [body, status] of bad)
      expect((await api('POST', '/api/service-activities', worker, body)).status, JSON.stringify(body)).toBe(status);
    expect((await api('POST', '/api/service-activities', await demoSession('leader'), bad[0][0])).status).toBe(403);
    expect(await rowCounts()).toEqual(snapshot);

    const list = await api('GET', '/api/service-activities?kind=elderly_care&limit=5', await demoSession('dispatcher'));
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(
      await count(
        `select count(*)::int as n from service_activities where county_code = $1 and community_id = $2 and kind = 'elderly_care'`,
        [COUNTY, grids.communityId],
      ),
    );
  });
});

describe('deliberation items', () => {
  it('go through the four steps, resolved with a resolution; out-of-order and repeated steps refused', async () => {
    const dispatcher = await demoSession('dispatcher');
    const proposed = await api('POST', '/api/deliberations', dispatcher, {
      grid_id: grids.communityGrid,
      topic: 'parking',
      title: '南门停车位划线',
      note: '支部提议',
    });
    expect(proposed.status, JSON.stringify(proposed.body)).toBe(201);
    const id = proposed.body.id;
    expect(proposed.body.steps.map((s: { step: string }) => s.step)).toEqual(['proposed']);

    const snapshot = await rowCounts();
    expect((await api('POST', `/api/deliberations/${id}/advance`, dispatcher, { resolution: '通过' })).status).toBe(
      400,
    );
    expect((await api('POST', `/api/deliberations/${id}/advance`, await demoSession('grid_worker'), {})).status).toBe(
      404,
    );
    expect(await rowCounts()).toEqual(snapshot);

    expect((await api('POST', `/api/deliberations/${id}/advance`, dispatcher, { note: '业委会讨论' })).body.step).toBe(
      'discussed',
    );
    expect(
      (await api('POST', `/api/deliberations/${id}/advance`, dispatcher, { note: '党员大会审议' })).body.step,
    ).toBe('reviewed');
    expect((await api('POST', `/api/deliberations/${id}/advance`, dispatcher, {})).status).toBe(400);
    const resolved = await api('POST', `/api/deliberations/${id}/advance`, dispatcher, {
      resolution: '划线 40 个车位',
    });
    expect(resolved.body).toMatchObject({ step: 'resolved', resolution: '划线 40 个车位' });
    expect(resolved.body.steps.map((s: { step: string }) => s.step)).toEqual([
      'proposed',
      'discussed',
      'reviewed',
      'resolved',
    ]);
    const done = await rowCounts();
    expect((await api('POST', `/api/deliberations/${id}/advance`, dispatcher, { note: 'again' })).status).toBe(409);
    expect(
      (
        await api('POST', '/api/deliberations', dispatcher, {
          grid_id: grids.communityGrid,
          topic: 'noise',
          title: 'x',
        })
      ).status,
    ).toBe(400);
    expect(await rowCounts()).toEqual(done);
    expect(
      await count(`select count(*)::int as n from audit_log where county_code = $1 and target = $2`, [
        COUNTY,
        `deliberation:${id}`,
      ]),
    ).toBe(4);

    const list = await api('GET', '/api/deliberations?step=resolved&limit=3', await demoSession('leader'));
    expect(list.body.total).toBe(done.resolved);
  });
});
