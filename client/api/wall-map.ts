// What the wall draws on its map: issue positions for the heat and the playback, and the grid metrics of
// the choropleth (both computed in SQL on the server; no person in either).
import { ApiError, getJson, isRecord } from './http';
import type { WallGridMetrics, WallIssuePoints } from './wall-types';

export const WALL_ISSUE_POINTS_URL = '/api/wall/issue-points';
export const WALL_GRID_METRICS_URL = '/api/wall/grid-metrics';

export async function fetchIssuePoints(signal?: AbortSignal): Promise<WallIssuePoints> {
  const body = await getJson(WALL_ISSUE_POINTS_URL, signal);
  if (
    !isRecord(body) ||
    typeof body.from !== 'string' ||
    !Array.isArray(body.points) ||
    !Array.isArray(body.categories)
  ) {
    throw new ApiError('invalid', WALL_ISSUE_POINTS_URL, `GET ${WALL_ISSUE_POINTS_URL}: not the issue points`);
  }
  return body as unknown as WallIssuePoints;
}

export async function fetchGridMetrics(signal?: AbortSignal): Promise<WallGridMetrics> {
  const body = await getJson(WALL_GRID_METRICS_URL, signal);
  if (!isRecord(body) || !Array.isArray(body.grids)) {
    throw new ApiError('invalid', WALL_GRID_METRICS_URL, `GET ${WALL_GRID_METRICS_URL}: not the grid metrics`);
  }
  return body as unknown as WallGridMetrics;
}
