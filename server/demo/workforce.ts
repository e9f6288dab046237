/**
 * The allowance table (every database, like the issue categories) and, outside production, the synthetic
 * workforce (示例数据) on the people of the demo data set (server/community/workforce.ts DEMO_WORKFORCE). In
 * SQL with deterministic hashes, so every database gets the same staff, levels, hiring dates and mentors.
 */
import type { Pool, Queryable } from '../postgres/pool.ts';
import { inTransaction } from '../postgres/pool.ts';
import type { Config } from '../config.ts';
import { LEVELS, RANK_CLASSES } from '../../shared/workforce.ts';
import { DEFAULT_ALLOWANCE, DEMO_WORKFORCE } from '../community/workforce.ts';
import { demoHistoryAllowed } from './synthetic-county.ts';

type Progress = (line: string) => void;

/** The 3 × 18 allowances at their defaults, where missing (an admin's edits stay). */
async function seedAllowances(db: Queryable, countyCode: string): Promise<void> {
  await db.query(
    `insert into workforce_allowances (county_code, rank_class, level, monthly_yuan)
     select $1, c.rank_class, l.level, ($2::jsonb ->> c.rank_class)::int + $3::int * (l.level - 1)
     from unnest($4::text[]) as c(rank_class), generate_series(1, $5::int) as l(level)
     on conflict do nothing`,
    [countyCode, JSON.stringify(DEFAULT_ALLOWANCE.base), DEFAULT_ALLOWANCE.step, RANK_CLASSES, LEVELS],
  );
}

/**
 * Full-time: the community staff of the register. Per community the oldest is the secretary (head), the next
 * ones the deputies and committee members, the rest full-time grid workers; the youngest few are the new
 * workers (hired this year). Levels follow seniority within each class, spread evenly around the centre level.
 */
async function insertFullTime(db: Queryable, countyCode: string): Promise<void> {
  const d = DEMO_WORKFORCE;
  await db.query(
    `with s as (
       select p.id, p.community_id, p.grid_id, p.birth_year, abs(hashtext('staff:' || p.id)) as h,
              row_number() over (partition by p.community_id order by p.birth_year, p.id) as senior,
              row_number() over (partition by p.community_id order by p.birth_year desc, p.id desc) as junior,
              dense_rank() over (order by p.community_id) as community_no,
              (select count(distinct q.community_id) from people q where q.county_code = $1 and 'community_staff' = any(q.roles)) as communities
       from people p where p.county_code = $1 and 'community_staff' = any(p.roles)
     ),
     posted as (
       select s.*,
              case when senior = 1 then 'secretary' when senior = 2 then 'deputy_secretary'
                   when senior <= 1 + $2::int then 'deputy_director'
                   when senior <= 1 + $2::int + $3::int then 'committee_member' else 'grid_worker' end as post,
              junior <= $4::int / communities + (community_no <= $4::int % communities)::int as new_worker
       from s
     ),
     hired as (
       select posted.*,
              case when senior = 1 then 'head' when senior <= 1 + $2::int then 'deputy' else 'member' end as rank_class,
              case when new_worker then current_date - (30 + h % 300)::int
                   else make_date(least(greatest(birth_year + 21 + (h / 7) % 14, 1996),
                                        extract(year from current_date)::int - 4),
                                  1 + h % 12, 1 + h % 28) end as hired_on
       from posted
     ),
     ranked as (
       select hired.*, (row_number() over (partition by rank_class order by hired_on, id) - 1)::numeric as r,
              count(*) over (partition by rank_class) as n
       from hired
     )
     insert into workforce_staff (county_code, person_id, community_id, grid_id, team, post, rank_class, level, hired_on, synthetic)
     select $1, id, community_id, grid_id, 'full_time', post, rank_class,
            $5::int + case when n = 1 then 0 else (sign((n - 1) / 2.0 - r) * ceil(($5::int - 2) * abs((n - 1) / 2.0 - r) / ((n - 1) / 2.0)))::int end,
            hired_on, true
     from ranked order by id`,
    [countyCode, d.deputiesPerCommunity, d.committeeMembersPerCommunity, d.newWorkers, d.centreLevel],
  );
}

/** Part-time: the riders serving as grid workers, and a few retired party members (退出“两委”的老干部) per community. */
async function insertPartTime(db: Queryable, countyCode: string): Promise<void> {
  await db.query(
    `insert into workforce_staff (county_code, person_id, community_id, grid_id, team, post, hired_on, synthetic)
     select $1, p.id, p.community_id, p.grid_id, 'part_time', 'rider_worker', current_date - (60 + abs(hashtext('rider:' || p.id)) % 900)::int, true
     from people p where p.county_code = $1 and 'rider_worker' = any(p.roles) and p.community_id is not null`,
    [countyCode],
  );
  await db.query(
    `with retired as (
       select p.id, p.community_id, p.grid_id, row_number() over (partition by p.community_id order by p.birth_year desc, p.id) as k
       from people p
       where p.county_code = $1 and p.party_member and p.roles = '{party_member}' and not p.in_service and not p.red_steward
         and p.birth_year <= extract(year from current_date)::int - 64 and p.community_id is not null
     )
     insert into workforce_staff (county_code, person_id, community_id, grid_id, team, post, hired_on, synthetic)
     select $1, id, community_id, grid_id, 'part_time', 'retired_cadre', current_date - (200 + abs(hashtext('retired:' || id)) % 700)::int, true
     from retired where k <= $2::int`,
    [countyCode, DEMO_WORKFORCE.retiredCadresPerCommunity],
  );
}

async function insertAuxiliary(db: Queryable, countyCode: string): Promise<void> {
  await db.query(
    `insert into workforce_staff (county_code, person_id, community_id, grid_id, team, post, yearly_subsidy, hired_on, synthetic)
     select $1, p.id, p.community_id, p.grid_id, 'auxiliary', 'auxiliary_worker', $2::int, current_date - (30 + abs(hashtext('aux:' || p.id)) % 1500)::int, true
     from people p where p.county_code = $1 and 'auxiliary_worker' = any(p.roles) and p.community_id is not null`,
    [countyCode, DEMO_WORKFORCE.auxiliarySubsidy],
  );
}

/** Per community its first committee member mentors the community's new workers (hired less than a year ago). */
async function insertMentorships(db: Queryable, countyCode: string): Promise<void> {
  await db.query(
    `with mentor as (
       select distinct on (community_id) community_id, person_id from workforce_staff
       where county_code = $1 and post = 'committee_member' order by community_id, hired_on, person_id
     )
     insert into workforce_mentorships (county_code, mentee_id, mentor_id, since, synthetic)
     select $1, w.person_id, m.person_id, w.hired_on, true
     from workforce_staff w join mentor m on m.community_id = w.community_id
     where w.county_code = $1 and w.team = 'full_time' and w.hired_on > current_date - 365`,
    [countyCode],
  );
}

/** The allowance table everywhere; outside production, on demo people with no workforce yet, the synthetic one. */
export async function prepareWorkforce(pool: Pool, config: Config, progress: Progress): Promise<void> {
  const countyCode = config.countyCode;
  await seedAllowances(pool, countyCode);
  if (!(await demoHistoryAllowed(pool, config))) return;
  const { rowCount } = await pool.query(
    `select 1 where exists (select 1 from people where county_code = $1 and 'community_staff' = any(roles))
       and not exists (select 1 from workforce_staff where county_code = $1)`,
    [countyCode],
  );
  if (!rowCount) return;
  const started = Date.now();
  const counts = await inTransaction(pool, async (db) => {
    await insertFullTime(db, countyCode);
    await insertPartTime(db, countyCode);
    await insertAuxiliary(db, countyCode);
    await insertMentorships(db, countyCode);
    const { rows } = await db.query<{ team: string; n: number }>(
      `select team, count(*)::int as n from workforce_staff where county_code = $1 group by team order by team`,
      [countyCode],
    );
    return rows.map((r) => `${r.n} ${r.team.replace('_', '-')}`).join(', ');
  });
  progress(`  community workforce (synthetic): ${counts} (${Date.now() - started} ms)`);
}
