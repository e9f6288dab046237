// npm run user:add -- --role admin --username NAME [--name "张三"] [--street S01 | --community C01 | --grid G001 | --unit MU001]
// --name: the display name others see instead of the username.
// Creates an account. The password is asked twice without echo on a terminal; otherwise the first line
// of stdin is the password (for scripts: `printf '%s\n' "$PW" | npm run user:add -- …`).
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config.ts';
import { createPool, inTransaction } from '../server/postgres/pool.ts';
import { ensurePostgresBinaries } from '../server/postgres/binaries.ts';
import { embeddedConnection, startCluster, type Cluster } from '../server/postgres/cluster.ts';
import { ensurePostgis, migrate } from '../server/postgres/migrate.ts';
import { createUser } from '../server/db/users-repo.ts';
import { resolveArea } from '../server/db/area-scope.ts';
import { writeAudit } from '../server/db/audit-repo.ts';
import { hashPassword } from '../server/auth/passwords.ts';
import { displayNameProblem, passwordProblem, USERNAME_PATTERN, USERNAME_RULE } from '../server/auth/account-rules.ts';
import { isRole, ROLES, scopeProblem } from '../shared/roles.ts';
import { isReporterKind, REPORTER_KINDS } from '../shared/issue-states.ts';
import type { PoolConfig } from 'pg';

const log = (line: string) => console.error(`[gridlink] ${line}`);
const USAGE =
  `usage: npm run user:add -- --role ${ROLES.join('|')} --username NAME ` +
  `[--name DISPLAY_NAME] [--street ID | --community ID | --grid ID | --unit ID] [--reports-as ${REPORTER_KINDS.join('|')}]`;

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    let value = '';
    const done = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new Error('cancelled'));
        if (ch === '\u007f' || ch === '\b') value = Array.from(value).slice(0, -1).join('');
        else if (ch >= ' ') value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) {
    const first = await promptHidden('Password: ');
    const second = await promptHidden('Password again: ');
    if (first !== second) throw new Error('the two passwords differ');
    return first;
  }
  let input = '';
  for await (const chunk of process.stdin) {
    input += chunk;
    if (input.includes('\n')) break;
  }
  return input.split(/\r?\n/)[0];
}

/** The database: DATABASE_URL, the socket of a gridlink already running on DATA_DIR, or the private cluster started here. */
async function connect(config: ReturnType<typeof loadConfig>): Promise<{ connection: PoolConfig; cluster?: Cluster }> {
  if (config.databaseUrl) return { connection: { connectionString: config.databaseUrl } };
  ensurePostgresBinaries(log);
  try {
    const cluster = await startCluster(config.dataDir, log);
    return { connection: cluster.connection, cluster };
  } catch (e) {
    if (!/in use by another gridlink server/.test((e as Error).message)) throw e;
    // The running server's cluster: its unix socket, the app's role and password (see server/postgres/cluster.ts).
    return { connection: embeddedConnection(config.dataDir).connection };
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      username: { type: 'string' },
      name: { type: 'string' },
      street: { type: 'string' },
      community: { type: 'string' },
      grid: { type: 'string' },
      unit: { type: 'string' },
      'reports-as': { type: 'string' },
    },
    strict: true,
  });
  if (!values.role || !values.username) {
    console.error(USAGE);
    return 2;
  }
  const { role, username } = values;
  if (!isRole(role)) throw new Error(`unknown role "${role}"; roles: ${ROLES.join(', ')}`);
  if (!USERNAME_PATTERN.test(username)) throw new Error(USERNAME_RULE);
  const displayName = values.name === undefined ? null : values.name.trim();
  const badName = displayName === null ? undefined : displayNameProblem(displayName);
  if (badName) throw new Error(badName);
  const given = {
    streetId: values.street ?? null,
    communityId: values.community ?? null,
    gridId: values.grid ?? null,
    memberUnitId: values.unit ?? null,
  };
  const problem = scopeProblem(role, given);
  if (problem) throw new Error(problem);
  // A rider or party member's reports count as theirs (the wall's rider figures); residents need nothing.
  const kind = values['reports-as'];
  if (kind !== undefined && (role !== 'reporter' || !isReporterKind(kind)))
    throw new Error(`--reports-as is for reporter accounts: ${REPORTER_KINDS.join(' or ')}`);
  const reportsAs = kind !== undefined && isReporterKind(kind) ? kind : null;

  const password = await readPassword();
  const weak = passwordProblem(username, password);
  if (weak) throw new Error(weak);

  const config = loadConfig();
  const { connection, cluster } = await connect(config);
  const pool = createPool({ ...connection, max: 2 });
  try {
    await ensurePostgis(pool);
    await migrate(pool, log);
    const scope = await resolveArea(pool, config.countyCode, given);
    if (!scope)
      throw new Error(`no such area: ${JSON.stringify(given)} (the demo data is loaded on the first server start)`);
    const passwordHash = await hashPassword(password);
    const created = await inTransaction(pool, async (client) => {
      const user = await createUser(client, config.countyCode, {
        username,
        displayName,
        passwordHash,
        role,
        scope,
        reportsAs,
      });
      if (user) {
        await writeAudit(client, config.countyCode, {
          actorUserId: null,
          actor: 'cli',
          action: 'user.create',
          target: `user:${user.id}`,
          after: { username, displayName, role, scope, ...(reportsAs ? { reportsAs } : {}) },
        });
      }
      return user;
    });
    if (!created) throw new Error(`a user "${username}" exists already`);
    log(`Created ${role} "${username}".`);
    return 0;
  } finally {
    await pool.end();
    await cluster?.stop();
  }
}

try {
  process.exitCode = await main();
} catch (e) {
  console.error(`[gridlink] user:add failed: ${(e as Error).message}`);
  process.exitCode = 1;
}
