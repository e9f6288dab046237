import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COUNTY, testPool } from '../helpers/db.ts';
import { api, demoGrids, freePoint, freshSession, issueRowCounts, report } from '../helpers/issues-fixtures.ts';
import { createUser } from '../../server/db/users-repo.ts';
import type { Role } from '../../shared/roles.ts';
import type { ReporterKind } from '../../shared/issue-states.ts';

/** Whom a snap report is from comes from the account that sends it (its role, a reporter's kind), never the body. */
const pool = testPool();
let grids: Awaited<ReturnType<typeof demoGrids>>;
beforeAll(async () => {
  grids = await demoGrids(pool);
});
afterAll(() => pool.end());

/** The source of the issue row, its first event and its audit row. */
async function recordedSource(id: number): Promise<string[]> {
  const { rows } = await pool.query<{ row: string; event: string; audit: string }>(
    `select i.source as row,
       (select e.fields->>'source' from issue_events e where e.county_code = i.county_code and e.issue_id = i.id
         order by e.id limit 1) as event,
       (select a.after->>'source' from audit_log a where a.county_code = i.county_code and a.action = 'issue.report'
         and a.target = 'issue:' || i.id) as audit
     from issues i where i.county_code = $1 and i.id = $2`,
    [COUNTY, id],
  );
  return [rows[0].row, rows[0].event, rows[0].audit];
}

describe('the source of a report', () => {
  const cases: [string, Role, ReporterKind | null, string][] = [
    ['a rider', 'reporter', 'rider', 'rider'],
    ['a party member', 'reporter', 'party_member', 'party_member'],
    ['a resident', 'reporter', null, 'resident'],
    ['a grid worker', 'grid_worker', null, 'grid_worker'],
  ];
  for (const [who, role, kind, source] of cases)
    it(`is ${source} when ${who} reports`, async () => {
      const scope =
        role === 'grid_worker'
          ? { streetId: null, communityId: null, gridId: grids.workerGrid }
          : { streetId: null, communityId: null, gridId: null };
      const { cookie } = await freshSession(pool, role, scope, kind);
      const issue = await report(pool, cookie, grids.workerGrid, 'street_litter');
      expect(issue.source).toBe(source);
      expect(await recordedSource(issue.id)).toEqual([source, source, source]);
    });

  it('refuses a source in the body (400, nothing written): a resident cannot report as a rider', async () => {
    const { cookie } = await freshSession(pool, 'reporter');
    const point = await freePoint(pool, grids.workerGrid, 'street_litter', true);
    const before = await issueRowCounts(pool);
    const res = await api('POST', '/api/issues', cookie, {
      category: 'street_litter',
      description: '冒充骑手',
      ...point,
      source: 'rider',
      join: false,
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error)).toMatch(/source/);
    expect(await issueRowCounts(pool)).toEqual(before);
  });

  it('lets only reporter accounts report as a rider or party member', async () => {
    const make = (role: Role, reportsAs: string) =>
      createUser(pool, COUNTY, {
        username: `t-kind-${role.replace('_', '-')}-${Date.now()}`,
        passwordHash: 'x',
        role,
        scope: { streetId: null, communityId: null, gridId: null },
        reportsAs: reportsAs as ReporterKind,
      });
    await expect(make('dispatcher', 'rider')).rejects.toThrow(/users_reports_as_role/);
    await expect(make('reporter', 'courier')).rejects.toThrow(/check constraint/);
  });
});
