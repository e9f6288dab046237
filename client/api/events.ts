// The work queue of dispatchers and grid workers (/events): the issues inside the caller's area, one issue's
// detail, the lifecycle transitions, the caller's area. Shapes are declared once, where the server builds them.
import { ApiError, getJson, isRecord, sendJson } from './http';
import type { Assignment, Issue, IssueEvent, Rating } from '../../server/db/issues-repo.ts';
import type { IssuePhoto } from '../../server/db/issues-photos-repo.ts';
import type { AreaScope, Permission, Role } from '../../server/auth/roles.ts';
import type { IssueState } from '../../server/issues/state-machine.ts';

export type { Issue as QueueIssue, IssueEvent, Assignment, IssuePhoto };

export interface IssueDetail extends Issue {
  reporter: { name: string; phone: string | null; masked: boolean } | null;
  events: IssueEvent[];
  assignments: Assignment[];
  photos: IssuePhoto[];
  rating: Rating | null;
  /** The states the caller's role may move this issue to (the server checks again). */
  nextStates: IssueState[];
  suggestedUnits: { unitId: string; name: string; trade: string | null; inGrid: boolean }[];
}

export interface QueueFilter {
  states: IssueState[];
  category: string;
  area: string;
  overdue: boolean;
}

export interface QueuePage {
  total: number;
  issues: Issue[];
}

export interface Me {
  username: string;
  role: Role;
  scope: AreaScope;
  /** What the server lets this account do (server/auth/roles.ts): pages show only what it may use. */
  permissions: Permission[];
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
  if (!isRecord(body) || !Array.isArray(body.issues) || typeof body.total !== 'number')
    throw new ApiError('invalid', url, `GET ${url}: not a work queue`);
  return body as unknown as QueuePage;
}

export async function fetchIssueDetail(id: number, signal?: AbortSignal): Promise<IssueDetail> {
  const url = `/api/issues/${id}`;
  const body = await getJson(url, signal);
  if (
    !isRecord(body) ||
    typeof body.id !== 'number' ||
    !Array.isArray(body.events) ||
    !Array.isArray(body.nextStates)
  ) {
    throw new ApiError('invalid', url, `GET ${url}: not an issue`);
  }
  return body as unknown as IssueDetail;
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

export async function fetchMe(signal?: AbortSignal): Promise<Me> {
  const body = await getJson('/api/me', signal);
  if (!isRecord(body) || body.kind !== 'user' || !isRecord(body.scope) || !Array.isArray(body.permissions))
    throw new ApiError('invalid', '/api/me', 'GET /api/me: not an account');
  return body as unknown as Me;
}

export function photoUrl(issueId: number, photoId: number, thumbnail = false): string {
  return `/api/issues/${issueId}/photos/${photoId}${thumbnail ? '/thumbnail' : ''}`;
}
