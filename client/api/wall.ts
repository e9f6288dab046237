// The wall's answers (computed in SQL on the server, counts only; no person in any): its figures, the issue
// positions of the heat and the playback, and the grid metrics of the choropleth.
import { ApiError, getJson, isRecord } from './http';
import type { WallFigures, WallGridMetrics, WallIssuePoints } from './wall-types';

export const WALL_FIGURES_URL = '/api/wall/figures';
export const WALL_ISSUE_POINTS_URL = '/api/wall/issue-points';
export const WALL_GRID_METRICS_URL = '/api/wall/grid-metrics';

/** GET `url`; an answer without the fields the wall reads first is `invalid` (the rest is typed, not parsed). */
async function getWallAnswer<T>(
  url: string,
  what: string,
  looksRight: (body: Record<string, unknown>) => boolean,
  signal?: AbortSignal,
): Promise<T> {
  const body = await getJson(url, signal);
  if (!isRecord(body) || !looksRight(body)) throw new ApiError('invalid', url, `GET ${url}: not ${what}`);
  return body as unknown as T;
}

export const fetchWallFigures = (signal?: AbortSignal) =>
  getWallAnswer<WallFigures>(
    WALL_FIGURES_URL,
    'the wall figures',
    (b) =>
      typeof b.generatedAt === 'string' &&
      isRecord(b.registers) &&
      Array.isArray(b.recentEvents) &&
      Array.isArray(b.communities),
    signal,
  );

export const fetchIssuePoints = (signal?: AbortSignal) =>
  getWallAnswer<WallIssuePoints>(
    WALL_ISSUE_POINTS_URL,
    'the issue points',
    (b) => typeof b.from === 'string' && Array.isArray(b.points) && Array.isArray(b.categories),
    signal,
  );

export const fetchGridMetrics = (signal?: AbortSignal) =>
  getWallAnswer<WallGridMetrics>(WALL_GRID_METRICS_URL, 'the grid metrics', (b) => Array.isArray(b.grids), signal);
