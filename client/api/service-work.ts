// Service activities (活动) and deliberation items (议事) for the work queue's tabs, and their counts per grid
// (server/routes/community-service.ts): lists in the caller's area, logging, proposing and advancing.
import type { z } from 'zod';
import { ApiError, getJson, sendJson } from './http';
import {
  ActivityList,
  DeliberationList,
  ServiceCounts,
  type DeliberationItem,
  type GridServiceCounts,
  type ServiceActivity,
  type ServiceTotals,
} from '../../shared/api/service-work.ts';
import type { ActivityKind, DeliberationStep, DeliberationTopic } from '../../shared/community-service.ts';

export type {
  ActivityKind,
  DeliberationItem,
  DeliberationStep,
  DeliberationTopic,
  GridServiceCounts,
  ServiceActivity,
  ServiceTotals,
};
// The codes come from the server's pure module (constants only).
export { ACTIVITY_KINDS, DELIBERATION_STEPS, DELIBERATION_TOPICS, nextStep } from '../../shared/community-service.ts';

async function list<T>(schema: z.ZodType<T>, url: string, key: string, signal?: AbortSignal): Promise<T> {
  const body = await getJson(url, signal);
  if (!schema.safeParse(body).success) throw new ApiError('invalid', url, `GET ${url}: no ${key}`);
  return body as T;
}

export const fetchActivities = (kind: ActivityKind | '', signal?: AbortSignal) =>
  list(ActivityList, `/api/service-activities?limit=200${kind ? `&kind=${kind}` : ''}`, 'activities', signal);

export const fetchDeliberations = (step: DeliberationStep | '', signal?: AbortSignal) =>
  list(DeliberationList, `/api/deliberations?limit=200${step ? `&step=${step}` : ''}`, 'items', signal);

/** The grids of an area (the caller's own; all when null) with their counts, and the totals summed in SQL. */
export async function fetchServiceCounts(area: string | null, signal?: AbortSignal): Promise<ServiceCounts> {
  const url = `/api/community-service/counts${area ? `?area=${encodeURIComponent(area)}` : ''}`;
  return list(ServiceCounts, url, 'counts', signal);
}

export const logActivity = (a: {
  grid_id: string;
  kind: ActivityKind;
  title: string;
  organiser: string;
  participants: number;
  held_on: string;
}) => sendJson('POST', '/api/service-activities', a) as Promise<ServiceActivity>;
export const proposeDeliberation = (d: { grid_id: string; topic: DeliberationTopic; title: string; note?: string }) =>
  sendJson('POST', '/api/deliberations', d) as Promise<DeliberationItem>;
export const advanceDeliberation = (id: number, body: { note?: string; resolution?: string }) =>
  sendJson('POST', `/api/deliberations/${id}/advance`, body) as Promise<DeliberationItem>;
