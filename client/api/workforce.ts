// The community workforce: staff (names masked) with team, post, rank and allowance, the allowance table,
// mentors, and the figures per community (server/routes/workforce.ts).
import type { z } from 'zod';
import { ApiError, getJson, sendJson } from './http';
import {
  Allowances,
  StaffPage,
  type StaffBody,
  WorkforceFiguresAnswer,
  type Allowance,
  type StaffMember,
  type WorkforceFigures,
} from '../../shared/api/workforce.ts';
import type { Post, RankClass, Team } from '../../shared/workforce.ts';

export type { Allowance, Post, RankClass, StaffMember, StaffPage, Team, WorkforceFigures };
export type FiguresAnswer = WorkforceFiguresAnswer;
// The codes come from the server's pure module (no imports, no server code beyond these constants).
export { LEVELS, MENTOR_MIN_YEARS, POST_NAMES, POSTS, RANK_CLASSES, TEAMS } from '../../shared/workforce.ts';

function checked<T>(schema: z.ZodType<T>, url: string, body: unknown, key: string): T {
  if (!schema.safeParse(body).success) throw new ApiError('invalid', url, `GET ${url}: no ${key}`);
  return body as T;
}

export async function fetchStaff(
  filter: { community?: string; team?: Team | '' },
  signal?: AbortSignal,
): Promise<StaffPage> {
  const query = new URLSearchParams({ limit: '1000' });
  if (filter.community) query.set('community', filter.community);
  if (filter.team) query.set('team', filter.team);
  const url = `/api/workforce/staff?${query}`;
  return checked(StaffPage, url, await getJson(url, signal), 'staff');
}

export async function fetchAllowances(signal?: AbortSignal): Promise<Allowance[]> {
  const url = '/api/workforce/allowances';
  return checked(Allowances, url, await getJson(url, signal), 'allowances').allowances;
}

/** Open like the area card; without the right to see staff, a mean over fewer than three people is null. */
export async function fetchWorkforceFigures(area: string | null, signal?: AbortSignal): Promise<FiguresAnswer> {
  const url = `/api/workforce/figures${area ? `?area=${encodeURIComponent(area)}` : ''}`;
  return checked(WorkforceFiguresAnswer, url, await getJson(url, signal), 'totals');
}

export const updateStaff = (personId: string, change: z.input<typeof StaffBody>) =>
  sendJson('PATCH', `/api/workforce/staff/${encodeURIComponent(personId)}`, change) as Promise<StaffMember>;
export const assignMentor = (personId: string, mentorId: string | null) =>
  sendJson('PUT', `/api/workforce/staff/${encodeURIComponent(personId)}/mentor`, {
    mentor_id: mentorId,
  }) as Promise<StaffMember>;
export const setAllowance = (rankClass: RankClass, level: number, monthlyYuan: number) =>
  sendJson('PUT', `/api/workforce/allowances/${rankClass}/${level}`, {
    monthly_yuan: monthlyYuan,
  }) as Promise<Allowances>;
