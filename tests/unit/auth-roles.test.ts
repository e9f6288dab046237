import { describe, expect, it } from 'vitest';
import {
  can,
  COUNTY_WIDE,
  permissionsOf,
  PERMISSIONS,
  ROLES,
  scopeProblem,
  type AreaScope,
  type Principal,
  type Role,
} from '../../shared/roles.ts';
import { lockSecondsAfter, loginDelayMs } from '../../server/auth/throttle.ts';
import { areaCondition } from '../../server/db/area-scope.ts';
import { requireArea } from '../../server/auth/area.ts';
import { HttpError } from '../../server/http-error.ts';

const user = (role: Role, scope: AreaScope = COUNTY_WIDE): Principal => ({
  kind: 'user',
  userId: 1,
  username: 'u',
  role,
  scope,
  sessionHash: 'h',
});

describe('permissions', () => {
  it('give admin everything, nobody anything when anonymous', () => {
    expect(permissionsOf(user('admin'))).toEqual(Object.keys(PERMISSIONS));
    expect(permissionsOf({ kind: 'anonymous' })).toEqual([]);
  });

  it('give a wall display aggregates and the map only', () => {
    expect(permissionsOf({ kind: 'wall', displayTokenId: 1, screen: 's' }).sort()).toEqual([
      'aggregates:read',
      'map:read',
    ]);
  });

  it('unmask people only for admin and dispatcher; let reporters not read people at all', () => {
    expect(ROLES.filter((r) => can(user(r), 'people:read-unmasked'))).toEqual(['admin', 'dispatcher']);
    expect(can(user('reporter'), 'people:read-masked')).toBe(false);
    expect(can(user('leader'), 'people:read-masked')).toBe(true);
    expect(can(user('leader'), 'plans:write')).toBe(false);
  });

  it('require a scope of dispatchers and grid workers', () => {
    expect(scopeProblem('grid_worker', { streetId: 'S01', communityId: 'C01', gridId: null })).toMatch(/grid/);
    expect(scopeProblem('dispatcher', { streetId: null, communityId: null, gridId: null })).toMatch(
      /street or a community/,
    );
    expect(scopeProblem('dispatcher', { streetId: 'S01', communityId: null, gridId: null })).toBeUndefined();
  });
});

describe('login delay', () => {
  const policy = {
    maxFailuresPerPair: 5,
    maxFailuresPerIp: 50,
    lockSeconds: 60,
    maxLockSeconds: 900,
    failureWindowSeconds: 3600,
    delayStepMs: 250,
    delayMaxMs: 4000,
    maxFailuresPerMinute: 100,
  };
  it('starts at the second failure, doubles, and is capped', () => {
    expect([0, 1, 2, 3, 4, 10].map((f) => loginDelayMs(policy, f, 0))).toEqual([0, 0, 250, 500, 1000, 4000]);
  });
  it('counts an address in proportion to its allowance', () => {
    expect(loginDelayMs(policy, 0, 19)).toBe(0);
    expect(loginDelayMs(policy, 0, 20)).toBe(250);
  });
  it('refuses from the limit on, for a time that doubles with each failure up to the cap', () => {
    expect([4, 5, 6, 7, 8, 9, 10, 1e9].map((f) => lockSecondsAfter(policy, f, 5))).toEqual([
      0, 60, 120, 240, 480, 900, 900, 900,
    ]);
  });
});

describe('area scope', () => {
  const none = COUNTY_WIDE;
  it('is no condition for county-wide accounts', () => {
    const params: unknown[] = ['640323'];
    expect(areaCondition(none, { county: 'p.county_code', grid: 'p.grid_id' }, params)).toBe('true');
    expect(params).toEqual(['640323']);
  });
  it('matches the grid of a grid worker, and excludes rows it cannot place', () => {
    const params: unknown[] = ['640323'];
    const scope = { streetId: 'S01', communityId: 'C01', gridId: 'G001' };
    expect(areaCondition(scope, { county: 'p.county_code', grid: 'p.grid_id' }, params)).toBe('p.grid_id = $2');
    expect(params).toEqual(['640323', 'G001']);
    expect(areaCondition(scope, { county: 'p.county_code', community: 'p.community_id' }, [])).toBe('false');
  });
  it('reaches a community through the grid when the row has no community column', () => {
    const params: unknown[] = [];
    const sql = areaCondition(
      { streetId: 'S01', communityId: 'C01', gridId: null },
      { county: 'b.county_code', grid: 'b.grid_id' },
      params,
    );
    expect(sql).toMatch(/scope_g\.community_id = \$1/);
    expect(params).toEqual(['C01']);
  });

  it('requireArea answers 404 for a place outside the scope', () => {
    const worker = user('grid_worker', { streetId: 'S01', communityId: 'C01', gridId: 'G001' });
    expect(() => requireArea(worker, { streetId: 'S01', communityId: 'C01', gridId: 'G001' })).not.toThrow();
    const err = (() => {
      try {
        requireArea(worker, { streetId: 'S01', communityId: 'C01', gridId: 'G002' });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).status).toBe(404);
    expect(() => requireArea(user('leader'), { streetId: 'S02', communityId: 'C09', gridId: 'G050' })).not.toThrow();
    const dispatcher = user('dispatcher', { streetId: 'S01', communityId: null, gridId: null });
    expect(() => requireArea(dispatcher, { streetId: 'S01', communityId: 'C03', gridId: null })).not.toThrow();
    expect(() => requireArea(dispatcher, { streetId: 'S02', communityId: 'C03', gridId: null })).toThrow(HttpError);
    expect(() =>
      requireArea(
        { kind: 'wall', displayTokenId: 1, screen: 's' },
        { streetId: 'S01', communityId: null, gridId: null },
      ),
    ).toThrow(HttpError);
  });
});
