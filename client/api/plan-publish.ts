// Publishing plans (/plan): publish a draft, rebase a stale one, the history of published plans, restore one.
// Shapes: the API contract (shared/api/plan-publish.ts).
import { ApiError, getJson, sendJson } from './http';
import {
  PlanHistory,
  PublishRefusal,
  PublishResult,
  Rebased,
  type PublishedPlan,
} from '../../shared/api/plan-publish.ts';
export type { PublishRefusal, PublishResult, PublishedPlan, Rebased };

function publishResult(body: unknown, url: string): PublishResult {
  if (!PublishResult.safeParse(body).success) throw new ApiError('invalid', url, `${url}: not a publish result`);
  return body as PublishResult;
}

export async function publishPlan(id: number): Promise<PublishResult> {
  const url = `/api/plans/${id}/publish`;
  return publishResult(await sendJson('POST', url), url);
}

/** Publishes an earlier published plan again, as a new version. */
export async function restorePlan(id: number): Promise<PublishResult> {
  const url = `/api/plans/${id}/restore`;
  return publishResult(await sendJson('POST', url), url);
}

export async function rebasePlan(id: number): Promise<Rebased> {
  const url = `/api/plans/${id}/rebase`;
  const body = await sendJson('POST', url);
  if (!Rebased.safeParse(body).success) throw new ApiError('invalid', url, `${url}: not a rebase result`);
  return body as Rebased;
}

export async function fetchPlanHistory(signal?: AbortSignal): Promise<PublishedPlan[]> {
  const url = '/api/plan/history';
  const body = await getJson(url, signal);
  if (!PlanHistory.safeParse(body).success) throw new ApiError('invalid', url, `GET ${url}: no plans array`);
  return (body as PlanHistory).plans;
}

/** The refusal a publish answered with (422 invalid, 409 stale), when the error is one. */
export function publishRefusalOf(error: unknown): PublishRefusal | null {
  if (!(error instanceof ApiError) || !PublishRefusal.safeParse(error.details).success) return null;
  return error.details as PublishRefusal;
}
