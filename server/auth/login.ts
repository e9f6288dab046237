import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool } from '../db/pool.ts';
import type { AuthConfig } from '../config.ts';
import { HttpError } from '../http-error.ts';
import { findUserByUsername, recordLogin, type UserRow } from '../db/users-repo.ts';
import { clearLoginFailures, createSession, loginStates, recordLoginFailure } from '../db/sessions-repo.ts';
import { writeAudit } from '../db/audit-repo.ts';
import { dummyPasswordHash, verifyPassword } from './passwords.ts';
import { hashToken, newToken } from './tokens.ts';
import { ipKey, loginDelayMs, userKey, type ThrottlePolicy } from './throttle.ts';
import type { Principal } from './roles.ts';

/** The one answer to every failed login: it says nothing about whether the user exists. */
export const LOGIN_FAILED = 'wrong username or password';

export interface LoginResult {
  token: string;
  expiresAt: Date;
  principal: Extract<Principal, { kind: 'user' }>;
}

function policyOf(config: AuthConfig): ThrottlePolicy {
  return {
    maxFailuresPerUser: config.maxFailuresPerUser,
    maxFailuresPerIp: config.maxFailuresPerIp,
    lockoutSeconds: config.lockoutSeconds,
    delayStepMs: config.delayStepMs,
    delayMaxMs: config.delayMaxMs,
  };
}

/**
 * Checks a username and password, throttled per username and per address: after repeated failures
 * the answer is delayed, then the username (or the address) is locked for a while — whether or not
 * the user exists, and whatever the password, so a lock reveals nothing either. Used by the login and
 * by the password change (whose wrong current password counts the same way).
 */
export async function checkPassword(pool: Pool, countyCode: string, config: AuthConfig, username: string, password: string, ip: string): Promise<UserRow> {
  const policy = policyOf(config);
  const keys = [userKey(username), ipKey(ip)];
  const [user, address] = await loginStates(pool, countyCode, keys, policy.lockoutSeconds);
  const lockedUntil = [user, address].map((s) => s.lockedUntil).filter((d): d is Date => d !== null).sort((a, b) => b.getTime() - a.getTime())[0];
  if (lockedUntil) throw locked(lockedUntil);
  const delay = loginDelayMs(policy, user.failures, address.failures);
  if (delay > 0) await sleep(delay);

  const account = await findUserByUsername(pool, countyCode, username);
  // A missing user costs one scrypt too, so the time taken does not tell either.
  const valid = await verifyPassword(password, account?.passwordHash ?? (await dummyPasswordHash()));
  if (!account || !valid || account.disabled) {
    const after = await Promise.all([
      recordLoginFailure(pool, countyCode, keys[0], policy.maxFailuresPerUser, policy.lockoutSeconds),
      recordLoginFailure(pool, countyCode, keys[1], policy.maxFailuresPerIp, policy.lockoutSeconds),
    ]);
    for (const state of after) {
      if (state.lockedUntil) {
        await writeAudit(pool, countyCode, { actorUserId: null, actor: 'system', action: 'auth.lock', target: state.key, after: { lockedUntil: state.lockedUntil }, ip });
      }
    }
    throw new HttpError(401, LOGIN_FAILED, 'LoginFailed');
  }
  await clearLoginFailures(pool, countyCode, keys[0]);
  return account;
}

export async function login(pool: Pool, countyCode: string, config: AuthConfig, username: string, password: string, ip: string): Promise<LoginResult> {
  const account = await checkPassword(pool, countyCode, config, username, password, ip);
  const token = newToken();
  const sessionHash = hashToken(token);
  const expiresAt = await createSession(pool, countyCode, sessionHash, account.id, config.sessionTtlSeconds);
  await recordLogin(pool, countyCode, account.id);
  await writeAudit(pool, countyCode, { actorUserId: account.id, actor: account.username, action: 'auth.login', target: `user:${account.id}`, ip });
  return {
    token,
    expiresAt,
    principal: { kind: 'user', userId: account.id, username: account.username, role: account.role, scope: account.scope, sessionHash },
  };
}

function locked(until: Date): HttpError {
  const seconds = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000));
  return new HttpError(429, `too many failed logins: try again in ${Math.ceil(seconds / 60)} min`, 'TooManyAttempts', { retryAfterSeconds: seconds });
}
