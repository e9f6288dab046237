import { describe, expect, it } from 'vitest';
import { COUNTY, testPool } from '../helpers/db.ts';
import { plannerApiForPublishing } from '../helpers/plan-api.ts';
import { findValidMove } from '../helpers/plan-moves.ts';
import type { PlanUnitsGeoJson } from '../../server/plans/validate-plan.ts';

// Locked grids live with the draft on the server: saved with the assignment, returned with the plan,
// validated at the edge; publishing keeps a locked, unchanged grid's polygon exactly while its community is redrawn.

const pool = testPool();
const { call } = plannerApiForPublishing(pool);

const lockedOf = async (id: number) =>
  (await pool.query('select locked_grids from plans where county_code = $1 and id = $2', [COUNTY, id])).rows[0]
    .locked_grids as string[];
const geometryOf = async (grid: string) =>
  (await pool.query('select md5(st_asbinary(geom)) as h from grids where county_code = $1 and id = $2', [COUNTY, grid]))
    .rows[0]?.h as string | undefined;

describe('locked grids of a draft', () => {
  it('are saved with the assignment, returned with the plan, kept when a save leaves them out, and refused when malformed', async () => {
    const draft = await (await call('POST', '/api/plans', { name: 'locks: saved' })).json();
    expect(draft.locks).toEqual([]);
    const [a, b] = [...new Set(Object.values(draft.assignments as Record<string, string>))].sort();
    expect(
      (await call('PUT', `/api/plans/${draft.id}/assignments`, { assignments: draft.assignments, locks: [b, a, b] }))
        .status,
    ).toBe(200);
    expect((await (await call('GET', `/api/plans/${draft.id}`)).json()).locks).toEqual([a, b]);

    // An autosave without locks (an older client) keeps them; an empty list clears them.
    expect((await call('PUT', `/api/plans/${draft.id}/assignments`, { assignments: draft.assignments })).status).toBe(
      200,
    );
    expect(await lockedOf(draft.id)).toEqual([a, b]);

    const bad = await call('PUT', `/api/plans/${draft.id}/assignments`, {
      assignments: draft.assignments,
      locks: ['no spaces allowed'],
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/grid label/);
    expect(await lockedOf(draft.id)).toEqual([a, b]);

    expect(
      (await call('PUT', `/api/plans/${draft.id}/assignments`, { assignments: draft.assignments, locks: [] })).status,
    ).toBe(200);
    expect((await (await call('GET', `/api/plans/${draft.id}`)).json()).locks).toEqual([]);
  });

  it('keep their polygon on publish while the rest of their community is redrawn', async () => {
    const units: PlanUnitsGeoJson = await (await call('GET', '/api/plan/units')).json();
    const draft = await (await call('POST', '/api/plans', { name: 'locks: publish' })).json();
    const assignments = draft.assignments as Record<string, string>;
    const gridsOf = new Map<string, Set<string>>();
    for (const f of units.features)
      gridsOf.set(
        f.properties.community_id,
        (gridsOf.get(f.properties.community_id) ?? new Set()).add(assignments[f.properties.id]),
      );
    const small = [...gridsOf].filter(([, grids]) => grids.size < 4).map(([community]) => community);
    const move = findValidMove(units, assignments, small)!;
    expect(move, 'a valid move in a community of four grids or more').toBeDefined();
    const others = [...gridsOf.get(move.community)!].filter((g) => g !== move.from && g !== move.to).sort();
    const [locked, free] = others;
    const before = { locked: await geometryOf(locked), free: await geometryOf(free) };

    assignments[move.unit] = move.to;
    expect((await call('PUT', `/api/plans/${draft.id}/assignments`, { assignments, locks: [locked] })).status).toBe(
      200,
    );
    const res = await call('POST', `/api/plans/${draft.id}/publish`);
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.summary.gridsRedrawn).not.toContain(locked);
    expect(body.summary.gridsRedrawn).toEqual(expect.arrayContaining([move.from, move.to, free]));
    expect(await geometryOf(locked)).toBe(before.locked);
    // The community was redrawn for real: an unlocked grid untouched by the move got a new polygon.
    expect(await geometryOf(free)).not.toBe(before.free);

    // The community is still tiled: no overlap with the kept grid, nothing of the community uncovered.
    const { rows } = await pool.query(
      `with g as (select * from grids where county_code = $1 and community_id = $2)
       select (select coalesce(max(st_area(st_intersection(a.geom, b.geom)::geography)), 0) from g a join g b on a.id < b.id
       and st_intersects(a.geom, b.geom)) as overlap,
              abs(st_area(st_union(g.geom)::geography) - st_area(c.geom::geography)) as uncovered
       from g join communities c on c.county_code = g.county_code and c.id = g.community_id group by c.geom`,
      [COUNTY, move.community],
    );
    expect(rows[0].overlap).toBeLessThan(0.05);
    expect(rows[0].uncovered).toBeLessThan(1);
  });
});
