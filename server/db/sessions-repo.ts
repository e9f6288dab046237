import type { Pool } from './pool.ts';
import { scopeJson } from './users-repo.ts';
import type { AreaScope, Role } from '../auth/roles.ts';

// Sessions, wall display tokens and login-failure counters. Tokens arrive here already hashed.

type Queryable = Pick<Pool, 'query'>;

export async function createSession(db: Queryable, countyCode: string, tokenHash: string, userId: number, ttlSeconds: number): Promise<Date> {
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
  role: Role;
  scope: AreaScope;
}

/** The account of a live session; undefined when unknown, expired or the account is disabled. */
export async function findSessionUser(db: Queryable, countyCode: string, tokenHash: string): Promise<SessionUser | undefined> {
  const { rows } = await db.query<SessionUser>(
    `select u.id as "userId", u.username, u.role,
            ${scopeJson('u.')} as scope
     from sessions s join users u on u.county_code = s.county_code and u.id = s.user_id
     where s.county_code = $1 and s.token_hash = $2 and s.expires_at > now() and not u.disabled`,
    [countyCode, tokenHash],
  );
  return rows[0];
}

export async function deleteSession(db: Queryable, countyCode: string, tokenHash: string): Promise<void> {
  await db.query('delete from sessions where county_code = $1 and token_hash = $2', [countyCode, tokenHash]);
}

/** Ends every session of an account, except `keepHash` (the caller's own); the number ended. */
export async function deleteUserSessions(db: Queryable, countyCode: string, userId: number, keepHash: string | null = null): Promise<number> {
  const { rowCount } = await db.query(
    'delete from sessions where county_code = $1 and user_id = $2 and token_hash is distinct from $3',
    [countyCode, userId, keepHash],
  );
  return rowCount ?? 0;
}

/** Deletes the sessions that have expired; the number deleted. */
export async function pruneExpiredSessions(db: Queryable, countyCode: string): Promise<number> {
  const { rowCount } = await db.query('delete from sessions where county_code = $1 and expires_at <= now()', [countyCode]);
  return rowCount ?? 0;
}

// Display tokens

export interface DisplayToken {
  id: number;
  screen: string;
  createdBy: number;
  createdAt: Date;
  revokedAt: Date | null;
}

const DISPLAY_COLUMNS = `id, screen, created_by as "createdBy", created_at as "createdAt", revoked_at as "revokedAt"`;

export async function createDisplayToken(db: Queryable, countyCode: string, tokenHash: string, screen: string, createdBy: number): Promise<DisplayToken> {
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

export async function findDisplayToken(db: Queryable, countyCode: string, id: number): Promise<DisplayToken | undefined> {
  const { rows } = await db.query<DisplayToken>(
    `select ${DISPLAY_COLUMNS} from display_tokens where county_code = $1 and id = $2`,
    [countyCode, id],
  );
  return rows[0];
}

/** Marks a token revoked (keeping the first revocation time); undefined when there is no such token. */
export async function revokeDisplayToken(db: Queryable, countyCode: string, id: number): Promise<DisplayToken | undefined> {
  const { rows } = await db.query<DisplayToken>(
    `update display_tokens set revoked_at = coalesce(revoked_at, now())
     where county_code = $1 and id = $2 returning ${DISPLAY_COLUMNS}`,
    [countyCode, id],
  );
  return rows[0];
}

/** The live (not revoked) display token with this hash. */
export async function findLiveDisplayToken(db: Queryable, countyCode: string, tokenHash: string): Promise<{ id: number; screen: string } | undefined> {
  const { rows } = await db.query<{ id: number; screen: string }>(
    'select id, screen from display_tokens where county_code = $1 and token_hash = $2 and revoked_at is null',
    [countyCode, tokenHash],
  );
  return rows[0];
}

// Login failures, per key ('pair:<address> <name>' / 'ip:<address>' / 'global')

export interface LoginState {
  key: string;
  /** Failures within the window (older ones are forgotten). */
  failures: number;
  /** Seconds the key is still refused (0: not refused), by the database's clock. */
  lockSecondsLeft: number;
  /** Whether its last failure is less than a minute old. */
  failedThisMinute: boolean;
}

/** The counters of keys as they count now (forgotten ones as zero). */
export async function loginStates(db: Queryable, countyCode: string, keys: string[], windowSeconds: number): Promise<LoginState[]> {
  const { rows } = await db.query<LoginState>(
    `select key,
            case when last_failure_at < now() - make_interval(secs => $3) and coalesce(locked_until, now()) <= now() then 0
                 else failures end as failures,
            greatest(0, ceil(extract(epoch from coalesce(locked_until, now()) - now())))::int as "lockSecondsLeft",
            last_failure_at > now() - interval '1 minute' as "failedThisMinute"
     from login_attempts where county_code = $1 and key = any($2::text[])`,
    [countyCode, keys, windowSeconds],
  );
  return keys.map((key) => rows.find((r) => r.key === key) ?? { key, failures: 0, lockSecondsLeft: 0, failedThisMinute: false });
}

/**
 * Counts one failure of key (the row is locked by the upsert until the transaction ends) and returns the new
 * count. A count whose last failure is older than the window, and that is not refusing, starts again.
 */
export async function countLoginFailure(db: Queryable, countyCode: string, key: string, windowSeconds: number): Promise<number> {
  const { rows } = await db.query<{ failures: number }>(
    `insert into login_attempts as a (county_code, key, failures, last_failure_at, locked_until)
     values ($1, $2, 1, now(), null)
     on conflict (county_code, key) do update
       set failures = case when a.last_failure_at < now() - make_interval(secs => $3) and coalesce(a.locked_until, now()) <= now() then 1
                           else a.failures + 1 end,
           last_failure_at = now()
     returning failures`,
    [countyCode, key, windowSeconds],
  );
  return rows[0].failures;
}

/** Refuses key for seconds from now; the time it ends. */
export async function lockLoginKey(db: Queryable, countyCode: string, key: string, seconds: number): Promise<Date> {
  const { rows } = await db.query<{ lockedUntil: Date }>(
    `update login_attempts set locked_until = now() + make_interval(secs => $3)
     where county_code = $1 and key = $2 returning locked_until as "lockedUntil"`,
    [countyCode, key, seconds],
  );
  return rows[0].lockedUntil;
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

/** The failed logins of the county's current minute and the seconds until it ends (0 when none). */
export async function globalFailures(db: Queryable, countyCode: string, key: string): Promise<{ failures: number; secondsLeft: number }> {
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
