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
  auth: AuthConfig;
  /** Snap reports and their handling (server/issues/README.md). */
  issues: IssuesConfig;
  /** Test-only knob (PUBLISH_PAUSE_MS): a plan's publishing transaction sleeps this long before commit, so a
   * crash test can kill the server mid-publish. 0 (the default) in any real use. */
  publishPauseMs: number;
  /** Memory for vector tiles cached by data version (TILE_CACHE_MB, default 64; 0 turns the cache off). */
  tileCacheBytes: number;
}

/** Issues: uploads, rate limits and the working-hours calendar of deadlines. */
export interface IssuesConfig {
  /** Where issue photos and thumbnails are stored (UPLOADS_DIR); undefined: $DATA_DIR/uploads. */
  uploadsDir: string | undefined;
  /** Reports one account may submit per hour (REPORTS_PER_HOUR, default 20). */
  reportsPerHour: number;
  /** Largest photo accepted, in bytes (10 MB). */
  maxPhotoBytes: number;
  /** Working days, 0 = Sunday (WORKING_DAYS, default "1-5"). */
  workingDays: string;
  /** Working periods in local time (WORKING_HOURS, default "08:30-12:00,14:30-18:00"). */
  workingHours: string;
  /** Minutes east of UTC of the working hours (Beijing: 480). */
  utcOffsetMinutes: number;
}

/** Accounts, sessions and the gate (server/auth/README.md). */
export interface AuthConfig {
  /** NODE_ENV=production: no demo accounts, and no start until an admin account exists. */
  production: boolean;
  /** Create one demo account per role on first start: on the embedded demo database, outside production. */
  demoAccounts: boolean;
  /** REQUIRE_LOGIN=1: tiles, OGC and the style need a login or a wall display token too. */
  requireLogin: boolean;
  /** TRUST_PROXY: Express's `trust proxy` (hops, or addresses/subnets); false when unset. */
  trustProxy: boolean | number | string;
  /** How long a login session lasts (SESSION_HOURS, default 12), fixed from login. */
  sessionTtlSeconds: number;
  /** Failed logins of one username, then of one address, before a lock of lockoutSeconds. */
  maxFailuresPerUser: number;
  maxFailuresPerIp: number;
  lockoutSeconds: number;
  /** Failed logins are answered more slowly: this delay from the second failure on, doubling, up to delayMaxMs. */
  delayStepMs: number;
  delayMaxMs: number;
  /** Audit rows older than this many days are deleted daily (AUDIT_RETENTION_DAYS, default 365; 0 = keep forever). */
  auditRetentionDays: number;
}

function trustProxy(value: string | undefined): boolean | number | string {
  if (!value || value === '0' || value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value === 'true' ? true : value;
}

export const repoRoot = path.resolve(import.meta.dirname, '..');

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = env.PORT ? Number(env.PORT) : 8080;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be an integer 0–65535, got "${env.PORT}"`);
  }
  const sessionHours = env.SESSION_HOURS ? Number(env.SESSION_HOURS) : 12;
  if (!(sessionHours > 0 && sessionHours <= 24 * 90)) {
    throw new Error(`SESSION_HOURS must be a number of hours above 0 (at most 2160), got "${env.SESSION_HOURS}"`);
  }
  const reportsPerHour = env.REPORTS_PER_HOUR ? Number(env.REPORTS_PER_HOUR) : 20;
  if (!(Number.isInteger(reportsPerHour) && reportsPerHour > 0)) {
    throw new Error(`REPORTS_PER_HOUR must be a whole number above 0, got "${env.REPORTS_PER_HOUR}"`);
  }
  const auditRetentionDays = env.AUDIT_RETENTION_DAYS ? Number(env.AUDIT_RETENTION_DAYS) : 365;
  if (!(Number.isInteger(auditRetentionDays) && auditRetentionDays >= 0)) {
    throw new Error(`AUDIT_RETENTION_DAYS must be a whole number of days (0 keeps the audit log forever), got "${env.AUDIT_RETENTION_DAYS}"`);
  }
  const tileCacheMb = env.TILE_CACHE_MB ? Number(env.TILE_CACHE_MB) : 64;
  if (!(tileCacheMb >= 0 && tileCacheMb <= 65536)) {
    throw new Error(`TILE_CACHE_MB must be a number of megabytes 0–65536, got "${env.TILE_CACHE_MB}"`);
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
    auth: {
      production: env.NODE_ENV === 'production',
      demoAccounts: !env.DATABASE_URL && env.NODE_ENV !== 'production',
      requireLogin: env.REQUIRE_LOGIN === '1' || env.REQUIRE_LOGIN === 'true',
      trustProxy: trustProxy(env.TRUST_PROXY),
      sessionTtlSeconds: Math.round(sessionHours * 3600),
      maxFailuresPerUser: 5,
      maxFailuresPerIp: 50,
      lockoutSeconds: 15 * 60,
      delayStepMs: 250,
      delayMaxMs: 4000,
      auditRetentionDays,
    },
    issues: {
      uploadsDir: env.UPLOADS_DIR ? path.resolve(env.UPLOADS_DIR) : undefined,
      reportsPerHour,
      maxPhotoBytes: 10 * 1024 * 1024,
      workingDays: env.WORKING_DAYS || '1-5',
      workingHours: env.WORKING_HOURS || '08:30-12:00,14:30-18:00',
      utcOffsetMinutes: 480,
    },
    publishPauseMs: publishPauseMs(env.PUBLISH_PAUSE_MS),
    tileCacheBytes: Math.round(tileCacheMb * 1024 * 1024),
  };
}

function publishPauseMs(value: string | undefined): number {
  if (!value) return 0;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 0 || ms > 600_000) throw new Error(`PUBLISH_PAUSE_MS must be a whole number of milliseconds 0–600000, got "${value}"`);
  return ms;
}
