// The wall is configured by its URL, so a control room sets up screens without a keyboard:
// /wall?token=…&community=C03&tour=60&lang=zh (&staleAfter=N: seconds of silence before the freshness
// indicator turns red, 120 by default — tests set it low). The token is exchanged for a cookie by the server.
import type { LocationQuery } from 'vue-router';

export interface WallSettings {
  /** Community to open on (and start the tour from); null: the whole county. */
  community: string | null;
  /** Seconds between tour steps; null: no tour. */
  tourSeconds: number | null;
  /** Seconds without a stream message before the data counts as stale. */
  staleAfterSeconds: number;
}

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
  return {
    community: community && /^[A-Za-z0-9_-]{1,40}$/.test(community) ? community : null,
    tourSeconds: Number.isFinite(tour) && tour > 0 ? Math.max(MIN_TOUR_SECONDS, Math.round(tour)) : null,
    staleAfterSeconds: Number.isFinite(stale) && stale > 0 ? stale : DEFAULT_STALE_AFTER_SECONDS,
  };
}
