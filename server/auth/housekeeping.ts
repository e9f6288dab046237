import type { Pool } from '../postgres/pool.ts';
import type { AuthConfig } from '../config.ts';
import { inTransaction } from '../postgres/pool.ts';
import { pruneExpiredSessions, pruneLoginAttempts } from '../db/sessions-repo.ts';
import { pruneAudit, writeAudit } from '../db/audit-repo.ts';

/** Expired sessions and stale login counters go every hour; audit rows past their retention once a day. */
export const SESSION_PRUNE_INTERVAL_MS = 3600 * 1000;
export const AUDIT_PRUNE_INTERVAL_MS = 24 * 3600 * 1000;

export interface Pruned {
  sessions: number;
  loginAttempts: number;
  /** null when the audit log was not due (or is kept forever). */
  audit: number | null;
}

/** Deletes expired sessions and login counters that no longer count. */
export async function pruneSessions(
  pool: Pool,
  countyCode: string,
  config: Pick<AuthConfig, 'failureWindowSeconds'>,
): Promise<Omit<Pruned, 'audit'>> {
  return {
    sessions: await pruneExpiredSessions(pool, countyCode),
    loginAttempts: await pruneLoginAttempts(pool, countyCode, config.failureWindowSeconds),
  };
}

/**
 * Deletes the audit rows older than the retention (0: none), recording the deletion itself — with the
 * count and the retention, in the same transaction — when there was something to delete.
 */
export async function pruneAuditLog(pool: Pool, countyCode: string, retentionDays: number): Promise<number> {
  if (retentionDays === 0) return 0;
  return inTransaction(pool, async (client) => {
    const deleted = await pruneAudit(client, countyCode, retentionDays);
    if (deleted > 0) {
      await writeAudit(client, countyCode, {
        actorUserId: null,
        actor: 'system',
        action: 'audit.prune',
        after: { deleted, retentionDays },
      });
    }
    return deleted;
  });
}

/**
 * Runs the pruning at start and then periodically, in the background (timers unref'd: they never keep
 * the process alive). stop() ends it. With several server processes each prunes; the deletes are idempotent.
 */
export function startHousekeeping(
  pool: Pool,
  countyCode: string,
  config: AuthConfig,
  log: (line: string) => void,
): { stop(): Promise<void> } {
  let lastAuditPrune = 0;
  const run = async () => {
    try {
      const { sessions, loginAttempts } = await pruneSessions(pool, countyCode, config);
      let audit = 0;
      if (Date.now() - lastAuditPrune >= AUDIT_PRUNE_INTERVAL_MS) {
        audit = await pruneAuditLog(pool, countyCode, config.auditRetentionDays);
        lastAuditPrune = Date.now();
      }
      if (sessions + loginAttempts + audit > 0) {
        log(
          `Pruned ${sessions} expired sessions, ${loginAttempts} stale login counters, ${audit} audit rows past ${config.auditRetentionDays} days.`,
        );
      }
    } catch (e) {
      log(`Pruning failed (tried again in an hour): ${(e as Error).message}`);
    }
  };
  let running = run();
  const timer = setInterval(() => (running = run()), SESSION_PRUNE_INTERVAL_MS);
  timer.unref();
  return {
    /** Stops the timer and waits for a run in progress (before the pool closes). */
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
