import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { pgBinDir } from './postgres-binaries.ts';

const run = promisify(execFile);
const RUN_AS = 'postgres';
export const DATABASE_NAME = 'gridlink';
const SUPERUSER = 'gridlink';

/** A private PostgreSQL cluster under DATA_DIR/pg, reachable only through a unix socket in DATA_DIR/run. */
export interface Cluster {
  connection: pg.PoolConfig;
  stop(): Promise<void>;
}

const isRoot = () => process.getuid?.() === 0;

/** PostgreSQL refuses to run as root: run its binaries as the postgres user then. */
async function pgCommand(bin: string, args: string[]): Promise<string> {
  const file = path.join(pgBinDir(), bin);
  const [cmd, argv] = isRoot() ? ['runuser', ['-u', RUN_AS, '--', file, ...args]] : [file, args];
  try {
    const { stdout } = await run(cmd, argv, { encoding: 'utf8', maxBuffer: 16 << 20 });
    return stdout;
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${bin} failed: ${(err.stderr || err.stdout || err.message).trim()}`);
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
async function ownedDir(dir: string, mode: number): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  fs.chmodSync(dir, mode);
  if (isRoot()) await run('chown', ['-R', `${RUN_AS}:${RUN_AS}`, dir]);
}

/** How to reach the cluster of DATA_DIR, and whether a gridlink server holds it right now. */
export function embeddedConnection(dataDir: string): { connection: pg.PoolConfig; inUse: boolean } {
  const owner = readPid(path.join(dataDir, 'gridlink.pid'));
  const pgPid = readPid(path.join(dataDir, 'pg', 'postmaster.pid'));
  return {
    connection: { host: path.join(dataDir, 'run'), port: 5432, user: SUPERUSER, database: DATABASE_NAME },
    inUse: !!owner && owner !== process.pid && pidAlive(owner) && !!pgPid && pidAlive(pgPid),
  };
}

/** Starts the cluster of DATA_DIR (created by startCluster), listening only on its unix socket. */
export async function startPostgres(dataDir: string): Promise<void> {
  const runDir = path.join(dataDir, 'run');
  const options = `-c listen_addresses='' -k '${runDir}' -c port=5432`;
  await pgCommand('pg_ctl', ['-D', path.join(dataDir, 'pg'), '-o', options, '-l', path.join(runDir, 'postgres.log'), '-w', '-t', '60', 'start']);
}

/** Stops it (fast: open sessions are ended, nothing committed is lost). */
export async function stopPostgres(dataDir: string): Promise<void> {
  await pgCommand('pg_ctl', ['-D', path.join(dataDir, 'pg'), '-m', 'fast', '-w', 'stop']);
}

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
    const probe = await run('runuser', ['-u', RUN_AS, '--', 'test', '-x', dataDir]).then(() => true, () => false);
    if (!probe) {
      throw new Error(`the postgres user cannot enter ${dataDir}: make its parent folders world-executable or set DATA_DIR elsewhere`);
    }
  }

  if (!fs.existsSync(path.join(pgData, 'PG_VERSION'))) {
    log(`Creating a private PostgreSQL cluster in ${pgData} …`);
    fs.rmSync(pgData, { recursive: true, force: true });
    await ownedDir(pgData, 0o700);
    await pgCommand('initdb', ['-D', pgData, '-U', SUPERUSER, '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-instructions']);
  }
  await ownedDir(runDir, 0o700);

  const pgPid = readPid(path.join(pgData, 'postmaster.pid'));
  if (pgPid && pidAlive(pgPid)) {
    // Left running by an earlier gridlink that did not stop cleanly: it is ours, restart it.
    log(`Stopping PostgreSQL (pid ${pgPid}) left running by an earlier gridlink in ${pgData} …`);
    await pgCommand('pg_ctl', ['-D', pgData, '-m', 'fast', '-w', 'stop']).catch(() => undefined);
  }

  log('Starting PostgreSQL …');
  await startPostgres(dataDir);

  const { connection } = embeddedConnection(dataDir);
  const admin = new pg.Client({ ...connection, database: 'postgres' });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [DATABASE_NAME]);
    if (!rowCount) await admin.query(`create database ${DATABASE_NAME}`);
  } finally {
    await admin.end();
  }

  let stopped = false;
  return {
    connection,
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopPostgres(dataDir).catch((e) => log(String(e)));
      if (readPid(lockFile) === process.pid) fs.rmSync(lockFile, { force: true });
    },
  };
}
