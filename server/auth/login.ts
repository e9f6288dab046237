import { setTimeout as sleep } from 'node:timers/promises';
import { inTransaction, type Pool } from '../db/pool.ts';
import type { AuthConfig } from '../config.ts';
import { HttpError } from '../http-error.ts';
import { findUserByUsername, recordLogin, type UserRow } from '../db/users-repo.ts';
import { clearLoginFailures, countGlobalFailure, countLoginFailure, createSession, globalFailures, lockLoginKey, loginStates } from '../db/sessions-repo.ts';
import { writeAudit } from '../db/audit-repo.ts';
import { dummyPasswordHash, verifyPassword } from './passwords.ts';
import { hashToken, newToken } from './tokens.ts';
import { GLOBAL_KEY, ipKey, lockSecondsAfter, loginDelayMs, pairKey, type ThrottlePolicy } from './throttle.ts';
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
    maxFailuresPerPair: config.maxFailuresPerPair,
    maxFailuresPerIp: config.maxFailuresPerIp,
    lockSeconds: config.lockSeconds,
    maxLockSeconds: config.maxLockSeconds,
    failureWindowSeconds: config.failureWindowSeconds,
    delayStepMs: config.delayStepMs,
    delayMaxMs: config.delayMaxMs,
    maxFailuresPerMinute: config.maxFailuresPerMinute,
  };
}

/**
 * Checks a username and password, throttled per (username, address) pair, per address and for the county
 * as a whole (throttle.ts): a pair or an address that keeps failing is first slowed, then refused for a
 * time that doubles with each further failure — whether or not the user exists, and whatever the password,
 * so a refusal reveals nothing either. A username is never locked as such: its owner elsewhere gets in.
 * Used by the login and by the password change (whose wrong current password counts the same way).
 */
export async function checkPassword(pool: Pool, countyCode: string, config: AuthConfig, username: string, password: string, ip: string): Promise<UserRow> {
  const policy = policyOf(config);
  const keys = [pairKey(username, ip), ipKey(ip)];
  const [[pair, address], county] = await Promise.all([
    loginStates(pool, countyCode, keys, policy.failureWindowSeconds),
    globalFailures(pool, countyCode, GLOBAL_KEY),
  ]);
  const lockedFor = Math.max(pair.lockSecondsLeft, address.lockSecondsLeft);
  if (lockedFor > 0) throw locked(lockedFor);
  const underAttack = county.failures >= policy.maxFailuresPerMinute;
  // Many failures county-wide: an address that failed within the minute waits for the minute to end.
  if (underAttack && address.failedThisMinute) throw locked(county.secondsLeft);
  const delay = Math.max(loginDelayMs(policy, pair.failures, address.failures), underAttack ? policy.delayMaxMs : 0);
  if (delay > 0) await sleep(delay);

  const account = await findUserByUsername(pool, countyCode, username);
  // A missing user costs one scrypt too, so the time taken does not tell either.
  const valid = await verifyPassword(password, account?.passwordHash ?? (await dummyPasswordHash()));
  if (!account || !valid || account.disabled) {
    // The pair, the address and the county's minute count together, in one transaction (same order everywhere).
    await inTransaction(pool, async (client) => {
      const counts = [
        { key: keys[0], failures: await countLoginFailure(client, countyCode, keys[0], policy.failureWindowSeconds), max: policy.maxFailuresPerPair },
        { key: keys[1], failures: await countLoginFailure(client, countyCode, keys[1], policy.failureWindowSeconds), max: policy.maxFailuresPerIp },
      ];
      await countGlobalFailure(client, countyCode, GLOBAL_KEY);
      for (const c of counts) {
        const seconds = lockSecondsAfter(policy, c.failures, c.max);
        if (seconds === 0) continue;
        const until = await lockLoginKey(client, countyCode, c.key, seconds);
        await writeAudit(client, countyCode, { actorUserId: null, actor: 'system', action: 'auth.lock', target: c.key, after: { failures: c.failures, lockedUntil: until, seconds }, ip });
      }
    });
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

function locked(retryAfterSeconds: number): HttpError {
  const seconds = Math.max(1, retryAfterSeconds);
  return new HttpError(429, `too many failed logins: try again in ${Math.ceil(seconds / 60)} min`, 'TooManyAttempts', { retryAfterSeconds: seconds });
}
