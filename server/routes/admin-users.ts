import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Pool } from '../postgres/pool.ts';
import { HttpError, idParams, noQuery, validate } from '../http-error.ts';
import { listUsers } from '../db/users-repo.ts';
import type { Auth } from '../auth/gate.ts';
import { ROLES, type Principal } from '../../shared/roles.ts';
import { displayNameProblem, MAX_PASSWORD_LENGTH, USERNAME_PATTERN, USERNAME_RULE } from '../auth/account-rules.ts';
import { changeAccount, createAccount, resetPassword } from '../auth/user-admin.ts';

const areaId = z.string().trim().min(1).max(32).nullable().optional();
/** An area scope: the most specific area given counts (null or absent everywhere: the whole county). */
const ScopeBody = z
  .strictObject({ streetId: areaId, communityId: areaId, gridId: areaId, memberUnitId: areaId })
  .transform((s) => ({
    streetId: s.streetId ?? null,
    communityId: s.communityId ?? null,
    gridId: s.gridId ?? null,
    ...(s.memberUnitId ? { memberUnitId: s.memberUnitId } : {}),
  }));
const Password = z.string().min(1).max(MAX_PASSWORD_LENGTH);
/** Stored trimmed; the body limit bounds it before the rule counts its characters. */
const DisplayName = z
  .string()
  .trim()
  .superRefine((name, ctx) => {
    const problem = displayNameProblem(name);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
const CreateBody = z.strictObject({
  username: z.string().regex(USERNAME_PATTERN, USERNAME_RULE),
  displayName: DisplayName.optional(),
  password: Password,
  role: z.enum(ROLES),
  scope: ScopeBody.optional(),
});
const ChangeBody = z
  .strictObject({
    displayName: DisplayName.nullable().optional(),
    role: z.enum(ROLES).optional(),
    scope: ScopeBody.optional(),
    disabled: z.boolean().optional(),
  })
  .refine(
    (b) => b.displayName !== undefined || b.role !== undefined || b.scope !== undefined || b.disabled !== undefined,
    'give displayName, role, scope or disabled',
  );
const PasswordBody = z.strictObject({ password: Password });
const IdParams = idParams('must be a user id');

/** Accounts over HTTP, admins only: list, create, change display name / role / scope / state, reset a password. */
export function adminUserRoutes(pool: Pool, countyCode: string, auth: Auth): Router {
  const router = Router();
  const adminOnly = auth.requirePermission('users:manage');
  const adminOf = async (req: Request) => {
    const principal: Principal = await auth.principalOf(req);
    if (principal.kind !== 'user') throw new HttpError(403, 'only an account may manage accounts');
    return principal;
  };

  router.get('/api/admin/users', adminOnly, noQuery, async (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ users: await listUsers(pool, countyCode) });
  });

  router.post('/api/admin/users', adminOnly, async (req, res) => {
    const body = validate(CreateBody, req.body, 'body');
    const user = await createAccount(
      pool,
      countyCode,
      await adminOf(req),
      {
        username: body.username,
        displayName: body.displayName ?? null,
        password: body.password,
        role: body.role,
        scope: body.scope ?? { streetId: null, communityId: null, gridId: null },
      },
      req.ip,
    );
    res.status(201).set('Cache-Control', 'no-store').json(user);
  });

  router.patch('/api/admin/users/:id', adminOnly, async (req, res) => {
    const { id } = validate(IdParams, req.params, 'params');
    const change = validate(ChangeBody, req.body, 'body');
    res
      .set('Cache-Control', 'no-store')
      .json(await changeAccount(pool, countyCode, await adminOf(req), id, change, req.ip));
  });

  router.post('/api/admin/users/:id/password', adminOnly, async (req, res) => {
    const { id } = validate(IdParams, req.params, 'params');
    const { password } = validate(PasswordBody, req.body, 'body');
    res.json(await resetPassword(pool, countyCode, await adminOf(req), id, password, req.ip));
  });

  return router;
}
