// Who is calling (GET /api/session → { me }, GET /api/me → me, POST /api/auth/login → me + expiresAt):
// one shape for the server that answers and the client that reads it.
import { z } from 'zod';
import { PERMISSIONS, ROLES, type AreaScope as Scope, type Permission } from '../roles.ts';

/** The part of the county an account works in; all null means the whole county. */
export const AreaScope = z.object({
  streetId: z.string().nullable(),
  communityId: z.string().nullable(),
  gridId: z.string().nullable(),
  /** Member-unit accounts (吹哨报到): the member unit they sign and handle for. */
  memberUnitId: z.string().nullable().optional(),
}) satisfies z.ZodType<Scope>;

const permissions = z.array(z.enum(Object.keys(PERMISSIONS) as [Permission, ...Permission[]]));

export const UserSession = z.object({
  kind: z.literal('user'),
  username: z.string(),
  /** What others see of the account (the case history); null when it has none. */
  displayName: z.string().nullable(),
  role: z.enum(ROLES),
  scope: AreaScope,
  permissions,
});
export type UserSession = z.infer<typeof UserSession>;

export const WallSession = z.object({
  kind: z.literal('wall'),
  role: z.literal('wall'),
  screen: z.string(),
  permissions,
});

export const Session = z.discriminatedUnion('kind', [UserSession, WallSession]);
export type Session = z.infer<typeof Session>;

/** GET /api/session: `me` is null before a login (no 401: the page frame asks for anyone). */
export const SessionAnswer = z.object({ me: Session.nullable() });

/** POST /api/auth/login. */
export const LoginBody = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(1024),
});

/** The answer of a login: who logged in, and when the session ends. */
export const LoginAnswer = z.intersection(Session, z.object({ expiresAt: z.string() }));
