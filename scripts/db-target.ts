// The database db:backup and db:restore work on: DATABASE_URL, or the embedded cluster of DATA_DIR — used as
// it is when a gridlink server runs on it, started for the command (and stopped after) otherwise.
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import type { PoolConfig } from 'pg';
import { loadConfig } from '../server/config.ts';
import { embeddedConnection, passfileOf, startCluster, type Cluster } from '../server/postgres/cluster.ts';
import { ensurePostgresBinaries, pgBinDir } from '../server/postgres/binaries.ts';

export const log = (line: string) => console.log(`[gridlink] ${line}`);

export interface DbTarget {
  /** A libpq URI for pg_dump / pg_restore, without the password: a command line is visible to every user (ps). */
  uri: string;
  /** What the child needs besides: the password, by PGPASSFILE (embedded) or PGPASSWORD (DATABASE_URL). */
  env: Record<string, string>;
  connection: PoolConfig;
  /** The embedded cluster's superuser (none with DATABASE_URL): to restore a backup of an earlier version. */
  admin?: { uri: string; connection: PoolConfig };
  /** Whether a running gridlink server uses it. */
  inUse: boolean;
  close(): Promise<void>;
}

function uriOf(c: PoolConfig): string {
  const [user, database, host] = [c.user, c.database, c.host].map((v) => encodeURIComponent(String(v)));
  return `postgresql://${user}@/${database}?host=${host}&port=${c.port}`;
}

/**
 * A postgresql:// URI without its password (in the user part or as ?password=), and that password. WHATWG URL
 * refuses libpq's host-less `postgresql://user:pw@/db?host=/socket`, hence by hand.
 */
export function splitPassword(uri: string): { uri: string; password?: string } {
  const scheme = /^postgres(?:ql)?:\/\//.exec(uri)?.[0];
  if (!scheme) return { uri };
  let rest = uri;
  let password: string | undefined;
  const authorityEnd = rest.slice(scheme.length).search(/[/?#]/);
  const authority = rest.slice(scheme.length, authorityEnd < 0 ? undefined : scheme.length + authorityEnd);
  const at = authority.lastIndexOf('@');
  const colon = at < 0 ? -1 : authority.slice(0, at).indexOf(':');
  if (colon >= 0) {
    password = decodeURIComponent(authority.slice(colon + 1, at));
    rest = scheme + authority.slice(0, colon) + authority.slice(at) + rest.slice(scheme.length + authority.length);
  }
  const q = rest.indexOf('?');
  if (q >= 0) {
    const params = new URLSearchParams(rest.slice(q + 1));
    if (params.has('password')) {
      password = params.get('password') ?? undefined;
      params.delete('password');
      rest = rest.slice(0, q) + (params.size ? `?${params}` : '');
    }
  }
  return { uri: rest, password };
}

export async function openTarget(): Promise<DbTarget> {
  const config = loadConfig();
  if (config.databaseUrl) {
    log('Using the database at DATABASE_URL.');
    const { uri, password } = splitPassword(config.databaseUrl);
    const env: Record<string, string> = password === undefined ? {} : { PGPASSWORD: password };
    return {
      uri,
      env,
      connection: { connectionString: config.databaseUrl },
      inUse: false,
      close: async () => undefined,
    };
  }
  ensurePostgresBinaries(log);
  const env = { PGPASSFILE: passfileOf(config.dataDir) };
  /** The embedded cluster's target: its connections as the app's role and as its superuser. */
  const target = (
    c: Pick<Cluster, 'connection' | 'adminConnection'>,
    inUse: boolean,
    close: () => Promise<void>,
  ): DbTarget => ({
    uri: uriOf(c.connection),
    env,
    connection: c.connection,
    admin: { uri: uriOf(c.adminConnection), connection: c.adminConnection },
    inUse,
    close,
  });
  const embedded = embeddedConnection(config.dataDir);
  if (embedded.inUse) {
    log(`Using the embedded database of the gridlink server running on ${config.dataDir}.`);
    return target(embedded, true, async () => undefined);
  }
  const cluster: Cluster = await startCluster(config.dataDir, log);
  return target(cluster, false, () => cluster.stop());
}

/**
 * Runs pg_dump or pg_restore with --verbose, turning the lines that announce a table into progress
 * `[ 40%] table …` out of `tables`; other lines are shown only when it fails.
 */
export function runWithProgress(
  bin: string,
  args: string[],
  env: Record<string, string>,
  tables: number,
  tableOf: (line: string) => string | undefined,
): Promise<void> {
  return new Promise((resolve, reject) => {
    // The password reaches the child by its environment only (readable by the same user alone), never argv.
    const { PGPASSWORD: _inherited, ...base } = process.env;
    const child = spawn(path.join(pgBinDir(), bin), args, {
      stdio: ['ignore', 'inherit', 'pipe'],
      env: { ...base, ...env },
    });
    const other: string[] = [];
    let done = 0;
    readline.createInterface({ input: child.stderr }).on('line', (line) => {
      const table = tableOf(line);
      if (table) {
        done++;
        log(`  [${String(Math.min(100, Math.round((done / Math.max(tables, 1)) * 100))).padStart(3)}%] ${table}`);
      } else other.push(line);
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `${bin} failed (${code}):\n${other
              .filter(
                (l) =>
                  !/^\w+: (dumping|processing|creating|executing|reading|identifying|finding|saving|last built-in|implied|dropping|connecting|restoring)/.test(
                    l,
                  ),
              )
              .slice(-20)
              .join('\n')}`,
          ),
        );
    });
  });
}
