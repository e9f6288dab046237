import type { Queryable } from '../postgres/pool.ts';
import { findInCounty, firstRow } from './one-row.ts';
import type { AreaScope, Role } from '../../shared/roles.ts';
import type { ReporterKind } from '../../shared/issue-states.ts';
import type { UserSummary as ApiUserSummary } from '../../shared/api/admin.ts';

export interface UserRow {
  id: number;
  username: string;
  displayName: string | null;
  passwordHash: string;
  role: Role;
  scope: AreaScope;
  disabled: boolean;
}

/**
 * An account's scope as JSON (alias `u` or none): the area, and for member-unit accounts their unit
 * (`memberUnitId`, present only on them).
 */
export const scopeJson = (u = '') =>
  `(jsonb_build_object('streetId', ${u}street_id, 'communityId', ${u}community_id, 'gridId', ${u}grid_id)
    || jsonb_strip_nulls(jsonb_build_object('memberUnitId', ${u}unit_id)))`;

const COLUMNS = `id, username, display_name as "displayName", password_hash as "passwordHash", role, disabled, ${scopeJson()} as scope`;

export const findUserByUsername = (db: Queryable, countyCode: string, username: string) =>
  firstRow<UserRow>(db, `select ${COLUMNS} from users where county_code = $1 and lower(username) = lower($2)`, [
    countyCode,
    username,
  ]);

export interface NewUser {
  username: string;
  /** What others see instead of the username; null: none (the role stands for it). */
  displayName?: string | null;
  passwordHash: string;
  role: Role;
  scope: AreaScope;
  /** Reporter accounts only: a rider or a party member; null or absent: a resident. */
  reportsAs?: ReporterKind | null;
}

/** Inserts an account; undefined when the username is taken. */
export async function createUser(
  db: Queryable,
  countyCode: string,
  user: NewUser,
): Promise<{ id: number } | undefined> {
  const { rows } = await db.query<{ id: number }>(
    `insert into users (county_code, username, password_hash, role, street_id, community_id, grid_id, unit_id, display_name,
       reports_as)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     on conflict (county_code, lower(username)) do nothing
     returning id`,
    [
      countyCode,
      user.username,
      user.passwordHash,
      user.role,
      user.scope.streetId,
      user.scope.communityId,
      user.scope.gridId,
      user.scope.memberUnitId ?? null,
      user.displayName ?? null,
      user.reportsAs ?? null,
    ],
  );
  return rows[0];
}

/** What a reporter account reports as; null for a resident (and for every other account). */
export async function findReportsAs(db: Queryable, countyCode: string, userId: number): Promise<ReporterKind | null> {
  const { rows } = await db.query<{ reports_as: ReporterKind | null }>(
    'select reports_as from users where county_code = $1 and id = $2',
    [countyCode, userId],
  );
  return rows[0]?.reports_as ?? null;
}

export async function countUsers(db: Queryable, countyCode: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>('select count(*)::int as n from users where county_code = $1', [
    countyCode,
  ]);
  return rows[0].n;
}

export async function hasActiveAdmin(db: Queryable, countyCode: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `select 1 from users where county_code = $1 and role = 'admin' and not disabled limit 1`,
    [countyCode],
  );
  return (rowCount ?? 0) > 0;
}

/** An account as the administration lists it (shared/api/admin.ts), with its times as read from the database. */
export type UserSummary = Omit<ApiUserSummary, 'createdAt' | 'lastLoginAt'> & {
  createdAt: Date;
  lastLoginAt: Date | null;
};

const SUMMARY_COLUMNS = `id, username, display_name as "displayName", role, disabled, created_at as "createdAt", last_login_at as "lastLoginAt",
  ${scopeJson()} as scope`;

export async function listUsers(db: Queryable, countyCode: string): Promise<UserSummary[]> {
  const { rows } = await db.query<UserSummary>(
    `select ${SUMMARY_COLUMNS} from users where county_code = $1 order by lower(username)`,
    [countyCode],
  );
  return rows;
}

/** One account, locked for update when `forUpdate` (inside a transaction). */
export const findUser = (db: Queryable, countyCode: string, id: number, forUpdate = false) =>
  findInCounty<UserSummary>(db, { columns: SUMMARY_COLUMNS, from: 'users u', alias: 'u' }, countyCode, id, forUpdate);

/**
 * The ids of the enabled admins, locked until the transaction ends: two admins demoting each other at
 * the same moment queue here, so one of them always remains.
 */
export async function lockActiveAdmins(db: Queryable, countyCode: string): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `select id from users where county_code = $1 and role = 'admin' and not disabled order by id for update`,
    [countyCode],
  );
  return rows.map((r) => r.id);
}

export interface UserChange {
  /** null removes it; absent keeps it. */
  displayName?: string | null;
  role: Role;
  scope: AreaScope;
  disabled: boolean;
}

export async function updateUser(
  db: Queryable,
  countyCode: string,
  id: number,
  change: UserChange,
): Promise<UserSummary> {
  const { rows } = await db.query<UserSummary>(
    `update users set role = $3, street_id = $4, community_id = $5, grid_id = $6, disabled = $7, unit_id = $8,
       display_name = case when $10 then $9 else display_name end
     where county_code = $1 and id = $2 returning ${SUMMARY_COLUMNS}`,
    [
      countyCode,
      id,
      change.role,
      change.scope.streetId,
      change.scope.communityId,
      change.scope.gridId,
      change.disabled,
      change.scope.memberUnitId ?? null,
      change.displayName ?? null,
      change.displayName !== undefined,
    ],
  );
  return rows[0];
}

export async function setPasswordHash(
  db: Queryable,
  countyCode: string,
  id: number,
  passwordHash: string,
): Promise<void> {
  await db.query('update users set password_hash = $3 where county_code = $1 and id = $2', [
    countyCode,
    id,
    passwordHash,
  ]);
}

export async function recordLogin(db: Queryable, countyCode: string, id: number): Promise<void> {
  await db.query('update users set last_login_at = now() where county_code = $1 and id = $2', [countyCode, id]);
}
