// npm run db:reset — drops every gridlink table, migrates again and reloads the demo data.
import { loadConfig } from '../server/config.ts';
import { createPool } from '../server/postgres/pool.ts';
import { ensurePostgresBinaries } from '../server/postgres/binaries.ts';
import { startCluster, type Cluster } from '../server/postgres/cluster.ts';
import { ensurePostgis, migrate } from '../server/postgres/migrate.ts';
import { dropSchema, loadDemoData } from '../server/demo/data-set.ts';
import { prepareIssues } from '../server/demo/issues.ts';

const log = (line: string) => console.log(`[gridlink] ${line}`);
const config = loadConfig();
let cluster: Cluster | undefined;
try {
  if (!config.databaseUrl) {
    ensurePostgresBinaries(log);
    cluster = await startCluster(config.dataDir, log);
  }
  const pool = createPool(config.databaseUrl ? { connectionString: config.databaseUrl } : cluster!.connection);
  try {
    await ensurePostgis(pool);
    log('Dropping the gridlink tables …');
    await dropSchema(pool);
    await migrate(pool, log);
    log(`Loading the demo data set (synthetic, 示例数据) from ${config.demoDataDir} …`);
    await loadDemoData(pool, config.demoDataDir, config.countyCode, log);
    await prepareIssues(pool, config, log);
  } finally {
    await pool.end();
  }
} catch (e) {
  console.error(`[gridlink] db:reset failed: ${(e as Error).message}`);
  process.exitCode = 1;
} finally {
  await cluster?.stop();
}
