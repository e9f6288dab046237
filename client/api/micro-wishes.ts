// Micro-wishes (微心愿) for the work queue's tab: the list in the caller's area, posting (grid workers), the
// in-service party members a claim can be recorded for (names masked), claiming and fulfilling.
import { ApiError, getJson, isRecord, sendJson } from './http';
import type { MicroWish } from '../../server/db/micro-wishes-repo.ts';
import type { WishState } from '../../server/community/service.ts';

export type { MicroWish, WishState };

export async function fetchWishes(
  state: WishState | '',
  signal?: AbortSignal,
): Promise<{ total: number; wishes: MicroWish[] }> {
  const url = `/api/micro-wishes?limit=200${state ? `&state=${state}` : ''}`;
  const body = await getJson(url, signal);
  if (!isRecord(body) || !Array.isArray(body.wishes) || typeof body.total !== 'number')
    throw new ApiError('invalid', url, `GET ${url}: not a list of micro-wishes`);
  return body as unknown as { total: number; wishes: MicroWish[] };
}

export async function fetchClaimMembers(wishId: number, signal?: AbortSignal): Promise<{ id: string; name: string }[]> {
  const url = `/api/micro-wishes/${wishId}/members`;
  const body = await getJson(url, signal);
  if (!isRecord(body) || !Array.isArray(body.members)) throw new ApiError('invalid', url, `GET ${url}: no members`);
  return body.members as { id: string; name: string }[];
}

export const postWish = (gridId: string, title: string, description: string) =>
  sendJson('POST', '/api/micro-wishes', {
    grid_id: gridId,
    title,
    ...(description ? { description } : {}),
  }) as Promise<MicroWish>;
export const claimWish = (id: number, partyMemberId: string) =>
  sendJson('POST', `/api/micro-wishes/${id}/claim`, { party_member_id: partyMemberId }) as Promise<MicroWish>;
export const fulfilWish = (id: number, note: string) =>
  sendJson('POST', `/api/micro-wishes/${id}/fulfil`, { note }) as Promise<MicroWish>;
