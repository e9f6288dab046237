// Credentials admins hand out: wall display tokens and Open311 api keys. Each is created with its secret (shown
// once, stored hashed) and revoked; every write is one transaction with its audit row.
import type { PoolClient } from 'pg';
import type { Pool } from '../postgres/pool.ts';
import { inTransaction } from '../postgres/pool.ts';
import { HttpError } from '../http-error.ts';
import { audit } from './audit.ts';
import { hashToken, newToken } from './tokens.ts';
import type { Principal, UserPrincipal } from '../../shared/roles.ts';
import type { ApiKey, CreateApiKeyBody } from '../../shared/api/admin.ts';
import { createApiKey, findApiKey, revokeApiKey } from '../db/api-keys-repo.ts';
import { findUser } from '../db/users-repo.ts';
import { createDisplayToken, findDisplayToken, revokeDisplayToken, type DisplayToken } from '../db/sessions-repo.ts';

/** The admin who writes, and from where (the audit row's ip); a credential is created by an account only. */
export interface AdminCaller {
  principal: Principal;
  ip: string | undefined;
}
export type AccountCaller = AdminCaller & { principal: UserPrincipal };

/** A kind of credential: its name in audit rows, its name in messages, and how a row is found and revoked. */
interface Credential<Row> {
  kind: 'api_key' | 'display_token';
  label: string;
  find(db: PoolClient, county: string, id: number): Promise<Row | undefined>;
  revoke(db: PoolClient, county: string, id: number): Promise<Row | undefined>;
}

const API_KEY: Credential<ApiKey> = { kind: 'api_key', label: 'api key', find: findApiKey, revoke: revokeApiKey };
const DISPLAY_TOKEN: Credential<DisplayToken> = {
  kind: 'display_token',
  label: 'display token',
  find: findDisplayToken,
  revoke: revokeDisplayToken,
};

/** A new credential: `insert` stores the secret's hash (and may refuse); the secret comes back once. */
function create<Row extends { id: number }>(
  pool: Pool,
  county: string,
  { principal, ip }: AccountCaller,
  { kind }: Credential<Row>,
  insert: (db: PoolClient, hash: string) => Promise<Row>,
): Promise<{ row: Row; secret: string }> {
  const secret = newToken();
  return inTransaction(pool, async (db) => {
    const row = await insert(db, hashToken(secret));
    await audit(db, county, principal, { action: `${kind}.create`, target: `${kind}:${row.id}`, after: row, ip });
    return { row, secret };
  });
}

/** Revokes credential `id` (a revoked one stays revoked since its first revocation); 404 when there is none. */
function revoke<Row>(
  pool: Pool,
  county: string,
  { principal, ip }: AdminCaller,
  { kind, label, find, revoke: revokeRow }: Credential<Row>,
  id: number,
): Promise<Row> {
  return inTransaction(pool, async (db) => {
    const before = await find(db, county, id);
    if (!before) throw new HttpError(404, `no ${label} ${id}`);
    const after = (await revokeRow(db, county, id))!;
    await audit(db, county, principal, { action: `${kind}.revoke`, target: `${kind}:${id}`, before, after, ip });
    return after;
  });
}

/** An api key reporting as an enabled reporter account. */
export function createApiKeyFor(pool: Pool, county: string, caller: AccountCaller, body: CreateApiKeyBody) {
  return create(pool, county, caller, API_KEY, async (db, hash) => {
    const user = await findUser(db, county, body.user_id);
    if (!user) throw new HttpError(404, `no user ${body.user_id}`);
    if (user.role !== 'reporter' || user.disabled)
      throw new HttpError(
        400,
        `an api key reports as an enabled reporter account; user ${body.user_id} is a ${user.disabled ? 'disabled ' : ''}${user.role}`,
        'InvalidUser',
      );
    return createApiKey(db, county, hash, body.user_id, body.name, caller.principal.userId);
  });
}

export const revokeApiKeyById = (pool: Pool, county: string, caller: AdminCaller, id: number) =>
  revoke(pool, county, caller, API_KEY, id);

/** A token for the wall display `screen`. */
export const createDisplayTokenFor = (pool: Pool, county: string, caller: AccountCaller, screen: string) =>
  create(pool, county, caller, DISPLAY_TOKEN, (db, hash) =>
    createDisplayToken(db, county, hash, screen, caller.principal.userId),
  );

export const revokeDisplayTokenById = (pool: Pool, county: string, caller: AdminCaller, id: number) =>
  revoke(pool, county, caller, DISPLAY_TOKEN, id);
