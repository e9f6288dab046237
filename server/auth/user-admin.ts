import type { Pool } from '../postgres/pool.ts';
import { inTransaction } from '../postgres/pool.ts';
import { HttpError } from '../http-error.ts';
import {
  createUser,
  findUser,
  lockActiveAdmins,
  setPasswordHash,
  updateUser,
  type UserSummary,
} from '../db/users-repo.ts';
import { deleteUserSessions } from '../db/sessions-repo.ts';
import { resolveArea } from '../db/area-scope.ts';
import { audit } from './audit.ts';
import { hashPassword } from './passwords.ts';
import { passwordProblem } from './account-rules.ts';
import { scopeProblem, type AreaScope, type Principal, type Role } from '../../shared/roles.ts';

/**
 * Administration of accounts (admins only; the routes check the role). Each write is one transaction
 * with its audit row; the audit keeps the account's name, role, scope and state, never a password hash.
 */

type Account = Extract<Principal, { kind: 'user' }>;

/** What the audit log keeps of an account. */
const snapshot = (u: UserSummary) => ({
  username: u.username,
  displayName: u.displayName,
  role: u.role,
  scope: u.scope,
  disabled: u.disabled,
});

/** Refuses a weak new password (400) before anything else is checked. */
export function refusePassword(username: string, password: string): void {
  const problem = passwordProblem(username, password);
  if (problem) throw new HttpError(400, problem, 'WeakPassword');
}

/** The full scope of the area given, checked against the role; 400 when it does not exist or does not fit. */
async function checkedScope(pool: Pool, countyCode: string, role: Role, given: AreaScope): Promise<AreaScope> {
  const problem = scopeProblem(role, given);
  if (problem) throw new HttpError(400, problem, 'InvalidScope');
  const scope = await resolveArea(pool, countyCode, given);
  if (!scope)
    throw new HttpError(
      400,
      `no such area, or its parts do not belong together: ${JSON.stringify(given)}`,
      'InvalidScope',
    );
  return scope;
}

async function hashedPasswordFor(username: string, password: string): Promise<string> {
  refusePassword(username, password);
  return hashPassword(password);
}

export interface NewAccount {
  username: string;
  /** Checked by the route (account-rules.ts displayNameProblem); null or absent: none. */
  displayName?: string | null;
  password: string;
  role: Role;
  scope: AreaScope;
}

export async function createAccount(
  pool: Pool,
  countyCode: string,
  admin: Account,
  input: NewAccount,
  ip?: string,
): Promise<UserSummary> {
  const passwordHash = await hashedPasswordFor(input.username, input.password);
  const scope = await checkedScope(pool, countyCode, input.role, input.scope);
  return inTransaction(pool, async (client) => {
    const created = await createUser(client, countyCode, {
      username: input.username,
      displayName: input.displayName ?? null,
      passwordHash,
      role: input.role,
      scope,
    });
    if (!created) throw new HttpError(409, `a user "${input.username}" exists already`, 'UsernameTaken');
    const user = (await findUser(client, countyCode, created.id))!;
    await audit(client, countyCode, admin, {
      action: 'user.create',
      target: `user:${user.id}`,
      after: snapshot(user),
      ip,
    });
    return user;
  });
}

export interface AccountChange {
  /** null removes the display name; absent leaves it. */
  displayName?: string | null;
  role?: Role;
  scope?: AreaScope;
  disabled?: boolean;
}

const isActiveAdmin = (u: { role: Role; disabled: boolean }) => u.role === 'admin' && !u.disabled;

/**
 * Changes an account's display name, role, area scope or state. Disabling ends its sessions. The last enabled admin
 * can be neither disabled nor demoted (409), whoever asks.
 */
export async function changeAccount(
  pool: Pool,
  countyCode: string,
  admin: Account,
  id: number,
  change: AccountChange,
  ip?: string,
): Promise<UserSummary> {
  const current = await findUser(pool, countyCode, id);
  if (!current) throw new HttpError(404, `no user ${id}`);
  const role = change.role ?? current.role;
  const scope =
    change.scope || change.role
      ? await checkedScope(pool, countyCode, role, change.scope ?? current.scope)
      : current.scope;
  return inTransaction(pool, async (client) => {
    const admins = await lockActiveAdmins(client, countyCode);
    const before = await findUser(client, countyCode, id, true);
    if (!before) throw new HttpError(404, `no user ${id}`);
    const next = {
      role,
      scope,
      disabled: change.disabled ?? before.disabled,
      displayName: change.displayName === undefined ? before.displayName : change.displayName,
    };
    if (isActiveAdmin(before) && !isActiveAdmin(next) && admins.length <= 1) {
      throw new HttpError(409, `"${before.username}" is the last enabled admin: make another admin first`, 'LastAdmin');
    }
    const after = await updateUser(client, countyCode, id, next);
    const sessionsEnded = after.disabled && !before.disabled ? await deleteUserSessions(client, countyCode, id) : 0;
    const onlyState =
      change.role === undefined &&
      change.scope === undefined &&
      change.displayName === undefined &&
      before.disabled !== after.disabled;
    await audit(client, countyCode, admin, {
      action: onlyState ? (after.disabled ? 'user.disable' : 'user.enable') : 'user.update',
      target: `user:${id}`,
      before: snapshot(before),
      after: { ...snapshot(after), ...(sessionsEnded ? { sessionsEnded } : {}) },
      ip,
    });
    return after;
  });
}

/** An admin sets a new password for an account; every session of that account ends. */
export async function resetPassword(
  pool: Pool,
  countyCode: string,
  admin: Account,
  id: number,
  password: string,
  ip?: string,
): Promise<{ sessionsEnded: number }> {
  const user = await findUser(pool, countyCode, id);
  if (!user) throw new HttpError(404, `no user ${id}`);
  const passwordHash = await hashedPasswordFor(user.username, password);
  return inTransaction(pool, async (client) => {
    if (!(await findUser(client, countyCode, id, true))) throw new HttpError(404, `no user ${id}`);
    await setPasswordHash(client, countyCode, id, passwordHash);
    const sessionsEnded = await deleteUserSessions(client, countyCode, id);
    await audit(client, countyCode, admin, {
      action: 'user.password_reset',
      target: `user:${id}`,
      after: { sessionsEnded },
      ip,
    });
    return { sessionsEnded };
  });
}

/**
 * A user's own new password, once the current one has been checked (server/auth/login.ts checkPassword):
 * the user's other sessions end, this one stays.
 */
export async function changeOwnPassword(
  pool: Pool,
  countyCode: string,
  user: Account,
  next: string,
  ip?: string,
): Promise<{ sessionsEnded: number }> {
  const passwordHash = await hashedPasswordFor(user.username, next);
  return inTransaction(pool, async (client) => {
    await setPasswordHash(client, countyCode, user.userId, passwordHash);
    const sessionsEnded = await deleteUserSessions(client, countyCode, user.userId, user.sessionHash);
    await audit(client, countyCode, user, {
      action: 'user.password_change',
      target: `user:${user.userId}`,
      after: { sessionsEnded },
      ip,
    });
    return { sessionsEnded };
  });
}
