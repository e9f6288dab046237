import type { Queryable } from '../postgres/pool.ts';
import type { GridServiceCounts, ServiceTotals } from '../../shared/api/service-work.ts';

export type { GridServiceCounts, ServiceTotals };
type Totals = ServiceTotals;

/** The grids of the area and their totals (summed in SQL). */
export async function serviceCountsPerGrid(
  db: Queryable,
  countyCode: string,
  areaId: string | null,
): Promise<{ totals: Totals; grids: GridServiceCounts[] }> {
  const { rows } = await db.query<GridServiceCounts & { totals: Totals }>(
    `select v.grid_id as "gridId", v.community_id as "communityId", v.wishes_posted as "wishesPosted", v.wishes_claimed as "wishesClaimed",
            v.wishes_fulfilled as "wishesFulfilled", v.activities, v.activity_participants as "activityParticipants",
            v.deliberations_open as "deliberationsOpen", v.deliberations_resolved as "deliberationsResolved",
            json_build_object('wishesPosted', sum(v.wishes_posted) over (), 'wishesClaimed', sum(v.wishes_claimed) over (),
              'wishesFulfilled', sum(v.wishes_fulfilled) over (), 'activities', sum(v.activities) over (),
              'activityParticipants', sum(v.activity_participants) over (), 'deliberationsOpen', sum(v.deliberations_open) over (),
              'deliberationsResolved', sum(v.deliberations_resolved) over ()) as totals
     from grid_service_counts v join communities c on c.county_code = v.county_code and c.id = v.community_id
     where v.county_code = $1 and ($2::text is null or $2 in (v.grid_id, v.community_id, c.street_id))
     order by v.grid_id`,
    [countyCode, areaId],
  );
  const zero: Totals = {
    wishesPosted: 0,
    wishesClaimed: 0,
    wishesFulfilled: 0,
    activities: 0,
    activityParticipants: 0,
    deliberationsOpen: 0,
    deliberationsResolved: 0,
  };
  return { totals: rows[0]?.totals ?? zero, grids: rows.map(({ totals: _t, ...g }) => g) };
}
