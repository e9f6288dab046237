// The inspection map's analyses: issue figures of an area, the people serving it (masked per role), and the
// grid / community metrics of the choropleth and rankings. Shapes: the API contract (shared/api/inspect.ts).
import { ApiError, getJson } from './http';
import { areaUrl } from './areas';
import type { AreaLevel } from './inspect-types';
import { AreaIssues, AreaMetrics, AreaPeople } from '../../shared/api/inspect.ts';
import type { MetricLevel } from '../../shared/map/area-metrics';

export type { AreaIssues, AreaMetrics, AreaPeople, CategoryFigures, MetricRow } from '../../shared/api/inspect.ts';

/** The period of the card's issue figures and of the metric "issues per 100 households". */
export const ISSUE_PERIOD_DAYS = 30;

function invalid(url: string, what: string): never {
  throw new ApiError('invalid', url, `GET ${url}: not ${what}`);
}

export async function fetchAreaIssues(
  level: AreaLevel,
  id: string | null,
  days: number,
  signal?: AbortSignal,
): Promise<AreaIssues> {
  const url = `${areaUrl(level, id)}/issues?days=${days}`;
  const body = await getJson(url, signal);
  if (!AreaIssues.safeParse(body).success) invalid(url, 'issue figures');
  return body as AreaIssues;
}

export async function fetchAreaPeople(level: AreaLevel, id: string, signal?: AbortSignal): Promise<AreaPeople> {
  const url = `${areaUrl(level, id)}/people`;
  // Anonymous visitors use the map too: a 401 here says "log in to see names", it does not leave the page.
  const body = await getJson(url, signal, { ignoreUnauthorized: true });
  if (!AreaPeople.safeParse(body).success) invalid(url, 'a people list');
  return body as AreaPeople;
}

export async function fetchMetrics(
  level: MetricLevel,
  days: number,
  distanceM: number,
  signal?: AbortSignal,
): Promise<AreaMetrics> {
  const url = `/api/inspect/metrics?level=${level}&days=${days}&distance=${distanceM}`;
  const body = await getJson(url, signal);
  if (!AreaMetrics.safeParse(body).success) invalid(url, 'area metrics');
  return body as AreaMetrics;
}
