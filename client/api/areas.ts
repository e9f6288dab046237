// The inspection card of one area: /api/areas/county, /api/areas/{level}/{id}.
import { ApiError, getJson } from './http';
import type { AreaLevel } from './inspect-types';
import { AreaCard } from '../../shared/api/inspect.ts';

export function areaUrl(level: AreaLevel, id: string | null): string {
  return level === 'county' || !id ? '/api/areas/county' : `/api/areas/${level}/${encodeURIComponent(id)}`;
}

export async function fetchArea(level: AreaLevel, id: string | null, signal?: AbortSignal): Promise<AreaCard> {
  const url = areaUrl(level, id);
  const body = await getJson(url, signal);
  if (!AreaCard.safeParse(body).success) throw new ApiError('invalid', url, `GET ${url}: not an area card`);
  return body as AreaCard;
}

/** The server lists stations within this distance of a grid, compound or building (server/db/inspect-repo.ts). */
export const NEARBY_STATION_METRES = 300;
