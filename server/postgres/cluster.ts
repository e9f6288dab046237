import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { pgBinDir } from './binaries.ts';

const run = promisify(execFile);
const RUN_AS = 'postgres';
export const DATABASE_NAME = 'gridlink';
/** The cluster's superuser: used only at set-up (roles, schema, PostGIS), never by the app. */
export const SUPERUSER = 'postgres';
/** The app's role: no superuser, owns the schema gridlink and what is in it, nothing else. */
export const APP_ROLE = 'gridlink';
export const APP_SCHEMA = 'gridlink';
/** The generated passwords of both roles, in libpq's passfile format (mode 0600), usable as PGPASSFILE. */
const PASSFILE = 'pgpass';
/** Earlier versions made the bootstrap superuser `gridlink`; renamed through this role while upgrading. */
const UPGRADE_ROLE = 'gridlink_upgrade';

/** A private PostgreSQL cluster under DATA_DIR/pg, reachable only through a unix socket in DATA_DIR/run. */
export interface Cluster {
  /** The app role's. */
  connection: pg.PoolConfig;
  /** The superuser's: set-up and tests only. */
  adminConnection: pg.PoolConfig;
  stop(): Promise<void>;
}

const isRoot = () => process.getuid?.() === 0;

/** PostgreSQL refuses to run as root: run its binaries as the postgres user then. */
export async function pgCommand(bin: string, args: string[]): Promise<string> {
  const file = path.join(pgBinDir(), bin);
  const [cmd, argv] = isRoot() ? ['runuser', ['-u', RUN_AS, '--', file, ...args]] : [file, args];
  try {
    const { stdout } = await run(cmd, argv, { encoding: 'utf8', maxBuffer: 16 << 20 });
    return stdout;
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${bin} failed: ${(err.stderr || err.stdout || err.message).trim()}`, { cause: e });
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Makes dir (and its parents) exist; as root, hands it to the postgres user. */
export async function ownedDir(dir: string, mode: number): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  fs.chmodSync(dir, mode);
  if (isRoot()) await run('chown', ['-R', `${RUN_AS}:${RUN_AS}`, dir]);
}

/** DATA_DIR/pgpass: where the passwords of the embedded cluster's roles are kept (mode 0600). */
export function passfileOf(dataDir: string): string {
  return path.join(dataDir, PASSFILE);
}

function readPasswords(dataDir: string): Record<string, string> | undefined {
  let text: string;
  try {
    text = fs.readFileSync(passfileOf(dataDir), 'utf8');
  } catch {
    return undefined;
  }
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const fields = line.split(':');
    if (fields.length === 5 && fields[4]) out[fields[3]] = fields[4];
  }
  return out[SUPERUSER] && out[APP_ROLE] ? out : undefined;
}

/** New random passwords (base64url: nothing to escape in a passfile or SQL), written atomically with mode 0600. */
function writePasswords(dataDir: string): Record<string, string> {
  const passwords = {
    [SUPERUSER]: crypto.randomBytes(24).toString('base64url'),
    [APP_ROLE]: crypto.randomBytes(24).toString('base64url'),
  };
  const file = passfileOf(dataDir);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.rmSync(tmp, { force: true });
  fs.writeFileSync(
    tmp,
    Object.entries(passwords)
      .map(([role, pw]) => `*:*:*:${role}:${pw}\n`)
      .join(''),
    { mode: 0o600, flag: 'wx' },
  );
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
  return passwords;
}

/** How to reach the cluster of DATA_DIR, and whether a gridlink server holds it right now. */
export function embeddedConnection(dataDir: string): {
  connection: pg.PoolConfig;
  adminConnection: pg.PoolConfig;
  inUse: boolean;
} {
  const owner = readPid(path.join(dataDir, 'gridlink.pid'));
  const pgPid = readPid(path.join(dataDir, 'pg', 'postmaster.pid'));
  const passwords = readPasswords(dataDir);
  const socket = { host: path.join(dataDir, 'run'), port: 5432, database: DATABASE_NAME };
  return {
    connection: { ...socket, user: APP_ROLE, password: passwords?.[APP_ROLE] },
    adminConnection: { ...socket, user: SUPERUSER, password: passwords?.[SUPERUSER] },
    inUse: !!owner && owner !== process.pid && pidAlive(owner) && !!pgPid && pidAlive(pgPid),
  };
}

/** Starts the cluster of DATA_DIR (created by startCluster), listening only on its unix socket. */
export async function startPostgres(dataDir: string): Promise<void> {
  const runDir = path.join(dataDir, 'run');
  const options = `-c listen_addresses='' -k '${runDir}' -c port=5432`;
  await pgCommand('pg_ctl', [
    '-D',
    path.join(dataDir, 'pg'),
    '-o',
    options,
    '-l',
    path.join(runDir, 'postgres.log'),
    '-w',
    '-t',
    '60',
    'start',
  ]);
}

/** Stops it (fast: open sessions are ended, nothing committed is lost). */
export async function stopPostgres(dataDir: string): Promise<void> {
  await pgCommand('pg_ctl', ['-D', path.join(dataDir, 'pg'), '-m', 'fast', '-w', 'stop']);
}

/** Whether pg_hba.conf lets anyone in without a password (clusters made by earlier versions). */
function hbaTrusts(pgData: string): boolean {
  const hba = fs.readFileSync(path.join(pgData, 'pg_hba.conf'), 'utf8');
  return hba.split('\n').some((line) => !line.trimStart().startsWith('#') && /\s(trust|peer|ident)\s*$/.test(line));
}

/**
 * Password login on the socket only: the cluster listens on no TCP address, so no host lines. The superuser may
 * also stream the WAL (pg_basebackup -R): how a read replica of this cluster is made.
 */
function writeHba(pgData: string): void {
  const file = path.join(pgData, 'pg_hba.conf');
  const text =
    '# Written by gridlink: every role logs in with its password (DATA_DIR/pgpass), on the unix socket only.\n' +
    '# TYPE  DATABASE     USER      METHOD\nlocal   all          all       scram-sha-256\n' +
    `local   replication  ${SUPERUSER}  scram-sha-256\n`;
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, text, { mode: 0o600 });
  if (isRoot()) fs.chownSync(tmp, fs.statSync(pgData).uid, fs.statSync(pgData).gid);
  fs.renameSync(tmp, file);
}

async function withClient<T>(config: pg.ClientConfig, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(config);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A cluster of an earlier version (bootstrap superuser `gridlink`, trust): renames that superuser to postgres and
 * sets its password, so the name gridlink is free for the app role. Runs while the cluster still trusts the socket.
 */
async function upgradeSuperuser(socket: pg.ClientConfig, password: string): Promise<void> {
  const as = (user: string) => ({ ...socket, user, database: 'postgres' });
  const bootstrap = await withClient(as(APP_ROLE), (c) =>
    c.query<{ name: string }>('select rolname as name from pg_roles where oid = 10'),
  ).then(
    (r) => r.rows[0].name,
    () => SUPERUSER,
  );
  if (bootstrap !== SUPERUSER) {
    // A session cannot rename its own user: a second superuser does it.
    await withClient(as(bootstrap), async (c) => {
      const { rowCount } = await c.query('select 1 from pg_roles where rolname = $1', [SUPERUSER]);
      if (rowCount)
        throw new Error(
          `the cluster has both roles ${bootstrap} (its superuser) and ${SUPERUSER}, so it cannot be upgraded ` +
            'in place: back it up with the earlier gridlink (npm run db:backup), then start with a new DATA_DIR',
        );
      await c.query(`drop role if exists ${UPGRADE_ROLE}`);
      await c.query(`create role ${UPGRADE_ROLE} superuser login`);
    });
    await withClient(as(UPGRADE_ROLE), (c) =>
      c.query(`alter role ${pg.escapeIdentifier(bootstrap)} rename to ${SUPERUSER}`),
    );
  }
  await withClient(as(SUPERUSER), async (c) => {
    await c.query(`drop role if exists ${UPGRADE_ROLE}`);
    await c.query(`alter role ${SUPERUSER} password ${c.escapeLiteral(password)}`);
  });
}

/**
 * As the superuser, idempotent: the app role (no superuser, no other power), the database (the superuser's),
 * the schema gridlink (the app role's), PostGIS in public; gridlink's tables left in public by earlier versions
 * are moved into the schema, and everything in it is handed to the app role.
 */
async function setUp(admin: pg.ClientConfig, appPassword: string, log: (line: string) => void): Promise<void> {
  await withClient({ ...admin, database: 'postgres' }, async (c) => {
    const limits = 'login nosuperuser nocreatedb nocreaterole noreplication nobypassrls';
    const { rowCount } = await c.query('select 1 from pg_roles where rolname = $1', [APP_ROLE]);
    await c.query(
      `${rowCount ? 'alter' : 'create'} role ${APP_ROLE} ${limits} password ${c.escapeLiteral(appPassword)}`,
    );
    await c.query(`alter role ${APP_ROLE} set search_path = ${APP_SCHEMA}, public`);
    const db = await c.query('select 1 from pg_database where datname = $1', [DATABASE_NAME]);
    if (!db.rowCount) await c.query(`create database ${DATABASE_NAME} owner ${SUPERUSER}`);
  });
  await withClient({ ...admin, database: DATABASE_NAME }, async (c) => {
    await c.query('begin');
    await c.query('revoke create on schema public from public');
    await c.query(`create schema if not exists ${APP_SCHEMA} authorization ${APP_ROLE}`);
    await c.query(`alter schema ${APP_SCHEMA} owner to ${APP_ROLE}`);
    await c.query('create extension if not exists postgis schema public');
    await adoptPublicTables(c, log);
    await c.query('commit');
  });
}

/** Relations in public that are not PostGIS's (from an earlier version): moved into the app's schema, handed to the app. */
async function adoptPublicTables(c: pg.Client, log: (line: string) => void): Promise<void> {
  const { rows: moved } = await c.query<{ name: string; kind: string }>(
    `select c.relname as name, c.relkind as kind from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'S')
       and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype in ('e', 'a', 'i'))`,
  );
  if (moved.length)
    log(`Moving ${moved.length} tables and views of an earlier gridlink from schema public to ${APP_SCHEMA} …`);
  for (const r of moved)
    await c.query(`alter ${kindWord(r.kind)} public.${pg.escapeIdentifier(r.name)} set schema ${APP_SCHEMA}`);
  // Sequences of a column follow their table; the rest is handed over one by one.
  const { rows: owned } = await c.query<{ name: string; kind: string }>(
    `select c.relname as name, c.relkind as kind from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = $1 and c.relkind in ('r', 'p', 'v', 'm', 'S') and c.relowner <> $2::regrole
       and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype in ('a', 'i'))`,
    [APP_SCHEMA, APP_ROLE],
  );
  for (const r of owned)
    await c.query(`alter ${kindWord(r.kind)} ${APP_SCHEMA}.${pg.escapeIdentifier(r.name)} owner to ${APP_ROLE}`);
}

/**
 * After a backup of an earlier version (tables in public) was restored into public by the superuser: in one
 * transaction, the app schema's tables are replaced by those.
 */
export async function replaceWithPublicTables(
  adminConnection: pg.ClientConfig,
  log: (line: string) => void,
): Promise<void> {
  await withClient({ ...adminConnection, database: DATABASE_NAME }, async (c) => {
    await c.query('begin');
    await c.query(`drop schema ${APP_SCHEMA} cascade`);
    await c.query(`create schema ${APP_SCHEMA} authorization ${APP_ROLE}`);
    await adoptPublicTables(c, log);
    await c.query('commit');
  });
}

const kindWord = (relkind: string) => ({ v: 'view', m: 'materialized view', S: 'sequence' })[relkind] ?? 'table';

export async function startCluster(dataDir: string, log: (line: string) => void): Promise<Cluster> {
  fs.mkdirSync(dataDir, { recursive: true });
  // The postgres user must be able to reach its folders inside DATA_DIR.
  fs.chmodSync(dataDir, 0o755);
  const pgData = path.join(dataDir, 'pg');
  const runDir = path.join(dataDir, 'run');
  const lockFile = path.join(dataDir, 'gridlink.pid');

  const owner = readPid(lockFile);
  if (owner && owner !== process.pid && pidAlive(owner)) {
    throw new Error(
      `DATA_DIR ${dataDir} is in use by another gridlink server (pid ${owner}). ` +
        `Stop it first, or give this one its own DATA_DIR.`,
    );
  }
  fs.writeFileSync(lockFile, `${process.pid}\n`);

  if (isRoot()) {
    const probe = await run('runuser', ['-u', RUN_AS, '--', 'test', '-x', dataDir]).then(
      () => true,
      () => false,
    );
    if (!probe) {
      throw new Error(
        `the postgres user cannot enter ${dataDir}: make its parent folders world-executable or set DATA_DIR elsewhere`,
      );
    }
  }

  let passwords = readPasswords(dataDir);
  if (!fs.existsSync(path.join(pgData, 'PG_VERSION'))) {
    log(`Creating a private PostgreSQL cluster in ${pgData} …`);
    fs.rmSync(pgData, { recursive: true, force: true });
    await ownedDir(pgData, 0o700);
    await ownedDir(runDir, 0o700);
    passwords = writePasswords(dataDir);
    // initdb reads the superuser's password from a file only the postgres user can read, removed right after.
    const pwfile = path.join(runDir, 'initdb.pw');
    fs.writeFileSync(pwfile, `${passwords[SUPERUSER]}\n`, { mode: 0o600 });
    if (isRoot()) fs.chownSync(pwfile, fs.statSync(runDir).uid, fs.statSync(runDir).gid);
    try {
      await pgCommand('initdb', [
        '-D',
        pgData,
        '-U',
        SUPERUSER,
        '--auth=scram-sha-256',
        `--pwfile=${pwfile}`,
        '-E',
        'UTF8',
        '--no-locale',
        '--no-instructions',
      ]);
    } finally {
      fs.rmSync(pwfile, { force: true });
    }
    writeHba(pgData);
  }
  await ownedDir(runDir, 0o700);

  const trusting = hbaTrusts(pgData);
  if (!passwords) {
    if (!trusting) {
      throw new Error(
        `${passfileOf(dataDir)} (the database passwords) is missing or damaged, so gridlink cannot log in to ${pgData}. ` +
          `Put the file back from a copy of DATA_DIR, or start afresh: move ${pgData} away (its data is lost to gridlink) and start again.`,
      );
    }
    passwords = writePasswords(dataDir);
  }

  const pgPid = readPid(path.join(pgData, 'postmaster.pid'));
  if (pgPid && pidAlive(pgPid)) {
    // Left running by an earlier gridlink that did not stop cleanly: it is ours, restart it.
    log(`Stopping PostgreSQL (pid ${pgPid}) left running by an earlier gridlink in ${pgData} …`);
    await pgCommand('pg_ctl', ['-D', pgData, '-m', 'fast', '-w', 'stop']).catch(() => undefined);
  }

  log('Starting PostgreSQL …');
  await startPostgres(dataDir);

  const { connection, adminConnection } = embeddedConnection(dataDir);
  try {
    if (trusting) {
      log('Securing the database of an earlier gridlink: password login, the app as a role without superuser …');
      await upgradeSuperuser(adminConnection, passwords[SUPERUSER]);
    }
    await setUp(adminConnection, passwords[APP_ROLE], log);
    if (trusting) {
      writeHba(pgData);
      await withClient({ ...adminConnection, database: 'postgres' }, (c) => c.query('select pg_reload_conf()'));
    }
  } catch (e) {
    await stopPostgres(dataDir).catch(() => undefined);
    if (readPid(lockFile) === process.pid) fs.rmSync(lockFile, { force: true });
    throw e;
  }

  let stopped = false;
  return {
    connection,
    adminConnection,
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopPostgres(dataDir).catch((e) => log(String(e)));
      if (readPid(lockFile) === process.pid) fs.rmSync(lockFile, { force: true });
    },
  };
}
