import type { Queryable } from '../postgres/pool.ts';
import type { AuditEntry as AuditListEntry } from '../../shared/api/admin.ts';

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

/** The audit viewer's filters; each is optional. */
export interface AuditFilter {
  /** The actor's label, without regard to case. */
  actor?: string;
  /** An action (`user.create`) or a family of them (`user`). */
  action?: string;
  /** A target (`user:5`) or a kind of target (`user`). */
  entity?: string;
  /** From (inclusive) and to (exclusive). */
  from?: Date;
  to?: Date;
}

/** A row as the audit viewer lists it (shared/api/admin.ts), with its time as read from the database. */
export type AuditRow = Omit<AuditListEntry, 'at'> & { at: Date };

/** Audit rows matching the filter, newest first, one page of them, with how many match in all. */
export async function listAudit(
  db: Queryable,
  countyCode: string,
  filter: AuditFilter,
  page: { limit: number; offset: number },
): Promise<{ total: number; entries: AuditRow[] }> {
  const params: unknown[] = [countyCode];
  const where = ['county_code = $1'];
  const param = (value: unknown) => `$${params.push(value)}`;
  if (filter.actor !== undefined) where.push(`lower(actor) = lower(${param(filter.actor)})`);
  if (filter.action !== undefined) {
    const p = param(filter.action);
    where.push(`(action = ${p} or starts_with(action, ${p} || '.'))`);
  }
  if (filter.entity !== undefined) {
    const p = param(filter.entity);
    where.push(`(target = ${p} or starts_with(target, ${p} || ':'))`);
  }
  if (filter.from !== undefined) where.push(`at >= ${param(filter.from)}`);
  if (filter.to !== undefined) where.push(`at < ${param(filter.to)}`);
  const condition = where.join(' and ');
  const total = await db.query<{ n: number }>(`select count(*)::int as n from audit_log where ${condition}`, params);
  const { rows } = await db.query<AuditRow>(
    `select id, at, actor, actor_user_id as "actorUserId", action, target, before, after, ip
     from audit_log where ${condition} order by id desc limit ${param(page.limit)} offset ${param(page.offset)}`,
    params,
  );
  return { total: total.rows[0].n, entries: rows };
}

/** Deletes the audit rows older than `retentionDays` days; the number deleted. */
export async function pruneAudit(db: Queryable, countyCode: string, retentionDays: number): Promise<number> {
  const { rowCount } = await db.query(
    'delete from audit_log where county_code = $1 and at < now() - make_interval(days => $2)',
    [countyCode, retentionDays],
  );
  return rowCount ?? 0;
}
