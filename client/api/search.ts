// Place search by name, code or pinyin initials: /api/search?q=…
import { ApiError, getJson, isRecord } from './http';
import { SearchHit } from '../../shared/api/inspect.ts';

export const SEARCH_MAX_LENGTH = 50;

export async function searchPlaces(q: string, limit: number, signal?: AbortSignal): Promise<SearchHit[]> {
  const url = `/api/search?q=${encodeURIComponent(q)}&limit=${limit}`;
  const body = await getJson(url, signal);
  if (!isRecord(body) || !Array.isArray(body.results))
    throw new ApiError('invalid', url, `GET ${url}: no results array`);
  return body.results.filter((r): r is SearchHit => SearchHit.safeParse(r).success);
}
