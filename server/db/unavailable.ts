/**
 * Whether an error means "the database cannot be reached right now" (stopped, restarting, network) rather
 * than a fault of the request or of our SQL: such requests are answered 503 with Retry-After, and the pool
 * and the stream's listener reconnect by themselves when it is back.
 */

/** Seconds a client is asked to wait before retrying while the database is away. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

// SQLSTATE class 08 (connection exception) and 57P0x (admin/crash shutdown, cannot connect now).
const UNAVAILABLE_SQLSTATES = /^(08...|57P01|57P02|57P03|53300)$/;
const UNAVAILABLE_SYSCALL_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOENT',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
const UNAVAILABLE_MESSAGES = new RegExp(
  [
    'Connection terminated',
    'timeout exceeded when trying to connect',
    'Client has encountered a connection error',
    'Connection ended unexpectedly',
    'the database system is (starting up|shutting down|in recovery mode)',
  ].join('|'),
  'i',
);

export function isDatabaseUnavailable(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const { code, message, syscall } = err as { code?: unknown; message?: unknown; syscall?: unknown };
  if (typeof code === 'string' && UNAVAILABLE_SQLSTATES.test(code)) return true;
  // ENOENT only from a socket connect (the unix socket is gone while PostgreSQL is stopped), not from a file.
  if (typeof code === 'string' && UNAVAILABLE_SYSCALL_CODES.has(code) && (code !== 'ENOENT' || syscall === 'connect'))
    return true;
  return typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message);
}

let lastLogged = 0;
let suppressed = 0;
/** One log line per 10 s while the database is away, not one per refused request. */
export function logUnavailable(reason: string): void {
  const now = Date.now();
  if (now - lastLogged < 10_000) {
    suppressed++;
    return;
  }
  console.error(
    `[gridlink] database unavailable, answering 503: ${reason}${suppressed ? ` (${suppressed} more since the last line)` : ''}`,
  );
  lastLogged = now;
  suppressed = 0;
}
