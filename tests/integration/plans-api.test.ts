import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { demoAccount, loginCookie } from '../helpers/auth.ts';
import { COUNTY, testPool } from '../helpers/db.ts';

// The planner's API (/plan): units as the database has them, drafts CRUD, validation, roles, one transaction.

interface UnitProps {
  id: string;
  kind: 'compound' | 'building';
  households: number;
  community_id: string;
  compound_id: string;
  grid_id: string;
}
type Units = FeatureCollection<Polygon | MultiPolygon, UnitProps> & {
  parents: Record<string, MultiPolygon>;
  compoundBuildings: FeatureCollection<Polygon | MultiPolygon, UnitProps>['features'];
};

const base = inject('baseUrl');
const pool = testPool();
let planner: string;
let reporter: string;
let units: Units;

function call(method: string, path: string, cookie: string | undefined, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = cookie ? { cookie } : {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

async function createDraft(name: string): Promise<{ id: number; assignments: Record<string, string | null> }> {
  const res = await call('POST', '/api/plans', planner, { name });
  expect(res.status).toBe(201);
  return res.json();
}

beforeAll(async () => {
  planner = await loginCookie(demoAccount('planner'));
  reporter = await loginCookie(demoAccount('reporter'));
  const res = await call('GET', '/api/plan/units', planner);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/application\/geo\+json/);
  units = await res.json();
});
afterAll(() => pool.end());

describe('GET /api/plan/units', () => {
  it('holds the compounds of ≤ 500 households and the buildings of heavier ones, as the database has them', async () => {
    const { rows: light } = await pool.query(
      'select id, households, community_id, grid_id from compounds where county_code = $1 and households <= 500 order by id',
      [COUNTY],
    );
    const { rows: split } = await pool.query(
      `select b.id, b.households, c.community_id, b.compound_id, b.grid_id from buildings b
       join compounds c on c.county_code = b.county_code and c.id = b.compound_id
       where b.county_code = $1 and c.households > 500 order by b.id`,
      [COUNTY],
    );
    const byId = new Map(units.features.map((f) => [f.properties.id, f]));
    expect(units.features).toHaveLength(light.length + split.length);
    for (const row of light) {
      const f = byId.get(row.id)!;
      expect(f.properties).toMatchObject({
        kind: 'compound',
        households: row.households,
        community_id: row.community_id,
        compound_id: row.id,
      });
      if (row.grid_id) expect(f.properties.grid_id).toBe(row.grid_id);
      expect(f.properties.grid_id).toMatch(/^G\d+$/);
      expect(['Polygon', 'MultiPolygon']).toContain(f.geometry.type);
    }
    for (const row of split) {
      expect(byId.get(row.id)!.properties).toMatchObject({
        kind: 'building',
        households: row.households,
        community_id: row.community_id,
        compound_id: row.compound_id,
        grid_id: row.grid_id,
      });
    }
    const { rows: heavy } = await pool.query(
      'select id from compounds where county_code = $1 and households > 500 order by id',
      [COUNTY],
    );
    expect(Object.keys(units.parents).sort()).toEqual(heavy.map((r) => r.id));
    // Every household of the county is in exactly one unit.
    const { rows: total } = await pool.query('select sum(households)::int as n from buildings where county_code = $1', [
      COUNTY,
    ]);
    expect(units.features.reduce((sum, f) => sum + f.properties.households, 0)).toBe(total[0].n);
  });

  it("splits the compounds heavier than the county's own max households (its counties row) into buildings", async () => {
    const heaviest = units.features
      .filter((f) => f.properties.kind === 'compound')
      .reduce((a, b) => (b.properties.households > a.properties.households ? b : a));
    const { rows: bounds } = await pool.query(
      'select min_households, max_households from counties where county_code = $1',
      [COUNTY],
    );
    const lowered = heaviest.properties.households - 1;
    await pool.query('update counties set min_households = 1, max_households = $2 where county_code = $1', [
      COUNTY,
      lowered,
    ]);
    try {
      const now: Units = await (await call('GET', '/api/plan/units', planner)).json();
      const ids = new Set(now.features.map((f) => f.properties.id));
      expect(ids.has(heaviest.properties.id)).toBe(false);
      expect(Object.keys(now.parents)).toContain(heaviest.properties.id);
      const buildings = now.features.filter((f) => f.properties.compound_id === heaviest.properties.id);
      expect(buildings.length).toBeGreaterThan(0);
      expect(buildings.every((f) => f.properties.kind === 'building')).toBe(true);
      expect(buildings.reduce((sum, f) => sum + f.properties.households, 0)).toBe(heaviest.properties.households);
      expect(now.features.every((f) => f.properties.kind === 'building' || f.properties.households <= lowered)).toBe(
        true,
      );
    } finally {
      await pool.query('update counties set min_households = $2, max_households = $3 where county_code = $1', [
        COUNTY,
        bounds[0].min_households,
        bounds[0].max_households,
      ]);
    }
  });
});

describe('drafts', () => {
  it('are created from the current grids, listed, read and deleted', async () => {
    const draft = await createDraft('  plans-api draft  ');
    expect(draft).toMatchObject({
      name: 'plans-api draft',
      author: demoAccount('planner').username,
      status: 'draft',
      units: units.features.length,
    });
    for (const f of units.features) expect(draft.assignments[f.properties.id]).toBe(f.properties.grid_id);
    const { rows: grids } = await pool.query('select count(*)::int as n from grids where county_code = $1', [COUNTY]);
    expect((draft as unknown as { grids: number }).grids).toBe(grids[0].n);

    const list = await (await call('GET', '/api/plans', planner)).json();
    expect(list.plans.map((p: { id: number }) => p.id)).toContain(draft.id);
    expect((await call('GET', `/api/plans/${draft.id}`, planner)).status).toBe(200);

    expect((await call('DELETE', `/api/plans/${draft.id}`, planner)).status).toBe(204);
    expect((await call('GET', `/api/plans/${draft.id}`, planner)).status).toBe(404);
    expect((await call('DELETE', `/api/plans/${draft.id}`, planner)).status).toBe(404);
    const { rows } = await pool.query(
      'select count(*)::int as n from plan_assignments where county_code = $1 and plan_id = $2',
      [COUNTY, draft.id],
    );
    expect(rows[0].n).toBe(0);
  });

  it('save a whole assignment', async () => {
    const draft = await createDraft('plans-api save');
    const [first, second] = units.features.filter(
      (f) => f.properties.kind === 'compound' && f.properties.grid_id !== units.features[0].properties.grid_id,
    );
    const assignments = {
      ...draft.assignments,
      [first.properties.id]: second.properties.grid_id,
      [second.properties.id]: 'N001',
    };
    const res = await call('PUT', `/api/plans/${draft.id}/assignments`, planner, { assignments });
    expect(res.status).toBe(200);
    const saved = await (await call('GET', `/api/plans/${draft.id}`, planner)).json();
    expect(saved.assignments).toEqual(assignments);
    await call('DELETE', `/api/plans/${draft.id}`, planner);
  });

  it('write an audit row for each creation, copy, change and deletion — none for a save that changes nothing', async () => {
    const rowsOf = async (id: number) =>
      (
        await pool.query(
          `select action, actor, before, after from audit_log where county_code = $1 and target = $2 order by id`,
          [COUNTY, `plan:${id}`],
        )
      ).rows;
    const draft = await createDraft('plans-api audit');
    const [first, second] = units.features.filter((f) => f.properties.kind === 'compound');
    const from = draft.assignments[first.properties.id];
    const moved = { ...draft.assignments, [first.properties.id]: 'N009' };
    expect(
      (
        await call('PUT', `/api/plans/${draft.id}/assignments`, planner, {
          assignments: moved,
          locks: [second.properties.grid_id],
        })
      ).status,
    ).toBe(200);
    expect((await call('PUT', `/api/plans/${draft.id}/assignments`, planner, { assignments: moved })).status).toBe(200);
    const copy = await call('POST', '/api/plans', planner, { name: 'plans-api audit copy', copyOf: draft.id });
    expect(copy.status).toBe(201);
    const copyId = (await copy.json()).id as number;
    expect((await call('DELETE', `/api/plans/${draft.id}`, planner)).status).toBe(204);

    const planner_ = demoAccount('planner').username;
    expect(await rowsOf(draft.id)).toEqual([
      { action: 'plan.create', actor: planner_, before: null, after: { name: 'plans-api audit', copyOf: null } },
      {
        action: 'plan.save',
        actor: planner_,
        before: null,
        after: {
          moved: { [first.properties.id]: [from, 'N009'] },
          locks: { before: [], after: [second.properties.grid_id] },
        },
      },
      {
        action: 'plan.delete',
        actor: planner_,
        before: { name: 'plans-api audit', units: units.features.length },
        after: null,
      },
    ]);
    expect(await rowsOf(copyId)).toEqual([
      {
        action: 'plan.create',
        actor: planner_,
        before: null,
        after: { name: 'plans-api audit copy', copyOf: draft.id },
      },
    ]);
    await call('DELETE', `/api/plans/${copyId}`, planner);
  });
});

describe('compounds split by the planner', () => {
  it('are served with their buildings, and saved by all their buildings instead of the compound — never partly', async () => {
    const { rows: buildings } = await pool.query(
      `select b.id, b.households, c.community_id, b.compound_id, b.grid_id from buildings b
       join compounds c on c.county_code = b.county_code and c.id = b.compound_id
       where b.county_code = $1 and c.households <= 500 order by b.id`,
      [COUNTY],
    );
    expect(units.compoundBuildings.map((f) => f.properties)).toEqual(
      buildings.map((b) => ({ ...b, kind: 'building' })),
    );

    const draft = await createDraft('plans-api split');
    const put = (assignments: Record<string, string | null>) =>
      call('PUT', `/api/plans/${draft.id}/assignments`, planner, { assignments });
    const compound = units.features.find(
      (f) =>
        f.properties.kind === 'compound' &&
        units.compoundBuildings.filter((b) => b.properties.compound_id === f.properties.id).length >= 2,
    )!;
    const own = units.compoundBuildings
      .filter((b) => b.properties.compound_id === compound.properties.id)
      .map((b) => b.properties.id);
    const { [compound.properties.id]: label, ...rest } = draft.assignments;
    const split = { ...rest, ...Object.fromEntries(own.map((id, i) => [id, i === 0 ? 'N001' : label])) };
    expect((await put(split)).status).toBe(200);
    expect((await (await call('GET', `/api/plans/${draft.id}`, planner)).json()).assignments).toEqual(split);

    // Part of the buildings only, or the compound together with its buildings: refused, nothing changes.
    const { [own[1]]: _one, ...partly } = split;
    const partial = await put(partly);
    expect(partial.status).toBe(400);
    expect((await partial.json()).error.details.missing).toEqual([own[1]]);
    const both = await put({ ...split, [compound.properties.id]: label });
    expect(both.status).toBe(400);
    expect((await both.json()).error.details.unknown).toEqual([compound.properties.id]);
    expect((await (await call('GET', `/api/plans/${draft.id}`, planner)).json()).assignments).toEqual(split);

    // Merged back.
    expect((await put(draft.assignments)).status).toBe(200);
    await call('DELETE', `/api/plans/${draft.id}`, planner);
  });
});

describe('validation', () => {
  it('refuses bad names, bad ids, bad labels, unknown and missing units with 400 — and changes nothing', async () => {
    for (const body of [{}, { name: '' }, { name: 'x'.repeat(101) }, { name: 'ok', extra: 1 }]) {
      expect((await call('POST', '/api/plans', planner, body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await call('GET', '/api/plans/abc', planner)).status).toBe(400);
    const draft = await createDraft('plans-api validation');
    const put = (body: unknown) => call('PUT', `/api/plans/${draft.id}/assignments`, planner, body);
    const someUnit = units.features[0].properties.id;
    expect((await put({})).status).toBe(400);
    expect((await put({ assignments: { ...draft.assignments, [someUnit]: 'bad label!' } })).status).toBe(400);
    expect((await put({ assignments: { ...draft.assignments, [someUnit]: 7 } })).status).toBe(400);
    // Unknown unit: the whole request is refused in its transaction, nothing of it is kept.
    const unknown = await put({ assignments: { ...draft.assignments, [someUnit]: 'N999', Q9999: 'G001' } });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error.details.unknown).toEqual(['Q9999']);
    const { [someUnit]: _dropped, ...partial } = draft.assignments;
    const missing = await put({ assignments: { ...partial } });
    expect(missing.status).toBe(400);
    expect((await missing.json()).error.details.missing).toEqual([someUnit]);
    const after = await (await call('GET', `/api/plans/${draft.id}`, planner)).json();
    expect(after.assignments).toEqual(draft.assignments);
    expect(
      (await call('PUT', '/api/plans/999999999/assignments', planner, { assignments: draft.assignments })).status,
    ).toBe(404);
    await call('DELETE', `/api/plans/${draft.id}`, planner);
  });
});

describe('roles', () => {
  it('let planners and admins in; others get 403, anonymous callers 401', async () => {
    const admin = await loginCookie(demoAccount('admin'));
    expect((await call('GET', '/api/plans', admin)).status).toBe(200);
    for (const [method, path, body] of [
      ['GET', '/api/plan/units'],
      ['GET', '/api/plans'],
      ['POST', '/api/plans', { name: 'nope' }],
      ['DELETE', '/api/plans/1'],
    ] as [string, string, unknown?][]) {
      expect((await call(method, path, undefined, body)).status, `${method} ${path} anonymous`).toBe(401);
      expect((await call(method, path, reporter, body)).status, `${method} ${path} reporter`).toBe(403);
    }
    const { rows } = await pool.query(`select count(*)::int as n from plans where county_code = $1 and name = 'nope'`, [
      COUNTY,
    ]);
    expect(rows[0].n).toBe(0);
  });
});
