import { afterAll, describe, expect, it } from 'vitest';
import { COUNTY, testPool } from '../helpers/db.ts';
import { inRolledBackTransaction } from '../../server/postgres/pool.ts';
import { checkGridGeometry } from '../../server/db/plan-grid-geometry.ts';

// The last check of a publish before commit (plan-grid-geometry.ts): sound grids pass; a grid made to overlap its
// neighbour, or to reach outside its community, is named. Each case runs in a transaction that is rolled back.

const pool = testPool();
afterAll(() => pool.end());

/** Two neighbouring grids of one community. */
async function neighbours(): Promise<{ community: string; a: string; b: string }> {
  const { rows } = await pool.query(
    `select a.community_id as community, a.id as a, b.id as b from grids a join grids b on b.county_code = a.county_code and b.community_id = a.community_id
      and a.id < b.id
     where a.county_code = $1 and st_intersects(a.geom, b.geom) order by a.id, b.id limit 1`,
    [COUNTY],
  );
  return rows[0];
}

describe('checkGridGeometry', () => {
  it('passes the grids as loaded', async () => {
    const { community } = await neighbours();
    expect(await inRolledBackTransaction(pool, (client) => checkGridGeometry(client, COUNTY, [community]))).toEqual([]);
  });

  it('names two grids that overlap, and a grid reaching outside its community', async () => {
    const { community, a, b } = await neighbours();
    const problems = await inRolledBackTransaction(pool, async (client) => {
      // a takes half of b; b reaches 50 m beyond the community.
      await client.query(
        `update grids set geom = st_multi(st_union(geom, (select st_intersection(g.geom, st_buffer(st_centroid(g.geom), sqrt(st_area(g.geom)) / 3))
          from grids g where g.county_code = $1 and g.id = $3)))
         where county_code = $1 and id = $2`,
        [COUNTY, a, b],
      );
      await client.query(
        `update grids set geom = st_multi(st_buffer(geom::geography, 50)::geometry) where county_code = $1 and id = $2`,
        [COUNTY, b],
      );
      return checkGridGeometry(client, COUNTY, [community]);
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ check: 'overlap', grid: a, other: b }),
        expect.objectContaining({ check: 'outside-community', grid: b, other: community }),
      ]),
    );
    expect(problems.find((p) => p.check === 'overlap')!.squareMetres).toBeGreaterThan(100);
  });
});
