import type { Pool } from './pool.ts';
import type { AreaScope, Role } from '../auth/roles.ts';

type Queryable = Pick<Pool, 'query'>;

export interface UserRow {
  id: number;
  username: string;
  passwordHash: string;
  role: Role;
  scope: AreaScope;
  disabled: boolean;
}

const COLUMNS = `id, username, password_hash as "passwordHash", role, disabled,
  json_build_object('streetId', street_id, 'communityId', community_id, 'gridId', grid_id) as scope`;

export async function findUserByUsername(db: Queryable, countyCode: string, username: string): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserRow>(
    `select ${COLUMNS} from users where county_code = $1 and lower(username) = lower($2)`,
    [countyCode, username],
  );
  return rows[0];
}

export interface NewUser {
  username: string;
  passwordHash: string;
  role: Role;
  scope: AreaScope;
}

/** Inserts an account; undefined when the username is taken. */
export async function createUser(db: Queryable, countyCode: string, user: NewUser): Promise<{ id: number } | undefined> {
  const { rows } = await db.query<{ id: number }>(
    `insert into users (county_code, username, password_hash, role, street_id, community_id, grid_id)
     values ($1, $2, $3, $4, $5, $6, $7)
     on conflict (county_code, lower(username)) do nothing
     returning id`,
    [countyCode, user.username, user.passwordHash, user.role, user.scope.streetId, user.scope.communityId, user.scope.gridId],
  );
  return rows[0];
}

export async function countUsers(db: Queryable, countyCode: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>('select count(*)::int as n from users where county_code = $1', [countyCode]);
  return rows[0].n;
}

export async function hasActiveAdmin(db: Queryable, countyCode: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `select 1 from users where county_code = $1 and role = 'admin' and not disabled limit 1`,
    [countyCode],
  );
  return (rowCount ?? 0) > 0;
}
