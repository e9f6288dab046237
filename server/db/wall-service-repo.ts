/**
 * The wall's community-service figures from their own tables: micro-wishes claimed (by claimed_at) and service
 * activities held (by held_on, a Beijing calendar date), all time and in the last period against the one before
 * — the same periods as the issue figures. Counts only.
 */
import type { Queryable } from '../postgres/pool.ts';
import { WALL_TIME_ZONE } from './wall-period.ts';
import type { PeriodCount, ServiceFigures } from '../../shared/api/wall.ts';

export type { PeriodCount, ServiceFigures };

/** $1 county, $2 now, $3 days, $4 time zone. Activity days: the period is the $3 local days ending today. */
const SERVICE_SQL = `with bounds as (
    select $2::timestamptz as now, $2::timestamptz - make_interval(days => $3) as start,
      $2::timestamptz - make_interval(days => 2 * $3) as before,
      ($2::timestamptz at time zone $4)::date as today
  )
  select
    (select count(*) from micro_wishes, bounds b where county_code = $1 and claimed_at < b.now)::integer as wishes_total,
    (select count(*) from micro_wishes, bounds b where county_code = $1 and claimed_at >= b.start and claimed_at < b.now)::integer as wishes_recent,
    (select count(*) from micro_wishes, bounds b where county_code = $1 and claimed_at >= b.before and claimed_at < b.start)::integer as wishes_previous,
    (select count(*) from service_activities, bounds b where county_code = $1 and held_on <= b.today)::integer as activities_total,
    (select count(*) from service_activities, bounds b where county_code = $1 and held_on > b.today - $3 and held_on <= b.today)::integer as activities_recent,
    (select count(*) from service_activities, bounds b
     where county_code = $1 and held_on > b.today - 2 * $3 and held_on <= b.today - $3)::integer as activities_previous`;

/** True when the community-service tables exist in this database. */
export async function hasServiceTables(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ ok: boolean }>(
    `select to_regclass('micro_wishes') is not null and to_regclass('service_activities') is not null as ok`,
  );
  return rows[0].ok;
}

export async function queryServiceFigures(
  db: Queryable,
  countyCode: string,
  now: Date,
  days: number,
): Promise<ServiceFigures> {
  const r = (await db.query<Record<string, number>>(SERVICE_SQL, [countyCode, now, days, WALL_TIME_ZONE])).rows[0];
  return {
    wishesClaimed: { total: r.wishes_total, recent: r.wishes_recent, previousRecent: r.wishes_previous },
    activities: { total: r.activities_total, recent: r.activities_recent, previousRecent: r.activities_previous },
  };
}
