import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import type { PoolConfig } from 'pg';
import { loadConfig } from '../../server/config.ts';
import { startGridlink } from '../../server/start.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    /** The app's role (no superuser), as the server uses it. */
    db: PoolConfig;
    /** The private cluster's superuser, for the few tests that create roles or databases. */
    dbAdmin: PoolConfig;
    dataDir: string;
  }
}

/**
 * Starts gridlink the way `npm start` does — on an empty DATA_DIR, so a private PostgreSQL + PostGIS
 * cluster is created and the demo data loaded — unless DATABASE_URL points at an existing server.
 */
export default async function setup(project: TestProject) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridlink-test-'));
  const base = loadConfig();
  // Demo accounts (read by the auth tests from DATA_DIR/demo-accounts.txt) whatever NODE_ENV or DATABASE_URL say.
  const config = { ...base, port: 0, dataDir, auth: { ...base.auth, production: false, demoAccounts: true } };
  const running = await startGridlink(config);
  project.provide('baseUrl', running.url);
  project.provide('db', { ...running.connection });
  project.provide('dbAdmin', { ...(running.adminConnection ?? running.connection) });
  project.provide('dataDir', dataDir);
  return async () => {
    await running.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
