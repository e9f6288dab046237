// Publishing plans (/plan): publish a draft, rebase a stale one, the history of published plans, restore one.
// Shapes are declared where the server builds them (type-only imports: no server code in the bundle).
import { ApiError, getJson, isRecord, sendJson } from './http';
import type { PublishRefusal, PublishResult } from '../../server/db/plan-publish-repo.ts';
import type { PublishedPlan, RebaseResult } from '../../server/db/plan-history-repo.ts';
export type { PublishRefusal, PublishResult, PublishedPlan, RebaseResult };

function publishResult(body: unknown, url: string): PublishResult {
  if (!isRecord(body) || typeof body.dataVersion !== 'number' || !isRecord(body.summary))
    throw new ApiError('invalid', url, `${url}: not a publish result`);
  return body as unknown as PublishResult;
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

export async function rebasePlan(id: number): Promise<Extract<RebaseResult, { ok: true }>> {
  const url = `/api/plans/${id}/rebase`;
  const body = await sendJson('POST', url);
  if (!isRecord(body) || body.ok !== true || !Array.isArray(body.conflicts))
    throw new ApiError('invalid', url, `${url}: not a rebase result`);
  return body as unknown as Extract<RebaseResult, { ok: true }>;
}

export async function fetchPlanHistory(signal?: AbortSignal): Promise<PublishedPlan[]> {
  const url = '/api/plan/history';
  const body = await getJson(url, signal);
  if (!isRecord(body) || !Array.isArray(body.plans)) throw new ApiError('invalid', url, `GET ${url}: no plans array`);
  return body.plans as PublishedPlan[];
}

/** The refusal a publish answered with (422 invalid, 409 stale), when the error is one. */
export function publishRefusalOf(error: unknown): PublishRefusal | null {
  if (!(error instanceof ApiError) || !isRecord(error.details) || typeof error.details.reason !== 'string') return null;
  return error.details as unknown as PublishRefusal;
}
