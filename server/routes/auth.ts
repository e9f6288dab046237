import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Pool } from '../postgres/pool.ts';
import type { AuthConfig } from '../config.ts';
import { HttpError, noQuery, validate } from '../http-error.ts';
import { deleteSession } from '../db/sessions-repo.ts';
import { audit } from '../auth/audit.ts';
import type { Auth } from '../auth/gate.ts';
import { checkPassword, login } from '../auth/login.ts';
import { changeOwnPassword, refusePassword } from '../auth/user-admin.ts';
import { MAX_PASSWORD_LENGTH } from '../auth/account-rules.ts';
import { cookieOptions, DISPLAY_COOKIE, SESSION_COOKIE } from '../auth/cookies.ts';
import { permissionsOf, ROLES, type Principal } from '../../shared/roles.ts';
import { LoginBody, type Session } from '../../shared/api/session.ts';

const PasswordChangeBody = z.strictObject({
  current: z.string().min(1).max(MAX_PASSWORD_LENGTH),
  next: z.string().min(1).max(MAX_PASSWORD_LENGTH),
});

/** A 429 of the login throttle carries Retry-After. */
function withRetryAfter(res: Response, e: unknown): never {
  if (e instanceof HttpError && e.status === 429)
    res.set('Retry-After', String((e.details as { retryAfterSeconds: number }).retryAfterSeconds));
  throw e;
}

/** What /api/me and a login answer: who the caller is and what they may do; never a secret. */
function meJson(principal: Exclude<Principal, { kind: 'anonymous' }>): Session {
  const permissions = permissionsOf(principal);
  if (principal.kind === 'wall') return { kind: 'wall', role: 'wall', screen: principal.screen, permissions };
  return {
    kind: 'user',
    username: principal.username,
    displayName: principal.displayName ?? null,
    role: principal.role,
    scope: principal.scope,
    permissions,
  };
}

const clientIp = (req: Request) => req.ip ?? 'unknown';

export function authRoutes(pool: Pool, countyCode: string, config: AuthConfig, auth: Auth): Router {
  const router = Router();

  router.post('/api/auth/login', async (req, res) => {
    const { username, password } = validate(LoginBody, req.body, 'body');
    try {
      const result = await login(pool, countyCode, config, { username, password, ip: clientIp(req) });
      // A new session each login; one the browser still held ends here (no session fixation, no leftovers).
      const previous = await auth.principalOf(req);
      if (previous.kind === 'user') await deleteSession(pool, countyCode, previous.sessionHash);
      res.cookie(SESSION_COOKIE, result.token, cookieOptions(req, config.sessionTtlSeconds * 1000));
      res.set('Cache-Control', 'no-store').json({ ...meJson(result.principal), expiresAt: result.expiresAt });
    } catch (e) {
      withRetryAfter(res, e);
    }
  });

  router.post('/api/auth/logout', async (req, res) => {
    validate(z.union([z.undefined(), z.strictObject({})]), req.body, 'body');
    const principal = await auth.principalOf(req);
    if (principal.kind === 'user') {
      await deleteSession(pool, countyCode, principal.sessionHash);
      await audit(pool, countyCode, principal, {
        action: 'auth.logout',
        target: `user:${principal.userId}`,
        ip: clientIp(req),
      });
    }
    res.clearCookie(SESSION_COOKIE, cookieOptions(req));
    res.clearCookie(DISPLAY_COOKIE, cookieOptions(req));
    res.status(204).end();
  });

  // Who is calling, for anyone (the page frame shows the caller's pages): `me` null before a login, no 401.
  router.get('/api/session', noQuery, async (req, res) => {
    const principal = await auth.principalOf(req);
    res.set('Cache-Control', 'no-store').json({ me: principal.kind === 'anonymous' ? null : meJson(principal) });
  });

  router.get('/api/me', auth.requireLogin, noQuery, async (req, res) => {
    const principal = await auth.principalOf(req);
    if (principal.kind === 'anonymous') throw new HttpError(401, 'not logged in');
    res.set('Cache-Control', 'no-store').json(meJson(principal));
  });

  // The user's own password: the current one is checked like a login (a wrong one counts toward the lock);
  // the other sessions of the account end, this one stays.
  router.post('/api/me/password', auth.requireRole(...ROLES), async (req, res) => {
    const { current, next } = validate(PasswordChangeBody, req.body, 'body');
    const principal = await auth.principalOf(req);
    if (principal.kind !== 'user') throw new HttpError(403, 'only an account has a password');
    refusePassword(principal.username, next);
    if (next === current) throw new HttpError(400, 'the new password must differ from the current one', 'WeakPassword');
    try {
      await checkPassword(pool, countyCode, config, {
        username: principal.username,
        password: current,
        ip: clientIp(req),
      });
    } catch (e) {
      if (e instanceof HttpError && e.status === 401)
        throw new HttpError(403, 'the current password is wrong', 'WrongPassword');
      withRetryAfter(res, e);
    }
    res
      .set('Cache-Control', 'no-store')
      .json(await changeOwnPassword(pool, countyCode, principal, next, clientIp(req)));
  });

  return router;
}
