import fs from 'node:fs';
import path from 'node:path';
import type { Pool } from '../postgres/pool.ts';
import type { Config } from '../config.ts';
import { inTransaction } from '../postgres/pool.ts';
import { countUsers, createUser, hasActiveAdmin } from '../db/users-repo.ts';
import { demoArea, demoMemberUnit } from '../db/area-scope.ts';
import { writeAudit } from '../db/audit-repo.ts';
import { hashPassword } from './passwords.ts';
import { newPassword } from './tokens.ts';
import { COUNTY_WIDE, ROLES, type AreaScope, type Role } from '../../shared/roles.ts';

export const DEMO_ACCOUNTS_FILE = 'demo-accounts.txt';

/**
 * What the demo accounts show others (the case history, the page frame): Chinese, the product's default.
 * The member-unit account has none: the history then names its unit, which says more.
 */
const DEMO_DISPLAY_NAMES: Partial<Record<Role, string>> = {
  admin: '演示管理员',
  leader: '演示县领导',
  planner: '演示规划人员',
  dispatcher: '演示调度员',
  grid_worker: '演示网格员',
  reporter: '演示上报人',
};
export const ADD_ADMIN_COMMAND = 'npm run user:add -- --role admin --username NAME';

/**
 * Accounts at start-up. NODE_ENV=production: refuse to start until an admin exists. Otherwise, on the
 * embedded demo database with no account yet: one demo account per role with a random password,
 * printed once and written to $DATA_DIR/demo-accounts.txt (mode 600).
 */
export async function prepareAccounts(pool: Pool, config: Config, log: (line: string) => void): Promise<void> {
  const county = config.countyCode;
  if (config.auth.production) {
    if (!(await hasActiveAdmin(pool, county))) {
      throw new Error(
        `NODE_ENV=production and there is no administrator account yet. Create one with\n` +
          `    ${ADD_ADMIN_COMMAND}\n` +
          `(it asks for the password), then start again.`,
      );
    }
    return;
  }
  if (!config.auth.demoAccounts || (await countUsers(pool, county)) > 0) return;

  const area = await demoArea(pool, county);
  // The demo member unit is one that serves the demo grid worker's grid, so the two meet on its cases.
  const unit = await demoMemberUnit(pool, county, area?.gridId);
  const scopeOf = (role: Role): AreaScope => {
    if (role === 'member_unit') return { ...COUNTY_WIDE, memberUnitId: unit ?? null };
    if (!area) return COUNTY_WIDE;
    if (role === 'dispatcher') return { streetId: area.streetId, communityId: area.communityId, gridId: null };
    if (role === 'grid_worker') return { streetId: area.streetId, communityId: area.communityId, gridId: area.gridId };
    return COUNTY_WIDE;
  };
  const account = async (role: Role, username: string, displayName: string | null, reportsAs?: 'rider') => {
    const password = newPassword();
    const passwordHash = await hashPassword(password);
    return { role, username, displayName, password, passwordHash, scope: scopeOf(role), reportsAs };
  };
  const accounts = await Promise.all([
    // Without member units (no demo data) there is no member-unit account to make.
    ...ROLES.filter((role) => role !== 'member_unit' || unit).map((role) =>
      account(role, `demo-${role.replace('_', '-')}`, DEMO_DISPLAY_NAMES[role] ?? null),
    ),
    // A rider serving as a part-time grid worker: its snap reports are the rider's (the wall counts them).
    account('reporter', 'demo-rider', '演示骑手', 'rider'),
  ]);
  const created = await inTransaction(pool, async (client) => {
    // Another server on the same database may have got there first.
    if ((await countUsers(client, county)) > 0) return false;
    for (const a of accounts) {
      const user = await createUser(client, county, a);
      await writeAudit(client, county, {
        actorUserId: null,
        actor: 'system',
        action: 'user.create',
        target: `user:${user!.id}`,
        after: {
          username: a.username,
          displayName: a.displayName,
          role: a.role,
          scope: a.scope,
          ...(a.reportsAs ? { reportsAs: a.reportsAs } : {}),
          demo: true,
        },
      });
    }
    return true;
  });
  if (!created) return;

  const file = path.join(config.dataDir, DEMO_ACCOUNTS_FILE);
  fs.rmSync(file, { force: true });
  fs.writeFileSync(file, accounts.map((a) => `${a.role} ${a.username} ${a.password}\n`).join(''), { mode: 0o600 });
  log('Demo accounts (shown once; also in ' + file + '):');
  for (const a of accounts) {
    const where = a.scope.gridId
      ? ` (grid ${a.scope.gridId})`
      : a.scope.communityId
        ? ` (community ${a.scope.communityId})`
        : a.scope.memberUnitId
          ? ` (member unit ${a.scope.memberUnitId})`
          : '';
    log(`  ${a.role.padEnd(11)} ${a.username.padEnd(16)} ${a.password}${where}`);
  }
}
