import { describe, expect, it } from 'vitest';
import { COUNTY, testPool } from '../helpers/db.ts';
import { plannerApiForPublishing } from '../helpers/plan-api.ts';

// Published plans are read-only: listed with the drafts with their status and publish time; every edit
// (assignment, locks, delete, rebase, publish again) answers 409 PlanPublished and writes nothing; a copy opens as
// a new draft.

const pool = testPool();
const { call } = plannerApiForPublishing(pool);

const assignmentOf = async (id: number) =>
  (
    await pool.query(
      "select md5(string_agg(unit_id || coalesce(grid_label, '-'), ',' order by unit_id)) as h from plan_assignments where county_code = $1 and plan_id = $2",
      [COUNTY, id],
    )
  ).rows[0].h as string;

describe('published plans', () => {
  it('are listed read-only with their publish time, refuse every edit with 409, and copy into a new draft', async () => {
    const draft = await (await call('POST', '/api/plans', { name: 'read-only: published' })).json();
    const [grid] = Object.values(draft.assignments as Record<string, string>);
    expect(
      (await call('PUT', `/api/plans/${draft.id}/assignments`, { assignments: draft.assignments, locks: [grid] }))
        .status,
    ).toBe(200);
    const published = await call('POST', `/api/plans/${draft.id}/publish`);
    expect(published.status, await published.clone().text()).toBe(200);
    const { publishedAt } = await published.json();

    const listed = (await (await call('GET', '/api/plans')).json()).plans.find(
      (p: { id: number }) => p.id === draft.id,
    );
    expect(listed).toMatchObject({ status: 'published', publishedAt });
    const drafts = (await (await call('GET', '/api/plans')).json()).plans.filter(
      (p: { status: string }) => p.status === 'draft',
    );
    expect(drafts.every((p: { publishedAt: string | null }) => p.publishedAt === null)).toBe(true);

    const before = await assignmentOf(draft.id);
    const changed = { ...draft.assignments, [Object.keys(draft.assignments)[0]]: 'ELSEWHERE' };
    for (const [method, path, body] of [
      ['PUT', `/api/plans/${draft.id}/assignments`, { assignments: changed }],
      ['PUT', `/api/plans/${draft.id}/assignments`, { assignments: draft.assignments, locks: [] }],
      ['DELETE', `/api/plans/${draft.id}`, undefined],
      ['POST', `/api/plans/${draft.id}/rebase`, undefined],
      ['POST', `/api/plans/${draft.id}/publish`, undefined],
    ] as const) {
      const res = await call(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(409);
      const error = (await res.json()).error;
      expect(error.code).toBe('PlanPublished');
      expect(error.message).toMatch(/published and read-only/);
      expect(error.message).toMatch(/copy/);
    }
    expect(await assignmentOf(draft.id)).toBe(before);
    expect(
      (
        await pool.query('select locked_grids, status from plans where county_code = $1 and id = $2', [
          COUNTY,
          draft.id,
        ])
      ).rows[0],
    ).toEqual({ locked_grids: [grid], status: 'published' });

    // A copy: a new draft with the published assignment and locks, begun now, editable.
    const copy = await call('POST', '/api/plans', { name: 'read-only: copy', copyOf: draft.id });
    expect(copy.status).toBe(201);
    const copied = await copy.json();
    expect(copied).toMatchObject({ status: 'draft', name: 'read-only: copy', publishedAt: null, locks: [grid] });
    expect(copied.id).not.toBe(draft.id);
    expect(await assignmentOf(copied.id)).toBe(before);
    expect(
      (await call('PUT', `/api/plans/${copied.id}/assignments`, { assignments: copied.assignments, locks: [] })).status,
    ).toBe(200);
    expect(
      (await pool.query('select restored_from from plans where county_code = $1 and id = $2', [COUNTY, copied.id]))
        .rows[0].restored_from,
    ).toBeNull();

    expect((await call('POST', '/api/plans', { name: 'no such', copyOf: 999999999 })).status).toBe(404);
    expect((await call('POST', '/api/plans', { name: 'bad', copyOf: 'x' })).status).toBe(400);
  });
});
