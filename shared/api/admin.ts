// Administration (/api/admin/*): accounts as the administration lists them — never a password hash.
import { z } from 'zod';
import { ROLES } from '../roles.ts';

export const AreaScope = z.object({
  streetId: z.string().nullable(),
  communityId: z.string().nullable(),
  gridId: z.string().nullable(),
  memberUnitId: z.string().nullable().optional(),
});

/** One account of GET /api/admin/users (times as ISO strings). */
export const UserSummary = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string().nullable(),
  role: z.enum(ROLES),
  scope: AreaScope,
  disabled: z.boolean(),
  createdAt: z.string(),
  lastLoginAt: z.string().nullable(),
});
export type UserSummary = z.infer<typeof UserSummary>;

export const UserList = z.object({ users: z.array(UserSummary) });
