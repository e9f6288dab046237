import { beforeAll, describe, expect, it } from 'vitest';
import { COUNTY, testPool } from '../helpers/db.ts';
import { plannerApiForPublishing } from '../helpers/plan-api.ts';
import type { PlanUnitsGeoJson } from '../../server/plans/validate-plan.ts';

// Publishing a draft in which the planner split a compound of ≤ 500 households into its buildings: with
// every building in one grid the compound is whole again and the plan publishes; spread over grids, the publish
// is refused with a 422 that names the compound, and nothing is written.

const pool = testPool();
const { call } = plannerApiForPublishing(pool);
let units: PlanUnitsGeoJson & { compoundBuildings: PlanUnitsGeoJson['features'] };

/** A light compound of several buildings in a community with another grid, and that other grid. */
function splittable(assignments: Record<string, string | null>): {
  compound: string;
  buildings: string[];
  grid: string;
  other: string;
} {
  const buildingsOf = new Map<string, string[]>();
  for (const b of units.compoundBuildings)
    buildingsOf.set(b.properties.compound_id, [...(buildingsOf.get(b.properties.compound_id) ?? []), b.properties.id]);
  for (const f of units.features) {
    const buildings = buildingsOf.get(f.properties.id) ?? [];
    if (f.properties.kind !== 'compound' || buildings.length < 2 || f.properties.households === 0) continue;
    const grid = assignments[f.properties.id]!;
    const other = units.features.find(
      (g) => g.properties.community_id === f.properties.community_id && assignments[g.properties.id] !== grid,
    );
    if (other)
      return { compound: f.properties.id, buildings: buildings.sort(), grid, other: assignments[other.properties.id]! };
  }
  throw new Error('no light compound of several buildings');
}

/** A draft splitting that compound: its first building in the other grid when `spread`, the rest in its own grid. */
async function draftSplitting(
  name: string,
  spread: boolean,
): Promise<{ id: number; compound: string; grid: string; other: string }> {
  const draft = await (await call('POST', '/api/plans', { name })).json();
  const pick = splittable(draft.assignments);
  delete draft.assignments[pick.compound];
  pick.buildings.forEach((b, i) => (draft.assignments[b] = spread && i === 0 ? pick.other : pick.grid));
  const saved = await call('PUT', `/api/plans/${draft.id}/assignments`, { assignments: draft.assignments });
  expect(saved.status, await saved.clone().text()).toBe(200);
  return { id: draft.id, ...pick };
}

const dataVersion = async () =>
  Number((await pool.query('select version from data_versions where county_code = $1', [COUNTY])).rows[0].version);

beforeAll(async () => {
  units = await (await call('GET', '/api/plan/units')).json();
});

describe('publishing a draft with a compound split into its buildings', () => {
  it('refuses it with a 422 naming the compound when its buildings lie in several grids, and writes nothing', async () => {
    const draft = await draftSplitting('split: spread', true);
    const version = await dataVersion();
    const res = await call('POST', `/api/plans/${draft.id}/publish`);
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(422);
    expect(body.error.code).toBe('InvalidPlan');
    expect(body.error.message).toContain(`compound ${draft.compound}`);
    expect(body.error.message).toMatch(/merge it back/);
    const violation = body.error.details.violations.find((v: { kind: string }) => v.kind === 'parent-split');
    expect(violation).toMatchObject({ parent: draft.compound });
    expect(violation.message).toContain([draft.grid, draft.other].sort().join(', '));
    expect(await dataVersion()).toBe(version);
    const stored = await (await call('GET', `/api/plans/${draft.id}`)).json();
    expect(stored.status).toBe('draft');
    expect(stored.assignments[draft.compound]).toBeUndefined();
  });

  it('publishes it as the whole compound when every building lies in one grid', async () => {
    // Every building in the compound's own grid: the split changes nothing.
    const draft = await draftSplitting('split: one grid', false);
    const res = await call('POST', `/api/plans/${draft.id}/publish`);
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.summary.unitsMoved).toBe(0);
    const published = await (await call('GET', `/api/plans/${draft.id}`)).json();
    expect(published.status).toBe('published');
    expect(published.assignments[draft.compound]).toBe(draft.grid);
    expect(
      Object.keys(published.assignments).filter((id) => units.compoundBuildings.some((b) => b.properties.id === id)),
    ).toEqual([]);
    const { rows } = await pool.query('select grid_id from compounds where county_code = $1 and id = $2', [
      COUNTY,
      draft.compound,
    ]);
    expect(rows[0].grid_id).toBe(draft.grid);
  });
});
