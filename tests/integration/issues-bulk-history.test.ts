import { afterAll, describe, expect, it } from 'vitest';
import { insertBulkIssues, towns } from '../../server/db/issues-bulk-history.ts';
import { COUNTY, testPool } from '../helpers/db.ts';

/**
 * The bulk year of issues of a multi-town data set, run on the county town (one town, '') inside a
 * transaction that is rolled back, so the shared test database keeps its detailed history.
 */
const pool = testPool();
afterAll(() => pool.end());

describe('bulk synthetic issue history', () => {
  it('a year of issues weighted by households, inside their compounds, with plausible states, events and ratings', async () => {
    const client = await pool.connect();
    try {
      await client.query('begin');
      expect(await towns(client, COUNTY)).toEqual(['']);
      const now = new Date();
      const before =
        (await client.query<{ n: number }>('select max(id)::int as n from issues where county_code = $1', [COUNTY]))
          .rows[0].n ?? 0;
      const counts = await insertBulkIssues(client, COUNTY, [''], 4000, now);
      // Rounded at random per compound: the total is near the quota.
      expect(counts.issues).toBeGreaterThan(3700);
      expect(counts.issues).toBeLessThan(4300);
      const { rows } = await client.query(
        `select count(*)::int as n,
                count(*) filter (where not st_covers(q.geom, i.location))::int as outside,
                count(*) filter (where i.created_at < $3::timestamptz - interval '366 days' or i.created_at > $3)::int as out_of_year,
                count(*) filter (where i.state in ('closed', 'rated'))::int as done,
                count(*) filter (where i.state in ('closed', 'rated') and i.created_at > $3::timestamptz - interval '7 days')::int as done_recent,
                count(*) filter (where i.created_at > $3::timestamptz - interval '7 days')::int as recent,
                count(*) filter (where i.closed_at < i.created_at or i.updated_at > $3)::int as bad_times,
                count(*) filter (where i.reporter_name is not null or i.reporter_phone is not null)::int as named,
                count(distinct i.category_id)::int as categories,
                count(distinct i.code)::int as codes
         from issues i join compounds q on q.county_code = i.county_code and q.id = i.compound_id
         where i.county_code = $1 and i.id > $2`,
        [COUNTY, before, now],
      );
      const r = rows[0];
      expect(r.n).toBe(counts.issues);
      expect(r.outside).toBe(0);
      expect(r.out_of_year).toBe(0);
      expect(r.bad_times).toBe(0);
      expect(r.named).toBe(0);
      expect(r.codes).toBe(r.n);
      expect(r.categories).toBeGreaterThan(10);
      // Most of the year is closed; the last week is mostly still open.
      expect(r.done / r.n).toBeGreaterThan(0.75);
      expect(r.done_recent / r.recent).toBeLessThan(0.5);
      // Weighted by households: the busiest compounds get more issues per household-less compound than none.
      const weight = await client.query(
        `select corr(q.households, coalesce(n, 0)) as r from compounds q
         left join (select compound_id, count(*) as n from issues where county_code = $1 and id > $2 group by 1) i on i.compound_id = q.id
         where q.county_code = $1`,
        [COUNTY, before],
      );
      expect(Number(weight.rows[0].r)).toBeGreaterThan(0.9);
      // Every issue has its report event, and one to its state unless still reported; ratings for the rated.
      const ev = await client.query(
        `select count(*) filter (where e.from_state is null)::int as reported, count(*) filter (where e.to_state = i.state
          and e.from_state is not null)::int as final,
                (select count(*)::int from issue_ratings r where r.county_code = $1 and r.issue_id > $2) as ratings,
                (select count(*)::int from issues where county_code = $1 and id > $2 and state = 'rated') as rated,
                (select count(*)::int from issues where county_code = $1 and id > $2 and state <> 'reported') as moved
         from issue_events e join issues i on i.county_code = e.county_code and i.id = e.issue_id where e.county_code = $1 and e.issue_id > $2`,
        [COUNTY, before],
      );
      const e = ev.rows[0];
      expect(e.reported).toBe(counts.issues);
      expect(e.final).toBe(e.moved);
      expect(counts.events).toBe(e.reported + e.final);
      expect(e.ratings).toBe(e.rated);
      expect(counts.ratings).toBe(e.rated);
    } finally {
      await client.query('rollback');
      client.release();
    }
  });
});
