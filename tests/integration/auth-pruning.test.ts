// Pruning: expired sessions and stale login counters (hourly and at start), audit rows past the retention
// (daily; AUDIT_RETENTION_DAYS, 0 keeps them). Each deletes only what is due.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { pruneAuditLog, pruneSessions, startHousekeeping } from '../../server/auth/housekeeping.ts';
import { COUNTY, testPool } from '../helpers/db.ts';
import { uniqueName } from '../helpers/accounts.ts';

const pool = testPool();
const config = loadConfig().auth;
const actor = uniqueName('pruning');
let userId: number;

beforeAll(async () => {
  userId = (await pool.query(`select id from users where username = 'demo-reporter'`)).rows[0].id;
});
afterAll(async () => {
  await pool.query(`delete from sessions where token_hash like 'prune-%'`);
  await pool.query(`delete from login_attempts where key like 'user:prune-%'`);
  await pool.query('delete from audit_log where actor = $1', [actor]);
  await pool.end();
});

async function addSession(name: string, expiresIn: string) {
  await pool.query(
    `insert into sessions (county_code, token_hash, user_id, expires_at) values ($1, $2, $3, now() + $4::interval)`,
    [COUNTY, `prune-${name}`, userId, expiresIn],
  );
}
const sessionsLeft = async () =>
  (await pool.query(`select token_hash from sessions where token_hash like 'prune-%' order by 1`)).rows.map(
    (r) => r.token_hash,
  );
async function addAudit(name: string, age: string) {
  await pool.query(
    `insert into audit_log (county_code, actor, action, target, at) values ($1, $2, 'test.prune', $3, now() - $4::interval)`,
    [COUNTY, actor, name, age],
  );
}
const auditLeft = async () =>
  (await pool.query(`select target from audit_log where actor = $1 order by 1`, [actor])).rows.map((r) => r.target);

describe('pruning', () => {
  it('deletes expired sessions and login counters that no longer count, nothing else', async () => {
    await addSession('expired', '-1 minute');
    await addSession('live', '1 hour');
    const window = `${config.failureWindowSeconds} seconds`;
    await pool.query(
      `insert into login_attempts (county_code, key, failures, last_failure_at, locked_until) values
         ($1, 'user:prune-stale', 2, now() - $2::interval - interval '1 minute', null),
         ($1, 'user:prune-lock-over', 5, now() - $2::interval - interval '1 minute', now() - interval '1 minute'),
         ($1, 'user:prune-recent', 2, now() - interval '1 minute', null),
         ($1, 'user:prune-locked', 5, now() - $2::interval - interval '1 minute', now() + interval '10 minutes')`,
      [COUNTY, window],
    );
    const pruned = await pruneSessions(pool, COUNTY, config);
    expect(pruned.sessions).toBeGreaterThanOrEqual(1);
    expect(pruned.loginAttempts).toBeGreaterThanOrEqual(2);
    expect(await sessionsLeft()).toEqual(['prune-live']);
    const keys = (await pool.query(`select key from login_attempts where key like 'user:prune-%' order by 1`)).rows.map(
      (r) => r.key,
    );
    expect(keys).toEqual(['user:prune-locked', 'user:prune-recent']);
  });

  it('deletes audit rows past the retention, recording how many', async () => {
    await addAudit('old', '366 days');
    await addAudit('young', '364 days');
    const before = (await pool.query(`select count(*)::int as n from audit_log where at < now() - interval '365 days'`))
      .rows[0].n;
    const deleted = await pruneAuditLog(pool, COUNTY, 365);
    expect(deleted).toBe(before);
    expect(await auditLeft()).toEqual(['young']);
    const record = (
      await pool.query(`select actor, after from audit_log where action = 'audit.prune' order by id desc limit 1`)
    ).rows[0];
    expect(record).toEqual({ actor: 'system', after: { deleted, retentionDays: 365 } });
  });

  it('keeps everything with a retention of 0', async () => {
    await addAudit('ancient', '3650 days');
    const total = (await pool.query('select count(*)::int as n from audit_log')).rows[0].n;
    expect(await pruneAuditLog(pool, COUNTY, 0)).toBe(0);
    expect((await pool.query('select count(*)::int as n from audit_log')).rows[0].n).toBe(total);
    expect(await auditLeft()).toEqual(['ancient', 'young']);
  });

  it('runs at start, before its first period', async () => {
    await addSession('expired-again', '-1 second');
    await addAudit('old-again', '30 days');
    await addAudit('recent', '28 days');
    const lines: string[] = [];
    const housekeeping = startHousekeeping(pool, COUNTY, { ...config, auditRetentionDays: 29 }, (l) => lines.push(l));
    await housekeeping.stop();
    expect(await sessionsLeft()).toEqual(['prune-live']);
    expect(await auditLeft()).toEqual(['recent']);
    expect(lines.join('\n')).toMatch(/Pruned \d+ expired sessions/);
  });

  it('reads AUDIT_RETENTION_DAYS: default 365, 0 allowed, anything else refused', () => {
    expect(loadConfig({}).auth.auditRetentionDays).toBe(365);
    expect(loadConfig({ AUDIT_RETENTION_DAYS: '0' }).auth.auditRetentionDays).toBe(0);
    expect(loadConfig({ AUDIT_RETENTION_DAYS: '30' }).auth.auditRetentionDays).toBe(30);
    for (const bad of ['-1', '1.5', 'forever'])
      expect(() => loadConfig({ AUDIT_RETENTION_DAYS: bad })).toThrow(/AUDIT_RETENTION_DAYS/);
  });
});
