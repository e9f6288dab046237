// The inspection map's analyses: issue figures of an area, the people serving it (masked per role), and the
// grid / community metrics of the choropleth and rankings. Shapes declared once, in the server repos.
import { ApiError, getJson, isRecord } from './http';
import { areaUrl } from './areas';
import type { AreaLevel } from './inspect-types';
import type { AreaIssues } from '../../server/db/inspect-issues-repo.ts';
import type { AreaMetrics } from '../../server/db/inspect-metrics-repo.ts';
import type { ShownPerson } from '../../server/db/inspect-people-repo.ts';
import type { MetricLevel } from '../map/area-metrics';

export type { AreaIssues, CategoryFigures } from '../../server/db/inspect-issues-repo.ts';
export type { AreaMetrics, MetricRow } from '../../server/db/inspect-metrics-repo.ts';

/** The period of the card's issue figures and of the metric "issues per 100 households". */
export const ISSUE_PERIOD_DAYS = 30;

export interface AreaPeople {
  level: AreaLevel;
  id: string;
  masked: boolean;
  people: ShownPerson[];
}

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
  if (!isRecord(body) || typeof body.open !== 'number' || !Array.isArray(body.byCategory) || !isRecord(body.trend))
    invalid(url, 'issue figures');
  return body as unknown as AreaIssues;
}

export async function fetchAreaPeople(level: AreaLevel, id: string, signal?: AbortSignal): Promise<AreaPeople> {
  const url = `${areaUrl(level, id)}/people`;
  // Anonymous visitors use the map too: a 401 here says "log in to see names", it does not leave the page.
  const body = await getJson(url, signal, { ignoreUnauthorized: true });
  if (!isRecord(body) || !Array.isArray(body.people)) invalid(url, 'a people list');
  return body as unknown as AreaPeople;
}

export async function fetchMetrics(
  level: MetricLevel,
  days: number,
  distanceM: number,
  signal?: AbortSignal,
): Promise<AreaMetrics> {
  const url = `/api/inspect/metrics?level=${level}&days=${days}&distance=${distanceM}`;
  const body = await getJson(url, signal);
  if (!isRecord(body) || !Array.isArray(body.rows) || !isRecord(body.breaks)) invalid(url, 'area metrics');
  return body as unknown as AreaMetrics;
}
