import path from 'node:path';

/** Every setting of the server, with its default; environment variables override. */
export interface Config {
  port: number;
  host: string;
  /** Private state: the embedded PostgreSQL cluster, logs, generated accounts. */
  dataDir: string;
  /** An existing PostgreSQL + PostGIS server; when unset, a private cluster runs under dataDir/pg. */
  databaseUrl: string | undefined;
  /** Folder of the demo data set loaded into an empty database. */
  demoDataDir: string;
  /** Built client (vite build). */
  clientDir: string;
  /** County whose data this server holds (every table carries it). */
  countyCode: string;
  /** `development` mounts Vite as middleware instead of serving dist/. */
  mode: 'production' | 'development';
}

export const repoRoot = path.resolve(import.meta.dirname, '..');

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = env.PORT ? Number(env.PORT) : 8080;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be an integer 0–65535, got "${env.PORT}"`);
  }
  return {
    port,
    host: env.HOST || '127.0.0.1',
    dataDir: path.resolve(env.DATA_DIR || path.join(repoRoot, '.data')),
    databaseUrl: env.DATABASE_URL || undefined,
    demoDataDir: path.resolve(env.DEMO_DATA_DIR || path.join(repoRoot, 'geodata', 'yanchi')),
    clientDir: path.join(repoRoot, 'dist'),
    countyCode: '640323',
    mode: env.GRIDLINK_DEV === '1' ? 'development' : 'production',
  };
}
