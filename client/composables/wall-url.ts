// The wall is configured by its URL, so a control room sets up screens without a keyboard:
// /wall?token=…&community=C03&tour=60&lang=zh (&staleAfter=N: seconds of silence before the freshness
// indicator turns red, 120 by default — tests set it low). The token is exchanged for a cookie by the server.
// The map: &metric=issues|overdue|party colours the grids, &view=3d raises the compounds by households,
// &playback=N replays the last 30 days on the heat map every N minutes.
import type { LocationQuery } from 'vue-router';
import type { WallMetric } from '../api/wall-types';

export interface WallSettings {
  /** Community to open on (and start the tour from); null: the whole county. */
  community: string | null;
  /** Seconds between tour steps; null: no tour. */
  tourSeconds: number | null;
  /** Seconds without a stream message before the data counts as stale. */
  staleAfterSeconds: number;
  /** Grid choropleth; null: compounds by type. */
  metric: WallMetric | null;
  /** Compounds extruded by households. */
  view3d: boolean;
  /** Minutes between automatic replays of the 30 days; null: only when someone presses play. */
  playbackMinutes: number | null;
}

/** Short names a control room types in the URL. */
const METRIC_NAMES: Record<string, WallMetric> = {
  issues: 'issuesPer100Households',
  issuesPer100Households: 'issuesPer100Households',
  overdue: 'overdue',
  party: 'partyMembersPer100Households',
  partyMembersPer100Households: 'partyMembersPer100Households',
};

export const DEFAULT_STALE_AFTER_SECONDS = 120;
const MIN_TOUR_SECONDS = 5;

function single(value: LocationQuery[string]): string | null {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' && v !== '' ? v : null;
}

export function parseWallQuery(query: LocationQuery): WallSettings {
  const community = single(query.community);
  const tour = Number(single(query.tour));
  const stale = Number(single(query.staleAfter));
  const playback = Number(single(query.playback));
  const metric = single(query.metric);
  return {
    community: community && /^[A-Za-z0-9_-]{1,40}$/.test(community) ? community : null,
    tourSeconds: Number.isFinite(tour) && tour > 0 ? Math.max(MIN_TOUR_SECONDS, Math.round(tour)) : null,
    staleAfterSeconds: Number.isFinite(stale) && stale > 0 ? stale : DEFAULT_STALE_AFTER_SECONDS,
    metric: metric && Object.hasOwn(METRIC_NAMES, metric) ? METRIC_NAMES[metric] : null,
    view3d: single(query.view) === '3d',
    playbackMinutes: Number.isFinite(playback) && playback > 0 ? playback : null,
  };
}
