// Administration (/api/admin/*): accounts as the administration lists them — never a password hash.
import { z } from 'zod';
import { ROLES } from '../roles.ts';
import { AreaScope } from './session.ts';
import { pageQuery } from './fragments.ts';

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
export type UserList = z.infer<typeof UserList>;

/** The answer of a password reset (POST /api/admin/users/:id/password) or change (POST /api/me/password). */
export const SessionsEnded = z.object({ sessionsEnded: z.number() });
export type SessionsEnded = z.infer<typeof SessionsEnded>;

/** A wall display token as admins list it (never the token itself, which is shown once). */
export const DisplayToken = z.object({
  id: z.number(),
  screen: z.string(),
  createdBy: z.number(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});
export type DisplayToken = z.infer<typeof DisplayToken>;

/** GET /api/admin/display-tokens. */
export const DisplayTokenList = z.object({ displayTokens: z.array(DisplayToken) });

/** POST /api/admin/display-tokens: the secret and the wall's address, shown once. */
export const CreatedDisplayToken = DisplayToken.extend({ token: z.string(), url: z.string() });
export type CreatedDisplayToken = z.infer<typeof CreatedDisplayToken>;

export const CreateDisplayTokenBody = z.strictObject({ screen: z.string().trim().min(1).max(100) });

/** An Open311 api key as admins list it (never the key itself, which is shown once). */
export const ApiKey = z.object({
  id: z.number(),
  name: z.string(),
  userId: z.number(),
  username: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiKey = z.infer<typeof ApiKey>;

/** GET /api/admin/api-keys. */
export const ApiKeyList = z.object({ apiKeys: z.array(ApiKey) });

/** POST /api/admin/api-keys: the key, shown once. */
export const CreatedApiKey = ApiKey.extend({ apiKey: z.string() });

export const CreateApiKeyBody = z.strictObject({
  user_id: z.number().int().positive(),
  name: z.string().trim().min(1).max(100),
});
export type CreateApiKeyBody = z.infer<typeof CreateApiKeyBody>;

/** The largest page of the audit viewer. */
export const AUDIT_PAGE_MAX = 200;

const auditText = z.string().trim().min(1).max(100).optional();
const auditInstant = z.iso
  .datetime({ offset: true })
  .or(z.iso.date())
  .transform((s) => new Date(s))
  .optional();

/** GET /api/admin/audit: filtered by actor, action (or its family), entity (or its kind) and time. */
export const AuditQuery = z
  .strictObject({
    actor: auditText,
    action: auditText,
    entity: auditText,
    from: auditInstant,
    to: auditInstant,
    ...pageQuery(AUDIT_PAGE_MAX, 50),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, { message: 'from must be before to', path: ['to'] });

/** One row of the audit log: who did what to which target, with the state before and after. */
export const AuditEntry = z.object({
  id: z.number(),
  at: z.string(),
  actor: z.string(),
  actorUserId: z.number().nullable(),
  action: z.string(),
  target: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  ip: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** The answer of GET /api/admin/audit, newest first. */
export const AuditPage = z.object({
  total: z.number(),
  limit: z.number(),
  offset: z.number(),
  entries: z.array(AuditEntry),
});
export type AuditPage = z.infer<typeof AuditPage>;
