import net from 'node:net';
import type { Server } from 'node:http';
import type { PoolConfig } from 'pg';
import type { Config } from './config.ts';
import { createPool, type Pool } from './db/pool.ts';
import { ensurePostgresBinaries } from './db/postgres-binaries.ts';
import { startCluster, type Cluster } from './db/cluster.ts';
import { ensurePostgis, migrate } from './db/migrate.ts';
import { hasDemoData, loadDemoData } from './db/demo-loader.ts';
import { prepareIssues } from './db/issues-demo-repo.ts';
import { prepareCommunityService } from './db/community-demo-repo.ts';
import { createApp } from './app.ts';
import { prepareAccounts } from './auth/accounts.ts';

export const log = (line: string) => console.log(`[gridlink] ${line}`);

/** Fails early, before the database starts, when something else holds the port. */
function checkPortFree(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'EADDRINUSE'
          ? new Error(`port ${port} on ${host} is already in use (another gridlink or another program); stop it or set PORT`)
          : e,
      ),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

export interface Running {
  server: Server;
  pool: Pool;
  url: string;
  /** How to reach the database directly (tests, benchmarks). */
  connection: PoolConfig;
  stop(): Promise<void>;
}

/** Starts the database (embedded unless DATABASE_URL), migrates, loads the demo data when empty, listens. */
export async function startGridlink(config: Config): Promise<Running> {
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
  try {
    const postgis = await ensurePostgis(pool);
    log(`PostGIS ${postgis}.`);
    await migrate(pool, log);
    if (!(await hasDemoData(pool, config.countyCode))) {
      log(`Loading the demo data set (synthetic, 示例数据) from ${config.demoDataDir} …`);
      await loadDemoData(pool, config.demoDataDir, config.countyCode, log);
    }
    // Issue categories and holidays; outside production, the synthetic issue history while there is no issue yet.
    await prepareIssues(pool, config, log);
    // Micro-wishes, activities and deliberation items: outside production, a synthetic year while there is none.
    await prepareCommunityService(pool, config, log);
    await prepareAccounts(pool, config, log);
    const app = await createApp(config, pool);
    const server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(config.port, config.host, () => resolve(s));
      s.once('error', reject);
    });
    const address = server.address() as net.AddressInfo;
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${address.port}`;
    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        // The wall streams first: their open responses and the database listener (server/stream).
        await (app.locals.streamHub as { close(): Promise<void> } | undefined)?.close();
        server.closeAllConnections();
        await new Promise<void>((r) => server.close(() => r()));
        await pool.end();
        await cluster?.stop();
      })());
    return { server, pool, url, connection, stop };
  } catch (e) {
    await pool.end().catch(() => undefined);
    await cluster?.stop();
    throw e;
  }
}
