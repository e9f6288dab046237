// The reporter's API (/report): the category taxonomy, the snap report with its idempotency key, its photo,
// and the reporter's own reports. A report's refusals (409 duplicate, 422 outside) carry data the page needs,
// so the POST reads the error body itself instead of going through sendJson.
import { ApiError, getJson, isRecord, sendJson } from './http';

export interface IssueCategory {
  id: string;
  parentId: string | null;
  name: string;
  nameEn: string;
}

export interface ReportBody {
  category: string;
  description: string;
  lon: number;
  lat: number;
  join?: boolean;
  duplicate_of?: number;
}

/** An open report nearby offered to join: no distance, and only the centre of its ≈120 m cell as a place. */
export interface DuplicateCandidate {
  id: number;
  code: string;
  state: string;
  categoryId: string;
  categoryName: string;
  cell: [number, number];
  createdAt: string;
}

export interface MyIssue {
  id: number;
  code: string;
  categoryId: string;
  categoryName: string;
  description: string;
  state: string;
  duplicateOf: number | null;
  createdAt: string;
  closedAt: string | null;
}

export type RatingValue = 'satisfied' | 'basically_satisfied' | 'unsatisfied';

export type ReportOutcome =
  | { kind: 'created'; id: number; code: string }
  | { kind: 'duplicate'; candidates: DuplicateCandidate[] }
  | { kind: 'outside' }
  | { kind: 'rejected'; status: number; message: string };

export async function fetchCategories(signal?: AbortSignal): Promise<IssueCategory[]> {
  const url = '/api/categories';
  const body = await getJson(url, signal);
  if (!isRecord(body) || !Array.isArray(body.categories))
    throw new ApiError('invalid', url, `GET ${url}: no categories array`);
  return body.categories.filter(
    (c): c is IssueCategory => isRecord(c) && typeof c.id === 'string' && typeof c.name === 'string',
  );
}

/** The reporter's own reports, newest first (a 401 sends the user to /login). */
export async function fetchMyReports(signal?: AbortSignal): Promise<MyIssue[]> {
  const url = '/api/issues?limit=50';
  const body = await getJson(url, signal);
  if (!isRecord(body) || !Array.isArray(body.issues)) throw new ApiError('invalid', url, `GET ${url}: no issues array`);
  return body.issues.filter(
    (i): i is MyIssue => isRecord(i) && typeof i.id === 'number' && typeof i.state === 'string',
  );
}

async function post(url: string, init: RequestInit): Promise<{ status: number; body: unknown }> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      ...init,
      headers: { Accept: 'application/json', ...(init.headers ?? {}) },
    });
  } catch (error) {
    throw new ApiError('unreachable', url, `POST ${url}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, body };
}

function errorOf(body: unknown): { code: string; message: string; details: unknown } {
  const e = isRecord(body) && isRecord(body.error) ? body.error : {};
  return {
    code: typeof e.code === 'string' ? e.code : '',
    message: typeof e.message === 'string' ? e.message : '',
    details: e.details,
  };
}

/**
 * Sends a report with its idempotency key (the same key on every retry). Refusals the page handles are outcomes;
 * what a retry may cure (unreachable, 401, 408, 429, 5xx) throws ApiError.
 */
export async function submitReport(body: ReportBody, idempotencyKey: string): Promise<ReportOutcome> {
  const url = '/api/issues';
  const { status, body: answer } = await post(url, {
    headers: { 'Content-Type': 'application/json' },
    // Whom a report is from is the account's; reports queued by an older page may still carry a source.
    body: JSON.stringify({ ...body, source: undefined, idempotency_key: idempotencyKey }),
  });
  if (status === 200 || status === 201) {
    if (!isRecord(answer) || typeof answer.id !== 'number')
      throw new ApiError('invalid', url, `POST ${url}: not an issue`, status);
    return { kind: 'created', id: answer.id, code: String(answer.code ?? answer.id) };
  }
  const error = errorOf(answer);
  if (status === 409 && error.code === 'PossibleDuplicate') {
    const candidates =
      isRecord(error.details) && Array.isArray(error.details.candidates)
        ? (error.details.candidates as DuplicateCandidate[])
        : [];
    return { kind: 'duplicate', candidates };
  }
  if (status === 422 && error.code === 'OutsideCounty') return { kind: 'outside' };
  if (status === 401 || status === 408 || status === 429 || status >= 500)
    throw new ApiError('http', url, `POST ${url}: HTTP ${status} ${error.message}`, status);
  return { kind: 'rejected', status, message: error.message || `HTTP ${status}` };
}

/**
 * Uploads a photo of an issue (multipart field "photo") with its idempotency key: a retry whose first answer
 * was lost gets the photo already stored, not a second one. Throws ApiError; `status` tells a retry from a refusal.
 */
export async function uploadIssuePhoto(
  issueId: number,
  photo: Blob,
  filename: string,
  kind: 'report' | 'after',
  idempotencyKey: string,
): Promise<void> {
  const url = `/api/issues/${issueId}/photos`;
  const form = new FormData();
  form.append('kind', kind);
  form.append('idempotency_key', idempotencyKey);
  form.append('photo', photo, filename);
  const { status, body } = await post(url, { body: form });
  if (status !== 201 && status !== 200)
    throw new ApiError('http', url, `POST ${url}: HTTP ${status} ${errorOf(body).message}`, status);
}

/** The reporter rates their closed report (回访): closed → rated. */
export async function rateReport(issueId: number, rating: RatingValue, comment: string): Promise<void> {
  await sendJson('POST', `/api/issues/${issueId}/rating`, {
    rating,
    ...(comment.trim() ? { comment: comment.trim() } : {}),
  });
}

/** The reporter reopens their closed or rated report within the reopen window, with the reason. */
export async function reopenReport(issueId: number, reason: string): Promise<void> {
  await sendJson('POST', `/api/issues/${issueId}/transitions`, { to: 'reopened', reason });
}
