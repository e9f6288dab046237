import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoAccount, loginCookie } from '../helpers/auth.ts';
import { COUNTY, testPool } from '../helpers/db.ts';
import { snapshotGrids } from '../helpers/grid-snapshot.ts';
import { findValidMove, type ValidMove } from '../helpers/plan-moves.ts';
import type { PlanUnitsGeoJson } from '../../server/plans/validate-plan.ts';
import { createUser } from '../../server/db/users-repo.ts';
import { hashPassword } from '../../server/auth/passwords.ts';
import { BASELINE_PLAN_NAME } from '../../server/db/plan-publish-repo.ts';

// Publishing plans (/plan): a valid plan becomes the grids in one transaction (derived polygons valid, nested,
// non-overlapping; tiles and OGC items change at once), an invalid one is refused with its reasons and writes
// nothing, a stale draft gets 409 and can be rebased, published plans are history that can be restored.

const base = inject('baseUrl');
const pool = testPool();
let planner: string;
let restoreGrids: () => Promise<void>;

function call(method: string, path: string, cookie: string | undefined, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = cookie ? { cookie } : {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

async function units(): Promise<PlanUnitsGeoJson> {
  return (await call('GET', '/api/plan/units', planner)).json();
}

/** A draft from the current grids with `change` applied to its assignment, saved. */
async function draftWith(
  name: string,
  change: (assignments: Record<string, string | null>) => void,
): Promise<{ id: number; assignments: Record<string, string | null> }> {
  const created = await call('POST', '/api/plans', planner, { name });
  expect(created.status).toBe(201);
  const draft = await created.json();
  change(draft.assignments);
  expect(
    (await call('PUT', `/api/plans/${draft.id}/assignments`, planner, { assignments: draft.assignments })).status,
  ).toBe(200);
  return draft;
}

const dataVersion = async () =>
  Number((await pool.query('select version from data_versions where county_code = $1', [COUNTY])).rows[0].version);
const gridsFingerprint = async () =>
  (
    await pool.query(
      `select md5(string_agg(id || community_id || st_asbinary(geom)::text, ',' order by id)) as h from grids where county_code = $1`,
      [COUNTY],
    )
  ).rows[0].h as string;
const gridOfCompound = async (id: string) =>
  (await pool.query('select grid_id from compounds where county_code = $1 and id = $2', [COUNTY, id])).rows[0]
    .grid_id as string;

/** The z15 tile holding a compound's centre. */
async function tileOf(compound: string): Promise<string> {
  const { rows } = await pool.query<{ x: number; y: number }>(
    `select floor((st_x(p) + 180) / 360 * 32768)::int as x,
            floor((1 - ln(tan(radians(st_y(p))) + 1 / cos(radians(st_y(p)))) / pi()) / 2 * 32768)::int as y
     from (select st_centroid(geom) as p from compounds where county_code = $1 and id = $2) c`,
    [COUNTY, compound],
  );
  return `/tiles/grids/15/${rows[0].x}/${rows[0].y}.mvt`;
}

beforeAll(async () => {
  restoreGrids = await snapshotGrids(pool);
  planner = await loginCookie(demoAccount('planner'));
});
afterAll(async () => {
  await restoreGrids();
  await pool.end();
});

describe('publish', () => {
  let move: ValidMove;
  let firstPlan: number;

  it('writes a valid plan into the grids: buildings move, polygons derived valid, nested and apart; tiles and OGC change at once', async () => {
    const draft = await draftWith('publish: one move', () => undefined);
    move = findValidMove(await units(), draft.assignments)!;
    expect(move, 'a compound that can change grid with every rule holding').toBeDefined();
    draft.assignments[move.unit] = move.to;
    expect(
      (await call('PUT', `/api/plans/${draft.id}/assignments`, planner, { assignments: draft.assignments })).status,
    ).toBe(200);

    const tile = await tileOf(move.unit);
    const tileBefore = await call('GET', tile, undefined);
    const itemBefore = await (await call('GET', `/ogc/collections/grids/items/${move.to}`, undefined)).json();
    const versionBefore = await dataVersion();

    const res = await call('POST', `/api/plans/${draft.id}/publish`, planner);
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    firstPlan = draft.id;
    expect(body.dataVersion).toBe(versionBefore + 1);
    expect(body.summary).toMatchObject({
      unitsMoved: 1,
      householdsMoved: move.households,
      communities: [move.community],
      gridsCreated: [],
      gridsRetired: [],
    });
    expect(body.summary.gridsRedrawn).toContain(move.to);

    // The database: the compound and its buildings are in the new grid; people follow their building, grid staff their home.
    expect(await gridOfCompound(move.unit)).toBe(move.to);
    const { rows: moved } = await pool.query(
      `select (select count(*) from buildings where county_code = $1 and compound_id = $2 and grid_id <> $3)::int as buildings,
              (select count(*) from people p join buildings b on b.county_code = p.county_code and b.id = p.building_id
               where p.county_code = $1 and p.grid_id <> b.grid_id)::int as people,
              (select count(*) from workforce_staff w join people p on p.county_code = w.county_code and p.id = w.person_id
               where w.county_code = $1 and w.grid_id <> p.grid_id)::int as staff`,
      [COUNTY, move.unit, move.to],
    );
    expect(moved[0]).toEqual({ buildings: 0, people: 0, staff: 0 });

    // Every grid of the community: valid, within the community, no overlap, the community covered.
    const { rows: geometry } = await pool.query(
      `with g as (select * from grids where county_code = $1 and community_id = $2)
       select bool_and(st_isvalid(g.geom)) as valid,
              max(st_area(st_difference(g.geom, c.geom)::geography)) as outside,
              (select coalesce(max(st_area(st_intersection(a.geom, b.geom)::geography)), 0) from g a join g b on a.id < b.id
              and st_intersects(a.geom, b.geom)) as overlap,
              (select bool_or(st_overlaps(a.geom, b.geom) and st_area(st_intersection(a.geom, b.geom)::geography) > 0.05) from g a join g b
              on a.id < b.id) as overlaps,
              abs(st_area(st_union(g.geom)::geography) - st_area(c.geom::geography)) as uncovered,
              (select bool_and(st_covers(x.geom, q.geom) or st_area(st_difference(q.geom, x.geom)::geography) < 0.05)
               from compounds q join g x on x.id = q.grid_id) as compounds_inside
       from g join communities c on c.county_code = g.county_code and c.id = g.community_id group by c.geom`,
      [COUNTY, move.community],
    );
    expect(geometry[0].valid).toBe(true);
    expect(geometry[0].outside).toBeLessThan(0.05);
    expect(geometry[0].overlap).toBeLessThan(0.05);
    expect(geometry[0].overlaps).toBeFalsy();
    expect(geometry[0].uncovered).toBeLessThan(1);
    expect(geometry[0].compounds_inside).toBe(true);

    // Tiles: a new ETag and new content at once; OGC: the grid's item now covers the compound.
    const tileAfter = await call('GET', tile, undefined);
    expect(tileAfter.headers.get('etag')).not.toBe(tileBefore.headers.get('etag'));
    expect(Buffer.from(await tileAfter.arrayBuffer()).equals(Buffer.from(await tileBefore.arrayBuffer()))).toBe(false);
    const revalidated = await call('GET', tile, undefined, undefined);
    expect(revalidated.status).toBe(200);
    const stale = await fetch(`${base}${tile}`, { headers: { 'if-none-match': tileBefore.headers.get('etag')! } });
    expect(stale.status, 'the old ETag no longer matches').toBe(200);
    const itemAfter = await (await call('GET', `/ogc/collections/grids/items/${move.to}`, undefined)).json();
    expect(itemAfter.geometry).not.toEqual(itemBefore.geometry);
    const { rows: covers } = await pool.query(
      `select st_area(st_difference(q.geom, st_setsrid(st_geomfromgeojson($3), 4326))::geography) as outside
       from compounds q where q.county_code = $1 and q.id = $2`,
      [COUNTY, move.unit, JSON.stringify(itemAfter.geometry)],
    );
    expect(covers[0].outside).toBeLessThan(1);

    // Who and when: the plan is published history with an audit row.
    const history = await (await call('GET', '/api/plan/history', planner)).json();
    expect(history.plans[0]).toMatchObject({
      id: draft.id,
      current: true,
      publishedBy: demoAccount('planner').username,
      dataVersion: body.dataVersion,
    });
    const { rows: audit } = await pool.query(
      `select actor, before, after from audit_log where county_code = $1 and action = 'plan.publish' and target = $2`,
      [COUNTY, `plan:${draft.id}`],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0].actor).toBe(demoAccount('planner').username);
    // Before and after: the data version it replaced, the one it made and what moved.
    expect(audit[0].before).toEqual({ state: 'draft', dataVersion: expect.any(Number) });
    expect(audit[0].before.dataVersion).toBeLessThan(body.dataVersion);
    expect(audit[0].after).toMatchObject({ state: 'published', dataVersion: body.dataVersion, unitsMoved: 1 });
    // A published plan is not published twice, nor edited.
    expect((await call('POST', `/api/plans/${draft.id}/publish`, planner)).status).toBe(409);
  });

  it("refuses an invalid plan with the engine's reasons and writes nothing", async () => {
    const u = await units();
    const light = u.features
      .filter((f) => f.properties.kind === 'compound')
      .sort((a, b) => b.properties.households - a.properties.households)[0];
    const draft = await draftWith('publish: invalid', (a) => {
      // The heaviest whole compound into another community's grid: bounds and nesting break.
      const foreign = u.features.find((f) => f.properties.community_id !== light.properties.community_id)!;
      a[light.properties.id] = a[foreign.properties.id];
    });
    const [fingerprint, version] = [await gridsFingerprint(), await dataVersion()];
    const res = await call('POST', `/api/plans/${draft.id}/publish`, planner);
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.error.code).toBe('InvalidPlan');
    expect(body.error.message).toMatch(/spans groups|households/);
    const kinds = body.error.details.violations.map((v: { kind: string }) => v.kind);
    expect(kinds).toContain('grid-spans-groups');
    expect(await gridsFingerprint()).toBe(fingerprint);
    expect(await dataVersion()).toBe(version);
    expect((await (await call('GET', `/api/plans/${draft.id}`, planner)).json()).status).toBe('draft');
  });

  it('answers 409 to a draft begun before another publication; rebase keeps its moves, reports conflicts, then it publishes', async () => {
    const u = await units();
    const current = (await (await call('POST', '/api/plans', planner, { name: 'probe' })).json()).assignments;
    const first = findValidMove(u, current)!;
    const second = findValidMove(u, current, [first.community])!;
    expect(second).toBeDefined();
    const early = await draftWith('publish: early', (a) => (a[second.unit] = second.to));
    // Another draft of the same time moved the first unit elsewhere than the publication below will.
    const rival = await draftWith('publish: rival', (a) => (a[first.unit] = `${first.to}-X`));
    const winner = await draftWith('publish: winner', (a) => (a[first.unit] = first.to));
    expect((await call('POST', `/api/plans/${winner.id}/publish`, planner)).status).toBe(200);

    const version = await dataVersion();
    const stale = await call('POST', `/api/plans/${early.id}/publish`, planner);
    expect(stale.status).toBe(409);
    const staleBody = await stale.json();
    expect(staleBody.error.code).toBe('StalePlan');
    expect(staleBody.error.message).toContain('publish: winner');
    expect(staleBody.error.message).toMatch(/rebase/i);
    expect(staleBody.error.details.publishedSince.map((p: { id: number }) => p.id)).toContain(winner.id);
    expect(await dataVersion()).toBe(version);

    const rebased = await (await call('POST', `/api/plans/${early.id}/rebase`, planner)).json();
    expect(rebased).toMatchObject({ ok: true, kept: 1, conflicts: [], baseDataVersion: version });
    const after = await (await call('GET', `/api/plans/${early.id}`, planner)).json();
    expect(after.assignments[second.unit]).toBe(second.to);
    expect(after.assignments[first.unit]).toBe(first.to);
    const published = await call('POST', `/api/plans/${early.id}/publish`, planner);
    expect(published.status, JSON.stringify(await published.clone().json())).toBe(200);
    expect(await gridOfCompound(second.unit)).toBe(second.to);
    expect(await gridOfCompound(first.unit)).toBe(first.to);

    const rivalRebase = await (await call('POST', `/api/plans/${rival.id}/rebase`, planner)).json();
    expect(rivalRebase.conflicts).toEqual([{ unit: first.unit, draft: `${first.to}-X`, current: first.to }]);
  });

  it('restores an earlier plan as a new publication through the same checks', async () => {
    const history = (await (await call('GET', '/api/plan/history', planner)).json()).plans;
    const original = history.find((p: { id: number }) => p.id === firstPlan);
    expect(original.current).toBe(false);
    // The first plan had only `move`; the later ones moved two more units, which the restore puts back.
    const res = await call('POST', `/api/plans/${firstPlan}/restore`, planner);
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(201);
    expect(body.summary.unitsMoved).toBe(2);
    expect(await gridOfCompound(move.unit)).toBe(move.to);
    const now = (await (await call('GET', '/api/plan/history', planner)).json()).plans[0];
    expect(now).toMatchObject({ id: body.planId, current: true, restoredFrom: firstPlan });
    expect((await call('POST', '/api/plans/999999999/restore', planner)).status).toBe(404);

    // The oldest entry holds the grids as loaded, kept by the first publication: restoring it undoes every move.
    const plans = (await (await call('GET', '/api/plan/history', planner)).json()).plans;
    const loaded = plans.at(-1);
    expect(loaded.name).toBe(BASELINE_PLAN_NAME);
    expect(loaded.dataVersion).toBeLessThan(plans.find((p: { id: number }) => p.id === firstPlan).dataVersion);
    expect((await call('POST', `/api/plans/${loaded.id}/restore`, planner)).status).toBe(201);
    expect(await gridOfCompound(move.unit)).toBe(move.from);
    const { rows: back } = await pool.query(
      `select count(*)::int as n from buildings b join plan_baseline_assignments a on a.county_code = b.county_code and a.unit_id in (b.id, b.compound_id)
       where b.county_code = $1 and a.grid_id is distinct from b.grid_id`,
      [COUNTY],
    );
    expect(back[0].n).toBe(0);
  });

  it('creates and retires grids: a new label becomes a grid named after its community, the emptied grid goes with what pointed at it', async () => {
    const u = await units();
    const draft = await draftWith('publish: new grid', () => undefined);
    const move = findValidMove(u, draft.assignments)!;
    // Every unit of the target grid takes a new label: the old grid is emptied, a new one made.
    for (const [unit, label] of Object.entries(draft.assignments))
      if (label === move.to) draft.assignments[unit] = 'NEW-1';
    expect(
      (await call('PUT', `/api/plans/${draft.id}/assignments`, planner, { assignments: draft.assignments })).status,
    ).toBe(200);
    const serviceOf = `select 'w' || id as id from micro_wishes where county_code = $1 and grid_id = $2
                       union all select 'a' || id from service_activities where county_code = $1 and grid_id = $2
                       union all select 'd' || id from deliberation_items where county_code = $1 and grid_id = $2`;
    const service = (await pool.query<{ id: string }>(serviceOf, [COUNTY, move.to])).rows.map((r) => r.id);
    expect(service.length, 'the emptied grid has micro-wishes, activities or deliberation items').toBeGreaterThan(0);
    const res = await call('POST', `/api/plans/${draft.id}/publish`, planner);
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    const created = body.summary.newIds['NEW-1'];
    // The retired grid's service records moved to a grid of the same community.
    const { rows: moved } = await pool.query(
      `select count(*)::int as n from (
         select 'w' || t.id as id, g.community_id from micro_wishes t join grids g on g.county_code = t.county_code and g.id = t.grid_id
         where t.county_code = $1
         union all select 'a' || t.id, g.community_id from service_activities t join grids g on g.county_code = t.county_code and g.id = t.grid_id
         where t.county_code = $1
         union all select 'd' || t.id, g.community_id from deliberation_items t join grids g on g.county_code = t.county_code and g.id = t.grid_id
         where t.county_code = $1) x
       where x.id = any($2::text[]) and x.community_id = $3`,
      [COUNTY, service, move.community],
    );
    expect(moved[0].n).toBe(service.length);
    expect(body.summary.gridsCreated).toEqual([created]);
    expect(body.summary.gridsRetired).toEqual([move.to]);
    const { rows } = await pool.query(
      `select (select row_to_json(g) from (select code, name, community_id from grids where county_code = $1 and id = $2) g) as grid,
              (select count(*) from grids where county_code = $1 and id = $3)::int as retired,
              (select count(*) from issues where county_code = $1 and grid_id = $3)::int
                + (select count(*) from stations where county_code = $1 and grid_id = $3)::int
                + (select count(*) from people where county_code = $1 and grid_id = $3)::int
                + (select count(*) from member_unit_grids where county_code = $1 and grid_id = $3)::int as pointing,
              (select count(*) from issues i join grids g on g.county_code = i.county_code and g.id = i.grid_id
               where i.county_code = $1 and g.community_id = $4 and not st_covers(g.geom, i.location))::int as issues_outside`,
      [COUNTY, created, move.to, move.community],
    );
    expect(rows[0].grid.community_id).toBe(move.community);
    expect(rows[0].grid.code).toMatch(new RegExp(`^${COUNTY}-${move.community}-\\d\\d$`));
    expect(rows[0].grid.name).toMatch(/第\d+网格$/);
    expect(rows[0]).toMatchObject({ retired: 0, pointing: 0, issues_outside: 0 });
    const plan = await (await call('GET', `/api/plans/${draft.id}`, planner)).json();
    expect(Object.values(plan.assignments)).toContain(created);
  });

  it('publishes one of two drafts sent at the same moment; the other gets 409 and nothing of it is written', async () => {
    const u = await units();
    const probe = (await (await call('POST', '/api/plans', planner, { name: 'probe' })).json()).assignments;
    const a = findValidMove(u, probe)!;
    const b = findValidMove(u, probe, [a.community])!;
    const first = await draftWith('publish: race a', (x) => (x[a.unit] = a.to));
    const second = await draftWith('publish: race b', (x) => (x[b.unit] = b.to));
    const version = await dataVersion();
    const answers = await Promise.all([first, second].map((d) => call('POST', `/api/plans/${d.id}/publish`, planner)));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await dataVersion()).toBe(version + 1);
    const won = answers[0].status === 200 ? a : b;
    const lost = won === a ? b : a;
    expect(await gridOfCompound(won.unit)).toBe(won.to);
    expect(await gridOfCompound(lost.unit)).toBe(lost.from);
  });

  it('refuses a planner scoped to one community a plan that changes another community (403), and writes nothing', async () => {
    const u = await units();
    const probe = (await (await call('POST', '/api/plans', planner, { name: 'probe' })).json()).assignments;
    const move = findValidMove(u, probe)!;
    const other = u.features.find((f) => f.properties.community_id !== move.community)!.properties.community_id;
    const password = 'scoped-planner-password';
    await createUser(pool, COUNTY, {
      username: 'scoped-planner',
      passwordHash: await hashPassword(password),
      role: 'planner',
      scope: { streetId: null, communityId: other, gridId: null },
    });
    const scoped = await loginCookie({ username: 'scoped-planner', password });
    const created = await (await call('POST', '/api/plans', scoped, { name: 'publish: out of scope' })).json();
    created.assignments[move.unit] = move.to;
    expect(
      (await call('PUT', `/api/plans/${created.id}/assignments`, scoped, { assignments: created.assignments })).status,
    ).toBe(200);
    const [fingerprint, version] = [await gridsFingerprint(), await dataVersion()];
    const res = await call('POST', `/api/plans/${created.id}/publish`, scoped);
    expect(res.status).toBe(403);
    expect((await res.json()).error.details.communities).toEqual([move.community]);
    expect(await gridsFingerprint()).toBe(fingerprint);
    expect(await dataVersion()).toBe(version);
    // The same plan is the county-wide planner's to publish.
    expect((await call('POST', `/api/plans/${created.id}/publish`, planner)).status).toBe(200);
  });

  it('lets planners and admins publish; others get 403, anonymous callers 401', async () => {
    const reporter = await loginCookie(demoAccount('reporter'));
    const leader = await loginCookie(demoAccount('leader'));
    for (const [method, path] of [
      ['POST', '/api/plans/1/publish'],
      ['POST', '/api/plans/1/rebase'],
      ['POST', '/api/plans/1/restore'],
      ['GET', '/api/plan/history'],
    ]) {
      expect((await call(method, path, undefined)).status, `${method} ${path} anonymous`).toBe(401);
      expect((await call(method, path, reporter)).status, `${method} ${path} reporter`).toBe(403);
      expect((await call(method, path, leader)).status, `${method} ${path} leader`).toBe(403);
    }
    const admin = await loginCookie(demoAccount('admin'));
    expect((await call('GET', '/api/plan/history', admin)).status).toBe(200);
    expect((await call('POST', '/api/plans/abc/publish', admin)).status).toBe(400);
  });
});
