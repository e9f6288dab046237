// Station coverage: compounds farther than N metres from every station, households covered per grid.
import { ApiError, getJson } from './http';
import { Coverage } from '../../shared/api/inspect.ts';

export const COVERAGE_DISTANCES = [100, 200, 300, 500, 1000] as const;
export const DEFAULT_COVERAGE_DISTANCE = 500;

export async function fetchCoverage(distanceM: number, signal?: AbortSignal): Promise<Coverage> {
  const url = `/api/coverage?distance=${distanceM}`;
  const body = await getJson(url, signal);
  if (!Coverage.safeParse(body).success) throw new ApiError('invalid', url, `GET ${url}: not a coverage result`);
  return body as Coverage;
}
