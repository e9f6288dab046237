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

// Login failures, per key ('user:<name>' / 'ip:<address>')

export interface LoginState {
  key: string;
  /** Failures within the window (older ones are forgotten). */
  failures: number;
  /** Set while the key is locked. */
  lockedUntil: Date | null;
}

export async function loginStates(db: Queryable, countyCode: string, keys: string[], windowSeconds: number): Promise<LoginState[]> {
  const { rows } = await db.query<LoginState>(
    `select key,
            case when last_failure_at < now() - make_interval(secs => $3) and coalesce(locked_until, now()) <= now() then 0
                 when locked_until <= now() then 0 else failures end as failures,
            case when locked_until > now() then locked_until end as "lockedUntil"
     from login_attempts where county_code = $1 and key = any($2::text[])`,
    [countyCode, keys, windowSeconds],
  );
  return keys.map((key) => rows.find((r) => r.key === key) ?? { key, failures: 0, lockedUntil: null });
}

/**
 * Counts one failure of key; locks it for lockoutSeconds when it reaches maxFailures. Failures older
 * than the lockout, or from before an expired lock, start the count again.
 */
export async function recordLoginFailure(db: Queryable, countyCode: string, key: string, maxFailures: number, lockoutSeconds: number): Promise<LoginState> {
  const { rows } = await db.query<LoginState>(
    `with previous as (
       select case when last_failure_at < now() - make_interval(secs => $4) or locked_until <= now() then 0 else failures end as failures
       from login_attempts where county_code = $1 and key = $2
     ), next as (
       select coalesce((select failures from previous), 0) + 1 as failures
     )
     insert into login_attempts as a (county_code, key, failures, last_failure_at, locked_until)
     select $1, $2, next.failures, now(), case when next.failures >= $3 then now() + make_interval(secs => $4) end from next
     on conflict (county_code, key) do update
       set failures = excluded.failures, last_failure_at = excluded.last_failure_at, locked_until = excluded.locked_until
     returning key, failures, locked_until as "lockedUntil"`,
    [countyCode, key, maxFailures, lockoutSeconds],
  );
  return rows[0];
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
