import { afterAll, describe, expect, it } from 'vitest';
import { areaCondition, resolveArea } from '../../server/db/area-scope.ts';
import { auditUnmaskedView } from '../../server/auth/audit.ts';
import { COUNTY, testPool } from '../helpers/db.ts';
import type { AreaScope } from '../../shared/roles.ts';

const pool = testPool();
afterAll(() => pool.end());

async function scopeOf(username: string): Promise<AreaScope> {
  const { rows } = await pool.query(
    `select street_id as "streetId", community_id as "communityId", grid_id as "gridId" from users where county_code = $1 and username = $2`,
    [COUNTY, username],
  );
  return rows[0];
}

async function count(sql: string, params: unknown[]): Promise<number> {
  const { rows } = await pool.query(sql, params);
  return rows[0].n;
}

describe('area scope in SQL', () => {
  it('keeps a grid worker to the people of their grid', async () => {
    const scope = await scopeOf('demo-grid-worker');
    const params: unknown[] = [COUNTY];
    const where = areaCondition(
      scope,
      { county: 'p.county_code', grid: 'p.grid_id', community: 'p.community_id' },
      params,
    );
    const scoped = await count(`select count(*)::int n from people p where p.county_code = $1 and ${where}`, params);
    expect(scoped).toBeGreaterThan(0);
    expect(scoped).toBe(
      await count('select count(*)::int n from people where county_code = $1 and grid_id = $2', [COUNTY, scope.gridId]),
    );
  });

  it('keeps a community dispatcher to the buildings of their community, reached through the grids', async () => {
    const scope = await scopeOf('demo-dispatcher');
    const params: unknown[] = [COUNTY];
    const where = areaCondition(scope, { county: 'b.county_code', grid: 'b.grid_id' }, params);
    const scoped = await count(`select count(*)::int n from buildings b where b.county_code = $1 and ${where}`, params);
    const expected = await count(
      `select count(*)::int n from buildings b join grids g on g.county_code = b.county_code and g.id = b.grid_id where b.county_code = $1
        and g.community_id = $2`,
      [COUNTY, scope.communityId],
    );
    expect(scoped).toBeGreaterThan(0);
    expect(scoped).toBe(expected);
    expect(scoped).toBeLessThan(await count('select count(*)::int n from buildings where county_code = $1', [COUNTY]));
  });

  it('keeps a street to its communities', async () => {
    const { rows } = await pool.query('select id from streets where county_code = $1 order by id limit 1', [COUNTY]);
    const params: unknown[] = [COUNTY];
    const where = areaCondition(
      { streetId: rows[0].id, communityId: null, gridId: null },
      { county: 'g.county_code', grid: 'g.id' },
      params,
    );
    const scoped = await count(`select count(*)::int n from grids g where g.county_code = $1 and ${where}`, params);
    const expected = await count(
      `select count(*)::int n from grids g join communities c on c.county_code = g.county_code and c.id = g.community_id where g.county_code = $1
        and c.street_id = $2`,
      [COUNTY, rows[0].id],
    );
    expect(scoped).toBe(expected);
  });

  it('resolves a grid to its community and street, and refuses parts that do not belong together', async () => {
    const g = await resolveArea(pool, COUNTY, { streetId: null, communityId: null, gridId: 'G001' });
    expect(g).toMatchObject({
      gridId: 'G001',
      communityId: expect.stringMatching(/^C/),
      streetId: expect.stringMatching(/^S/),
    });
    expect(await resolveArea(pool, COUNTY, { streetId: null, communityId: 'C99', gridId: null })).toBeUndefined();
    const { rows } = await pool.query(`select id from communities where county_code = $1 and id <> $2 limit 1`, [
      COUNTY,
      g!.communityId,
    ]);
    expect(
      await resolveArea(pool, COUNTY, { streetId: null, communityId: rows[0].id, gridId: 'G001' }),
    ).toBeUndefined();
  });
});

describe('the audit writer', () => {
  it('records an unmasked view with who, what and when', async () => {
    const principal = {
      kind: 'user',
      userId: 1,
      username: 'demo-dispatcher',
      role: 'dispatcher',
      scope: { streetId: null, communityId: null, gridId: null },
      sessionHash: 'x',
    } as const;
    await auditUnmaskedView(pool, COUNTY, principal, 'P00002', ['name', 'phone'], '127.0.0.1');
    const { rows } = await pool.query(
      `select actor, actor_user_id, action, target, after, at from audit_log where target = 'person:P00002' order by id desc limit 1`,
    );
    expect(rows[0]).toMatchObject({
      actor: 'demo-dispatcher',
      actor_user_id: 1,
      action: 'people.view_unmasked',
      after: { fields: ['name', 'phone'] },
    });
    expect(Date.now() - rows[0].at.getTime()).toBeLessThan(60_000);
  });
});
