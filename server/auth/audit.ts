import type { Pool, Queryable } from '../postgres/pool.ts';
import { inTransaction } from '../postgres/pool.ts';
import { writeAudit, type AuditEntry } from '../db/audit-repo.ts';
import { actorLabel, type Principal } from '../../shared/roles.ts';

/** Writes an audit row with the caller as actor. Every write, and every unmasked view, goes through here. */
export function audit(
  db: Queryable,
  countyCode: string,
  principal: Principal,
  entry: Omit<AuditEntry, 'actor' | 'actorUserId'>,
): Promise<void> {
  return writeAudit(db, countyCode, {
    ...entry,
    actorUserId: principal.kind === 'user' ? principal.userId : null,
    actor: actorLabel(principal),
  });
}

/** The record of one view of unmasked personal data: who saw which fields of whom. */
export function auditUnmaskedView(
  db: Queryable,
  countyCode: string,
  principal: Principal,
  personId: string,
  fields: string[],
  ip?: string,
): Promise<void> {
  return audit(db, countyCode, principal, {
    action: 'people.view_unmasked',
    target: `person:${personId}`,
    after: { fields },
    ip,
  });
}

/** The records of one answer's people shown unmasked: all of them or none (one transaction). */
export async function auditUnmaskedViews(
  pool: Pool,
  countyCode: string,
  principal: Principal,
  personIds: string[],
  fields: string[],
  ip?: string,
): Promise<void> {
  if (!personIds.length) return;
  await inTransaction(pool, async (client) => {
    for (const id of personIds) await auditUnmaskedView(client, countyCode, principal, id, fields, ip);
  });
}
