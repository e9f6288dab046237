/** The login throttling policy (pure); the counters live in login_attempts (server/db/sessions-repo.ts). */

export interface ThrottlePolicy {
  /** Failures of one username before it is locked. */
  maxFailuresPerUser: number;
  /** Failures from one address before it is locked. */
  maxFailuresPerIp: number;
  /** How long a lock lasts; failures older than this are forgotten. */
  lockoutSeconds: number;
  /** Delay before answering after the second failure; doubles with each further one. */
  delayStepMs: number;
  delayMaxMs: number;
}

/**
 * How long to wait before checking a password, given the failures so far of the username and of the
 * address. The address counts in proportion to its larger allowance.
 */
export function loginDelayMs(policy: ThrottlePolicy, userFailures: number, ipFailures: number): number {
  const failures = Math.max(userFailures, Math.floor((ipFailures * policy.maxFailuresPerUser) / policy.maxFailuresPerIp));
  if (failures < 2) return 0;
  return Math.min(policy.delayMaxMs, policy.delayStepMs * 2 ** (failures - 2));
}

export const userKey = (username: string) => `user:${username.toLowerCase()}`;
export const ipKey = (ip: string) => `ip:${ip}`;
