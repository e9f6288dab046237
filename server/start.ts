import net from 'node:net';
import type { Server } from 'node:http';
import type { PoolConfig } from 'pg';
import type { Config } from './config.ts';
import { createPool, type Pool } from './postgres/pool.ts';
import { ensurePostgresBinaries } from './postgres/binaries.ts';
import { startCluster, type Cluster } from './postgres/cluster.ts';
import { startLocalReplicas, standbyUrl, type Standby } from './postgres/standby.ts';
import { ensurePostgis, isSuperuser, migrate } from './postgres/migrate.ts';
import { hasDemoData, loadDemoData, recordCountyIfMissing } from './demo/data-set.ts';
import { importPackage } from './county/import.ts';
import { importSummaryText } from './county/import-text.ts';
import { reportText } from './county/report-text.ts';
import { queryCounty } from './db/counties-repo.ts';
import { prepareIssues } from './demo/issues.ts';
import { prepareCommunityService } from './demo/community-service.ts';
import { prepareWorkforce } from './demo/workforce.ts';
import { createApp } from './app.ts';
import type { GridlinkApp } from './app-context.ts';
import { prepareAccounts } from './auth/accounts.ts';
import { startHousekeeping } from './auth/housekeeping.ts';

export const log = (line: string) => console.log(`[gridlink] ${line}`);

/**
 * Stops once on SIGINT or SIGTERM, then says so and exits. Later signals are ignored: Ctrl-C reaches every process
 * of the group and launchers pass it on too, and a second signal must not kill a stop half-way.
 */
export function stopOnSignals(stop: (signal: string) => Promise<void>): void {
  let stopping: Promise<void> | undefined;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      stopping ??= (async () => {
        await stop(signal);
        log('Stopped.');
        exitAfterOutput(0);
      })();
    });
  }
}

/** Exits once stdout and stderr have taken everything written before: writes to a pipe are asynchronous. */
export function exitAfterOutput(code: number): void {
  let pending = 2;
  const done = () => --pending === 0 && process.exit(code);
  process.stdout.write('', done);
  process.stderr.write('', done);
}

/** Fails early, before the database starts, when something else holds the port. */
function checkPortFree(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'EADDRINUSE'
          ? new Error(
              `port ${port} on ${host} is already in use (another gridlink or another program); stop it or set PORT`,
            )
          : e,
      ),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

export interface Running {
  server: Server;
  app: GridlinkApp;
  pool: Pool;
  url: string;
  /** How to reach the database directly (tests, benchmarks): the app's role. */
  connection: PoolConfig;
  /** The embedded cluster's superuser (tests that need one); undefined with DATABASE_URL. */
  adminConnection?: PoolConfig;
  stop(): Promise<void>;
}

/** The database, ready to serve: started (embedded unless DATABASE_URL), migrated, demo data loaded. */
export interface Database {
  pool: Pool;
  /** How to reach it (worker processes, tests, benchmarks): the app's role. */
  connection: PoolConfig;
  /** The embedded cluster's superuser; undefined with DATABASE_URL. */
  adminConnection?: PoolConfig;
  /** DATABASE_REPLICA_URLS and the local replicas' (`--replicas N`): where the app reads. */
  replicaUrls: string[];
  /** Ends the pool, then stops the local replicas and the embedded cluster (if they are ours). */
  stop(): Promise<void>;
}

/** The county package of COUNTY_DIR imported when its county is not in the database yet; else the demo data set. */
async function prepareCountyData(pool: Pool, config: Config): Promise<void> {
  if (config.countyDir) {
    if (await queryCounty(pool, config.countyCode)) {
      log(`County ${config.countyCode} is in the database (npm run county -- import DIR replaces its map).`);
      return;
    }
    log(`Importing the county package of COUNTY_DIR (county ${config.countyCode}) …`);
    const { report, imported } = await importPackage(pool, config.countyDir, { actor: 'npm start', progress: log });
    if (!imported)
      throw new Error(`the county package of COUNTY_DIR has blocking problems:\n${reportText(report, 'en')}`);
    log(importSummaryText(imported, 'en'));
  } else if (!(await hasDemoData(pool, config.countyCode))) {
    log(`Loading the demo data set (synthetic, 示例数据) from ${config.demoDataDir} …`);
    await loadDemoData(pool, config.demoDataDir, config.countyCode, log);
  } else await recordCountyIfMissing(pool, config.demoDataDir, config.countyCode);
}

/**
 * Starts the database (embedded unless DATABASE_URL), migrates, loads the demo data when empty; then `replicas`
 * streaming standbys of the embedded cluster (`npm start -- --replicas N`).
 */
export async function prepareDatabase(config: Config, replicas = 0): Promise<Database> {
  if (replicas > 0 && config.databaseUrl)
    throw new Error(
      '--replicas runs standbys of the private database; with DATABASE_URL, name your replicas in DATABASE_REPLICA_URLS instead',
    );
  if (config.port !== 0) await checkPortFree(config.host, config.port);
  let cluster: Cluster | undefined;
  let connection: PoolConfig;
  if (config.databaseUrl) {
    log('Using the database at DATABASE_URL.');
    connection = { connectionString: config.databaseUrl };
  } else {
    ensurePostgresBinaries(log);
    cluster = await startCluster(config.dataDir, log);
    connection = cluster.connection;
  }
  const pool = createPool(connection);
  let standbys: Standby[] = [];
  const stop = async () => {
    await pool.end().catch(() => undefined);
    await Promise.all(standbys.map((s) => s.stop()));
    await cluster?.stop();
  };
  try {
    const postgis = await ensurePostgis(pool);
    log(`PostGIS ${postgis}.`);
    if (config.databaseUrl && (await isSuperuser(pool))) {
      log(
        'WARNING: DATABASE_URL logs in as a superuser. Give gridlink a role of its own without superuser (README: An existing PostGIS).',
      );
    }
    await migrate(pool, log);
    await prepareCountyData(pool, config);
    // Issue categories and holidays; outside production, the synthetic issue history while there is no issue yet.
    await prepareIssues(pool, config, log);
    // Micro-wishes, activities and deliberation items: outside production, a synthetic year while there is none.
    await prepareCommunityService(pool, config, log);
    // The allowance table; outside production, the synthetic workforce on the demo people while there is none.
    await prepareWorkforce(pool, config, log);
    await prepareAccounts(pool, config, log);
    // Expired sessions and stale login counters hourly, audit rows past AUDIT_RETENTION_DAYS daily; now, too.
    // Once per database, in the process that prepared it.
    // Made after the data is in: each copy then starts with it instead of streaming it.
    if (cluster && replicas > 0) {
      standbys = await startLocalReplicas(config.dataDir, replicas, cluster.adminConnection, log);
      log(`${replicas} read replica${replicas > 1 ? 's' : ''} streaming.`);
    }
    const replicaUrls = [...config.replicas.urls, ...standbys.map((s) => standbyUrl(connection, s))];
    const housekeeping = startHousekeeping(pool, config.countyCode, config.auth, log);
    return {
      pool,
      connection,
      adminConnection: cluster?.adminConnection,
      replicaUrls,
      stop: async () => {
        await housekeeping.stop();
        await stop();
      },
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

export interface Serving {
  server: Server;
  app: GridlinkApp;
  url: string;
  /** Ends the streams and open connections and stops listening (the pool stays open). */
  close(): Promise<void>;
}

/** Assembles the app on a ready database and listens. */
export async function serve(config: Config, pool: Pool): Promise<Serving> {
  const app = await createApp(config, pool);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    s.once('error', reject);
  });
  // Idle keep-alive sockets outlive the client's and a proxy's (60 s) idle time: otherwise the server may close one
  // just as a client sends its next request on it ("other side closed").
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const address = server.address() as net.AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${address.port}`;
  const close = async () => {
    // The wall streams first: their open responses and the database listener (server/stream).
    await app.context.close();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  };
  return { server, app, url, close };
}

/** Starts the database (and `replicas` local standbys), migrates, loads the demo data when empty, listens: `npm start`. */
export async function startGridlink(config: Config, replicas = 0): Promise<Running> {
  const db = await prepareDatabase(config, replicas);
  let serving: Serving;
  try {
    serving = await serve({ ...config, replicas: { ...config.replicas, urls: db.replicaUrls } }, db.pool);
  } catch (e) {
    await db.stop();
    throw e;
  }
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await serving.close();
      await db.stop();
    })());
  return {
    server: serving.server,
    app: serving.app,
    url: serving.url,
    pool: db.pool,
    connection: db.connection,
    adminConnection: db.adminConnection,
    stop,
  };
}
