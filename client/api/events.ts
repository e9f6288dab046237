// The work queue of dispatchers and grid workers (/events): the issues inside the caller's area, one issue's
// detail, the lifecycle transitions, the caller's area. Shapes: the API contract (shared/api/events.ts).
import { ApiError, getJson, sendJson } from './http';
import {
  IssueDetail,
  QueuePage,
  type Assignment,
  type Issue,
  type IssueEvent,
  type IssuePhoto,
} from '../../shared/api/events.ts';
import type { IssueState } from '../../shared/issue-states.ts';

export type { Issue as QueueIssue, IssueDetail, IssueEvent, Assignment, IssuePhoto, QueuePage };

export interface QueueFilter {
  states: IssueState[];
  category: string;
  area: string;
  overdue: boolean;
}

export const QUEUE_LIMIT = 200;

export function queueUrl(filter: QueueFilter): string {
  const query = new URLSearchParams({ limit: String(QUEUE_LIMIT) });
  if (filter.states.length) query.set('state', filter.states.join(','));
  if (filter.category) query.set('category', filter.category);
  if (filter.area) query.set('area', filter.area);
  if (filter.overdue) query.set('overdue', 'true');
  return `/api/issues?${query.toString()}`;
}

export async function fetchQueue(filter: QueueFilter, signal?: AbortSignal): Promise<QueuePage> {
  const url = queueUrl(filter);
  const body = await getJson(url, signal);
  if (!QueuePage.safeParse(body).success) throw new ApiError('invalid', url, `GET ${url}: not a work queue`);
  return body as QueuePage;
}

export async function fetchIssueDetail(id: number, signal?: AbortSignal): Promise<IssueDetail> {
  const url = `/api/issues/${id}`;
  const body = await getJson(url, signal);
  if (!IssueDetail.safeParse(body).success) throw new ApiError('invalid', url, `GET ${url}: not an issue`);
  return body as IssueDetail;
}

export interface TransitionBody {
  to: IssueState;
  reason?: string;
  unit_ids?: string[];
  note?: string;
  result?: 'pass' | 'fail';
  severity?: number;
  duplicate_of?: number;
}

/** One lifecycle step; throws ApiError with the server's message (409 when someone else moved it first). */
export async function postTransition(id: number, body: TransitionBody): Promise<Issue> {
  return (await sendJson('POST', `/api/issues/${id}/transitions`, body)) as Issue;
}

export function photoUrl(issueId: number, photoId: number, thumbnail = false): string {
  return `/api/issues/${issueId}/photos/${photoId}${thumbnail ? '/thumbnail' : ''}`;
}
