import type { Pool } from './pool.ts';

type Queryable = Pick<Pool, 'query'>;

/** One row of the audit log: who did what to which target, with the state before and after. */
export interface AuditEntry {
  actorUserId: number | null;
  /** Readable actor: a username, `wall:<screen>`, `cli`, `system`. */
  actor: string;
  /** Dotted verb: `auth.login`, `display_token.create`, `people.view_unmasked`, … */
  action: string;
  target?: string | null;
  before?: unknown;
  after?: unknown;
  ip?: string | null;
}

export async function writeAudit(db: Queryable, countyCode: string, e: AuditEntry): Promise<void> {
  await db.query(
    `insert into audit_log (county_code, actor_user_id, actor, action, target, before, after, ip)
     values ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8)`,
    [
      countyCode,
      e.actorUserId,
      e.actor,
      e.action,
      e.target ?? null,
      e.before === undefined ? null : JSON.stringify(e.before),
      e.after === undefined ? null : JSON.stringify(e.after),
      e.ip ?? null,
    ],
  );
}
