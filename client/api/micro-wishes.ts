// Micro-wishes (微心愿) for the work queue's tab: the list in the caller's area, posting (grid workers), the
// in-service party members a claim can be recorded for (names masked), claiming and fulfilling.
import { ApiError, getJson, sendJson } from './http';
import { ClaimMembers, WishList, type MicroWish } from '../../shared/api/micro-wishes.ts';
import type { WishState } from '../../shared/community-service.ts';

export type { MicroWish, WishState };

export async function fetchWishes(state: WishState | '', signal?: AbortSignal): Promise<WishList> {
  const url = `/api/micro-wishes?limit=200${state ? `&state=${state}` : ''}`;
  const body = await getJson(url, signal);
  if (!WishList.safeParse(body).success) throw new ApiError('invalid', url, `GET ${url}: not a list of micro-wishes`);
  return body as WishList;
}

export async function fetchClaimMembers(wishId: number, signal?: AbortSignal): Promise<{ id: string; name: string }[]> {
  const url = `/api/micro-wishes/${wishId}/members`;
  const body = await getJson(url, signal);
  if (!ClaimMembers.safeParse(body).success) throw new ApiError('invalid', url, `GET ${url}: no members`);
  return (body as ClaimMembers).members;
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
