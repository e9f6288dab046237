import type { Queryable } from '../postgres/pool.ts';
import { scopeJson } from './users-repo.ts';
import { findInCounty, firstRow } from './one-row.ts';
import type { AreaScope, Role } from '../../shared/roles.ts';
import type { DisplayToken as ApiDisplayToken } from '../../shared/api/admin.ts';

// Sessions, wall display tokens and login-failure counters. Tokens arrive here already hashed.

export async function createSession(
  db: Queryable,
  countyCode: string,
  tokenHash: string,
  userId: number,
  ttlSeconds: number,
): Promise<Date> {
  // Expired rows of anyone are cleared on the way: the table stays the size of the live sessions.
  await pruneExpiredSessions(db, countyCode);
  const { rows } = await db.query<{ expiresAt: Date }>(
    `insert into sessions (county_code, token_hash, user_id, expires_at)
     values ($1, $2, $3, now() + make_interval(secs => $4)) returning expires_at as "expiresAt"`,
    [countyCode, tokenHash, userId, ttlSeconds],
  );
  return rows[0].expiresAt;
}

export interface SessionUser {
  userId: number;
  username: string;
  displayName: string | null;
  role: Role;
  scope: AreaScope;
}

/** The account of a live session; undefined when unknown, expired or the account is disabled. */
export const findSessionUser = (db: Queryable, countyCode: string, tokenHash: string) =>
  firstRow<SessionUser>(
    db,
    `select u.id as "userId", u.username, u.display_name as "displayName", u.role,
            ${scopeJson('u.')} as scope
     from sessions s join users u on u.county_code = s.county_code and u.id = s.user_id
     where s.county_code = $1 and s.token_hash = $2 and s.expires_at > now() and not u.disabled`,
    [countyCode, tokenHash],
  );

export async function deleteSession(db: Queryable, countyCode: string, tokenHash: string): Promise<void> {
  await db.query('delete from sessions where county_code = $1 and token_hash = $2', [countyCode, tokenHash]);
}

/** Ends every session of an account, except `keepHash` (the caller's own); the number ended. */
export async function deleteUserSessions(
  db: Queryable,
  countyCode: string,
  userId: number,
  keepHash: string | null = null,
): Promise<number> {
  const { rowCount } = await db.query(
    'delete from sessions where county_code = $1 and user_id = $2 and token_hash is distinct from $3',
    [countyCode, userId, keepHash],
  );
  return rowCount ?? 0;
}

/** Deletes the sessions that have expired; the number deleted. */
export async function pruneExpiredSessions(db: Queryable, countyCode: string): Promise<number> {
  const { rowCount } = await db.query('delete from sessions where county_code = $1 and expires_at <= now()', [
    countyCode,
  ]);
  return rowCount ?? 0;
}

// Display tokens

/** A display token as the administration lists it (shared/api/admin.ts), with its times as read from the database. */
export type DisplayToken = Omit<ApiDisplayToken, 'createdAt' | 'revokedAt'> & {
  createdAt: Date;
  revokedAt: Date | null;
};

const DISPLAY_COLUMNS = `id, screen, created_by as "createdBy", created_at as "createdAt", revoked_at as "revokedAt"`;

export async function createDisplayToken(
  db: Queryable,
  countyCode: string,
  tokenHash: string,
  screen: string,
  createdBy: number,
): Promise<DisplayToken> {
  const { rows } = await db.query<DisplayToken>(
    `insert into display_tokens (county_code, token_hash, screen, created_by) values ($1, $2, $3, $4) returning ${DISPLAY_COLUMNS}`,
    [countyCode, tokenHash, screen, createdBy],
  );
  return rows[0];
}

export async function listDisplayTokens(db: Queryable, countyCode: string): Promise<DisplayToken[]> {
  const { rows } = await db.query<DisplayToken>(
    `select ${DISPLAY_COLUMNS} from display_tokens where county_code = $1 order by id`,
    [countyCode],
  );
  return rows;
}

export const findDisplayToken = (db: Queryable, countyCode: string, id: number) =>
  findInCounty<DisplayToken>(db, { columns: DISPLAY_COLUMNS, from: 'display_tokens d', alias: 'd' }, countyCode, id);

/** Marks a token revoked (keeping the first revocation time); undefined when there is no such token. */
export const revokeDisplayToken = (db: Queryable, countyCode: string, id: number) =>
  firstRow<DisplayToken>(
    db,
    `update display_tokens set revoked_at = coalesce(revoked_at, now())
     where county_code = $1 and id = $2 returning ${DISPLAY_COLUMNS}`,
    [countyCode, id],
  );

/** The live (not revoked) display token with this hash. */
export const findLiveDisplayToken = (db: Queryable, countyCode: string, tokenHash: string) =>
  firstRow<{ id: number; screen: string }>(
    db,
    'select id, screen from display_tokens where county_code = $1 and token_hash = $2 and revoked_at is null',
    [countyCode, tokenHash],
  );

// Login failures, per key ('pair:<address> <name>' / 'ip:<address>' / 'global')

export interface LoginState {
  key: string;
  /** Failures within the window (older ones are forgotten). */
  failures: number;
  /** Seconds the key is still refused (0: not refused), by the database's clock. */
  lockSecondsLeft: number;
  /** Whether its last failure is less than a minute old. */
  failedThisMinute: boolean;
  /** Its last failure as PostgreSQL text, to put back exactly when an attempt is taken back. */
  lastFailureText: string;
}

/**
 * Locks the counters of keys until the transaction ends (created, as forgotten, when missing; locked in key order
 * so that concurrent attempts never deadlock) and returns them as they count now (forgotten ones as zero).
 */
export async function lockLoginCounters(
  db: Queryable,
  countyCode: string,
  keys: string[],
  windowSeconds: number,
): Promise<LoginState[]> {
  await db.query(
    `insert into login_attempts (county_code, key, failures, last_failure_at)
     select $1, k, 0, '-infinity' from unnest($2::text[]) k
     on conflict (county_code, key) do nothing`,
    [countyCode, keys],
  );
  const { rows } = await db.query<LoginState>(
    `select key,
            case when last_failure_at < now() - make_interval(secs => $3) and coalesce(locked_until, now()) <= now() then 0
                 else failures end as failures,
            greatest(0, ceil(extract(epoch from coalesce(locked_until, now()) - now())))::int as "lockSecondsLeft",
            last_failure_at > now() - interval '1 minute' as "failedThisMinute", last_failure_at::text as "lastFailureText"
     from login_attempts where county_code = $1 and key = any($2::text[])
     order by key for update`,
    [countyCode, keys, windowSeconds],
  );
  return keys.map(
    (key) =>
      rows.find((r) => r.key === key) ?? {
        key,
        failures: 0,
        lockSecondsLeft: 0,
        failedThisMinute: false,
        lastFailureText: '-infinity',
      },
  );
}

/** Sets a (locked) counter after one more failed attempt: its count, and a refusal of lockSeconds when above 0. */
export async function setLoginCounter(
  db: Queryable,
  countyCode: string,
  key: string,
  failures: number,
  lockSeconds: number,
): Promise<Date | null> {
  const { rows } = await db.query<{ lockedUntil: Date | null }>(
    `update login_attempts set failures = $3, last_failure_at = now(),
            locked_until = case when $4 > 0 then now() + make_interval(secs => $4) else locked_until end
     where county_code = $1 and key = $2 returning case when $4 > 0 then locked_until end as "lockedUntil"`,
    [countyCode, key, failures, lockSeconds],
  );
  return rows[0]?.lockedUntil ?? null;
}

/**
 * Takes back one counted attempt of key (it succeeded): its count, the refusal it set if it set one, and — when no
 * other attempt was counted since (the count is still countedAs) — its time.
 */
export async function uncountLoginAttempt(
  db: Queryable,
  countyCode: string,
  key: string,
  countedAs: number,
  previousFailureText: string,
  liftRefusal: boolean,
): Promise<void> {
  await db.query(
    `update login_attempts set failures = greatest(failures - 1, 0),
            last_failure_at = case when failures = $3 then $4::timestamptz else last_failure_at end,
            locked_until = case when $5 then null else locked_until end
     where county_code = $1 and key = $2`,
    [countyCode, key, countedAs, previousFailureText, liftRefusal],
  );
}

/**
 * Counts one failed login of the county in a fixed one-minute window: the 'global' row's last_failure_at is
 * the start of its minute. Returns the count of the current minute.
 */
export async function countGlobalFailure(db: Queryable, countyCode: string, key: string): Promise<number> {
  const { rows } = await db.query<{ failures: number }>(
    `insert into login_attempts as a (county_code, key, failures, last_failure_at)
     values ($1, $2, 1, now())
     on conflict (county_code, key) do update
       set failures = case when a.last_failure_at <= now() - interval '1 minute' then 1 else a.failures + 1 end,
           last_failure_at = case when a.last_failure_at <= now() - interval '1 minute' then now() else a.last_failure_at end
     returning failures`,
    [countyCode, key],
  );
  return rows[0].failures;
}

/** Takes back one attempt of the county's minute (it succeeded). */
export async function uncountGlobalFailure(db: Queryable, countyCode: string, key: string): Promise<void> {
  await db.query('update login_attempts set failures = greatest(failures - 1, 0) where county_code = $1 and key = $2', [
    countyCode,
    key,
  ]);
}

/** The failed logins of the county's current minute and the seconds until it ends (0 when none). */
export async function globalFailures(
  db: Queryable,
  countyCode: string,
  key: string,
): Promise<{ failures: number; secondsLeft: number }> {
  const { rows } = await db.query<{ failures: number; secondsLeft: number }>(
    `select failures, ceil(extract(epoch from last_failure_at + interval '1 minute' - now()))::int as "secondsLeft"
     from login_attempts where county_code = $1 and key = $2 and last_failure_at > now() - interval '1 minute'`,
    [countyCode, key],
  );
  return rows[0] ?? { failures: 0, secondsLeft: 0 };
}

export async function clearLoginFailures(db: Queryable, countyCode: string, key: string): Promise<void> {
  await db.query('delete from login_attempts where county_code = $1 and key = $2', [countyCode, key]);
}

/** Forgets failure counters that no longer count (older than the window) and are not locked; the number deleted. */
export async function pruneLoginAttempts(db: Queryable, countyCode: string, windowSeconds: number): Promise<number> {
  const { rowCount } = await db.query(
    `delete from login_attempts where county_code = $1 and last_failure_at < now() - make_interval(secs => $2)
       and (locked_until is null or locked_until <= now())`,
    [countyCode, windowSeconds],
  );
  return rowCount ?? 0;
}
