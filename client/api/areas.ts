// The inspection card of one area: /api/areas/county, /api/areas/{level}/{id}.
import { ApiError, getJson, isRecord } from './http';
import { isAreaLevel, type AreaCard, type AreaLevel } from './inspect-types';

export function areaUrl(level: AreaLevel, id: string | null): string {
  return level === 'county' || !id ? '/api/areas/county' : `/api/areas/${level}/${encodeURIComponent(id)}`;
}

function isBBox(value: unknown): value is [number, number, number, number] {
  return Array.isArray(value) && value.length === 4 && value.every((n) => typeof n === 'number' && Number.isFinite(n));
}

export async function fetchArea(level: AreaLevel, id: string | null, signal?: AbortSignal): Promise<AreaCard> {
  const url = areaUrl(level, id);
  const body = await getJson(url, signal);
  if (
    !isRecord(body) ||
    !isAreaLevel(body.level) ||
    typeof body.id !== 'string' ||
    !isBBox(body.bbox) ||
    !isRecord(body.figures) ||
    !Array.isArray(body.parents)
  ) {
    throw new ApiError('invalid', url, `GET ${url}: not an area card`);
  }
  return body as unknown as AreaCard;
}

/** The server lists stations within this distance of a grid, compound or building (server/db/inspect-repo.ts). */
export const NEARBY_STATION_METRES = 300;
