import { setTimeout as sleep } from 'node:timers/promises';
import { inTransaction, type Pool } from '../postgres/pool.ts';
import type { AuthConfig } from '../config.ts';
import { HttpError } from '../http-error.ts';
import { findUserByUsername, recordLogin, type UserRow } from '../db/users-repo.ts';
import {
  clearLoginFailures,
  countGlobalFailure,
  createSession,
  globalFailures,
  lockLoginCounters,
  setLoginCounter,
  uncountGlobalFailure,
  uncountLoginAttempt,
} from '../db/sessions-repo.ts';
import { writeAudit } from '../db/audit-repo.ts';
import { dummyPasswordHash, verifyPassword } from './passwords.ts';
import { hashToken, newToken } from './tokens.ts';
import { GLOBAL_KEY, ipKey, lockSecondsAfter, loginDelayMs, pairKey, type ThrottlePolicy } from './throttle.ts';
import type { Principal } from '../../shared/roles.ts';

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

/** A username and password tried from an address. */
export interface Attempt {
  username: string;
  password: string;
  ip: string;
}

/**
 * Checks a username and password, throttled per (username, address) pair, per address and for the county
 * as a whole (throttle.ts): a pair or an address that keeps failing is first slowed, then refused for a
 * time that doubles with each further failure — whether or not the user exists, and whatever the password,
 * so a refusal reveals nothing either. A username is never locked as such: its owner elsewhere gets in.
 * Used by the login and by the password change (whose wrong current password counts the same way).
 *
 * Each attempt is counted as a failure before the password is checked, and taken back when it was right:
 * parallel guesses queue on the counters' rows and the sixth finds the pair refused, however many are sent at once.
 */
export async function checkPassword(
  pool: Pool,
  countyCode: string,
  config: AuthConfig,
  { username, password, ip }: Attempt,
): Promise<UserRow> {
  const policy = policyOf(config);
  const [pairName, ipName] = [pairKey(username, ip), ipKey(ip)];
  const attempt = await inTransaction(pool, async (client) => {
    const [pair, address] = await lockLoginCounters(
      client,
      countyCode,
      [pairName, ipName],
      policy.failureWindowSeconds,
    );
    const lockedFor = Math.max(pair.lockSecondsLeft, address.lockSecondsLeft);
    if (lockedFor > 0) return { refusedFor: lockedFor };
    const county = await globalFailures(client, countyCode, GLOBAL_KEY);
    const underAttack = county.failures >= policy.maxFailuresPerMinute;
    // Many failures county-wide: an address that failed within the minute waits for the minute to end.
    if (underAttack && address.failedThisMinute) return { refusedFor: county.secondsLeft };
    const counted = [
      {
        key: pairName,
        failures: pair.failures + 1,
        seconds: lockSecondsAfter(policy, pair.failures + 1, policy.maxFailuresPerPair),
        until: null as Date | null,
      },
      {
        key: ipName,
        failures: address.failures + 1,
        seconds: lockSecondsAfter(policy, address.failures + 1, policy.maxFailuresPerIp),
        until: null as Date | null,
      },
    ];
    for (const c of counted) c.until = await setLoginCounter(client, countyCode, c.key, c.failures, c.seconds);
    await countGlobalFailure(client, countyCode, GLOBAL_KEY);
    const delayMs = Math.max(
      loginDelayMs(policy, pair.failures, address.failures),
      underAttack ? policy.delayMaxMs : 0,
    );
    return { refusedFor: 0, delayMs, counted, addressBefore: address.lastFailureText };
  });
  if (attempt.refusedFor > 0 || !attempt.counted) throw locked(attempt.refusedFor);
  if (attempt.delayMs > 0) await sleep(attempt.delayMs);

  const account = await findUserByUsername(pool, countyCode, username);
  // A missing user costs one scrypt too, so the time taken does not tell either.
  const valid = await verifyPassword(password, account?.passwordHash ?? (await dummyPasswordHash()));
  if (!account || !valid || account.disabled) {
    for (const c of attempt.counted.filter((x) => x.until)) {
      await writeAudit(pool, countyCode, {
        actorUserId: null,
        actor: 'system',
        action: 'auth.lock',
        target: c.key,
        after: { failures: c.failures, lockedUntil: c.until, seconds: c.seconds },
        ip,
      });
    }
    throw new HttpError(401, LOGIN_FAILED, 'LoginFailed');
  }
  // Right: the pair starts again; the address and the county's minute take this attempt back.
  await inTransaction(pool, async (client) => {
    await lockLoginCounters(client, countyCode, [pairName, ipName], policy.failureWindowSeconds);
    await clearLoginFailures(client, countyCode, pairName);
    await uncountLoginAttempt(
      client,
      countyCode,
      ipName,
      attempt.counted[1].failures,
      attempt.addressBefore,
      attempt.counted[1].until !== null,
    );
    await uncountGlobalFailure(client, countyCode, GLOBAL_KEY);
  });
  return account;
}

export async function login(
  pool: Pool,
  countyCode: string,
  config: AuthConfig,
  attempt: Attempt,
): Promise<LoginResult> {
  const account = await checkPassword(pool, countyCode, config, attempt);
  const { ip } = attempt;
  const token = newToken();
  const sessionHash = hashToken(token);
  const expiresAt = await createSession(pool, countyCode, sessionHash, account.id, config.sessionTtlSeconds);
  await recordLogin(pool, countyCode, account.id);
  await writeAudit(pool, countyCode, {
    actorUserId: account.id,
    actor: account.username,
    action: 'auth.login',
    target: `user:${account.id}`,
    ip,
  });
  return {
    token,
    expiresAt,
    principal: {
      kind: 'user',
      userId: account.id,
      username: account.username,
      displayName: account.displayName,
      role: account.role,
      scope: account.scope,
      sessionHash,
    },
  };
}

function locked(retryAfterSeconds: number): HttpError {
  const seconds = Math.max(1, retryAfterSeconds);
  return new HttpError(429, `too many failed logins: try again in ${Math.ceil(seconds / 60)} min`, 'TooManyAttempts', {
    retryAfterSeconds: seconds,
  });
}
