/** The login throttling policy (pure); the counters live in login_attempts (server/db/sessions-repo.ts). */
import { clientAddressKey } from '../client-address.ts';

export interface ThrottlePolicy {
  /** Failures of one (username, address) pair before that pair is refused for a while. */
  maxFailuresPerPair: number;
  /** Failures from one address, whatever the usernames, before the address is refused for a while. */
  maxFailuresPerIp: number;
  /** The first refusal lasts this long; each further failure doubles it, up to maxLockSeconds. */
  lockSeconds: number;
  maxLockSeconds: number;
  /** A counter is forgotten this long after its last failure (unless it is refusing). */
  failureWindowSeconds: number;
  /** Delay before answering after the second failure; doubles with each further one. */
  delayStepMs: number;
  delayMaxMs: number;
  /**
   * Failed logins per minute across the county (every worker: the counter is in the database). Above it every
   * login waits delayMaxMs and an address that failed within the minute is refused until the minute ends; an
   * address without a recent failure (the legitimate user elsewhere) still gets in.
   */
  maxFailuresPerMinute: number;
}

/**
 * How long to wait before checking a password, given the failures so far of the (username, address) pair
 * and of the address. The address counts in proportion to its larger allowance.
 */
export function loginDelayMs(policy: ThrottlePolicy, pairFailures: number, ipFailures: number): number {
  const failures = Math.max(
    pairFailures,
    Math.floor((ipFailures * policy.maxFailuresPerPair) / policy.maxFailuresPerIp),
  );
  if (failures < 2) return 0;
  return Math.min(policy.delayMaxMs, policy.delayStepMs * 2 ** (failures - 2));
}

/** Seconds a key is refused after its failures-th failure: none below max, then lockSeconds doubling, capped. */
export function lockSecondsAfter(policy: ThrottlePolicy, failures: number, max: number): number {
  if (failures < max) return 0;
  // The exponent is bounded so the product stays finite whatever the count.
  return Math.min(policy.maxLockSeconds, policy.lockSeconds * 2 ** Math.min(failures - max, 30));
}

/** One counter per (username without regard to case, address): the address key has no space, so the first space splits. */
export const pairKey = (username: string, ip: string) => `pair:${clientAddressKey(ip)} ${username.toLowerCase()}`;
export const ipKey = (ip: string) => `ip:${clientAddressKey(ip)}`;
/** The county's failed logins of the current minute. */
export const GLOBAL_KEY = 'global';
