import type { Queryable } from '../postgres/pool.ts';
import { scopeJson } from './users-repo.ts';
import type { AreaScope, Role } from '../../shared/roles.ts';
import type { ApiKey } from '../../shared/api/admin.ts';

const COLUMNS = `k.id, k.name, k.user_id as "userId", u.username, k.created_at as "createdAt", k.last_used_at as "lastUsedAt",
  k.revoked_at as "revokedAt"`;
const FROM = `api_keys k join users u on u.county_code = k.county_code and u.id = k.user_id`;

export async function createApiKey(
  db: Queryable,
  countyCode: string,
  keyHash: string,
  userId: number,
  name: string,
  createdBy: number,
): Promise<ApiKey> {
  const { rows } = await db.query<{ id: number }>(
    `insert into api_keys (county_code, key_hash, user_id, name, created_by) values ($1, $2, $3, $4, $5) returning id`,
    [countyCode, keyHash, userId, name, createdBy],
  );
  return (await findApiKey(db, countyCode, rows[0].id))!;
}

export async function listApiKeys(db: Queryable, countyCode: string): Promise<ApiKey[]> {
  const { rows } = await db.query<ApiKey>(`select ${COLUMNS} from ${FROM} where k.county_code = $1 order by k.id`, [
    countyCode,
  ]);
  return rows;
}

export async function findApiKey(db: Queryable, countyCode: string, id: number): Promise<ApiKey | undefined> {
  const { rows } = await db.query<ApiKey>(`select ${COLUMNS} from ${FROM} where k.county_code = $1 and k.id = $2`, [
    countyCode,
    id,
  ]);
  return rows[0];
}

/** Marks a key revoked (keeping the first revocation time); undefined when there is no such key. */
export async function revokeApiKey(db: Queryable, countyCode: string, id: number): Promise<ApiKey | undefined> {
  await db.query(`update api_keys set revoked_at = coalesce(revoked_at, now()) where county_code = $1 and id = $2`, [
    countyCode,
    id,
  ]);
  return findApiKey(db, countyCode, id);
}

/** The enabled account behind a live key, noting its use; undefined for an unknown or revoked key. */
export async function useApiKey(
  db: Queryable,
  countyCode: string,
  keyHash: string,
): Promise<{ userId: number; username: string; role: Role; scope: AreaScope } | undefined> {
  const { rows } = await db.query<{ userId: number; username: string; role: Role; scope: AreaScope }>(
    `update api_keys k set last_used_at = now() from users u
     where k.county_code = $1 and k.key_hash = $2 and k.revoked_at is null
       and u.county_code = k.county_code and u.id = k.user_id and not u.disabled
     returning u.id as "userId", u.username, u.role,
       ${scopeJson('u.')} as scope`,
    [countyCode, keyHash],
  );
  return rows[0];
}
