// Open311 service requests: a POST goes through the same intake as POST /api/issues (joining the nearest open
// report of its service), and reads give the public fields only, in the GeoReport v2 window.
import type { Pool } from '../postgres/pool.ts';
import { HttpError } from '../http-error.ts';
import type { Principal, UserPrincipal } from '../../shared/roles.ts';
import { hashToken } from '../auth/tokens.ts';
import { useApiKey } from '../db/api-keys-repo.ts';
import { findIssue } from '../db/issues-repo.ts';
import { listPublicRequests } from '../db/open311-repo.ts';
import { exactEventScope } from '../db/events-layer.ts';
import { submitReport } from '../issues/workflow-service.ts';

/** GeoReport v2: without dates, the 90 days before end_date; at most 1,000 requests per answer. */
const DEFAULT_WINDOW_DAYS = 90;
const MAX_REQUESTS = 1000;

/** The reporter account an api_key belongs to; 401 when it is unknown or revoked. */
export async function reporterByApiKey(pool: Pool, county: string, key: string): Promise<UserPrincipal> {
  const user = await useApiKey(pool, county, hashToken(key));
  if (!user) throw new HttpError(401, 'this api_key is unknown or has been revoked', 'InvalidApiKey');
  return { kind: 'user', ...user, sessionHash: '' };
}

export interface ServiceRequestInput {
  serviceCode: string;
  lat: number;
  long: number;
  description: string;
  idempotencyKey: string;
  contact: { name: string; phone: string | null } | null;
  mediaUrl: boolean;
}

/** Files (or joins, or replays) a request; the answer's code and notices. */
export async function postServiceRequest(
  pool: Pool,
  county: string,
  reportsPerHour: number,
  principal: UserPrincipal,
  input: ServiceRequestInput,
) {
  const outcome = await submitReport(
    pool,
    county,
    principal,
    {
      categoryId: input.serviceCode,
      description: input.description,
      lon: input.long,
      lat: input.lat,
      idempotencyKey: input.idempotencyKey,
      contact: input.contact,
      join: undefined,
      duplicateOf: undefined,
      joinNearest: true,
    },
    reportsPerHour,
  );
  const notices: string[] = [];
  if (outcome.kind === 'joined' && outcome.issue.duplicateOf !== null) {
    const joined = await findIssue(pool, county, outcome.issue.duplicateOf);
    notices.push(
      `已并入同类未结事件 ${joined?.code ?? outcome.issue.duplicateOf}: an open request of this service within 50 m; it is followed there`,
    );
  }
  if (input.mediaUrl) notices.push('media_url is not fetched: photos are uploaded with POST /api/issues/{id}/photos');
  return { replayed: outcome.kind === 'replayed', code: outcome.issue.code, notice: notices.join(' ') || null };
}

export interface RequestFilter {
  ids?: string[];
  serviceCodes?: string[];
  statuses?: ('open' | 'closed')[];
  start?: Date;
  end?: Date;
  limit?: number;
}

/** The requests the caller may see; service_request_id overrides every other argument (GeoReport v2). */
export async function findServiceRequests(pool: Pool, county: string, principal: Principal, q: RequestFilter) {
  const statuses = q.statuses ? new Set(q.statuses) : undefined;
  const byId = q.ids !== undefined;
  const to = byId ? undefined : q.end;
  const window = DEFAULT_WINDOW_DAYS * 86_400_000;
  const from = byId ? undefined : (q.start ?? new Date((q.end?.getTime() ?? Date.now()) - window));
  if (from && to && from > to) throw new HttpError(400, 'start_date is after end_date');
  return listPublicRequests(pool, county, exactEventScope(principal), {
    codes: q.ids,
    serviceCodes: byId ? undefined : q.serviceCodes,
    open: byId || !statuses || statuses.size === 2 ? undefined : statuses.has('open'),
    from,
    to,
    limit: q.limit ?? MAX_REQUESTS,
  });
}
