import fs from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { CountyManifest } from '../shared/county-manifest.ts';
import { parseReplicaUrls } from './postgres/replica-urls.ts';
import type { ReplicaSettings } from './postgres/read-pools.ts';

/** Every setting of the server, with its default; environment variables override. */
export interface Config {
  port: number;
  host: string;
  /** Private state: the embedded PostgreSQL cluster, logs, generated accounts. */
  dataDir: string;
  /** An existing PostgreSQL + PostGIS server; when unset, a private cluster runs under dataDir/pg. */
  databaseUrl: string | undefined;
  /** Streaming standbys that serve tiles, OGC items and wall figures (DATABASE_REPLICA_URLS, comma-separated),
   * skipped while more than REPLICA_MAX_LAG_MS (default 5000) behind or down. */
  replicas: ReplicaSettings;
  /** Folder of the demo data set loaded into an empty database. */
  demoDataDir: string;
  /** Built client (vite build). */
  clientDir: string;
  /** A county package (COUNTY_DIR) imported on start when its county is not in the database yet, instead of the demo. */
  countyDir: string | undefined;
  /** County whose data this server holds (every table carries it): the package's code, else the demo's. */
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
  /**
   * Live streams (GET /api/stream) at once: per session or wall token (STREAM_MAX_PER_SESSION, default 4; a
   * newer one ends the oldest), per client address (STREAM_MAX_PER_ADDRESS, default 16) and per process
   * (STREAM_MAX_PER_PROCESS, default 1000); past the last two a stream is refused with 429.
   */
  stream: { perSession: number; perAddress: number; perProcess: number };
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
  /** TRUST_PROXY: Express's `trust proxy` — a hop count, or the proxies' addresses/subnets; false when unset. */
  trustProxy: false | number | string[];
  /** How long a login session lasts (SESSION_HOURS, default 12), fixed from login. */
  sessionTtlSeconds: number;
  /** Failed logins of one (username, address) pair, then of one address, before it is refused (throttle.ts). */
  maxFailuresPerPair: number;
  maxFailuresPerIp: number;
  /** The first refusal; doubled at each further failure, up to maxLockSeconds. */
  lockSeconds: number;
  maxLockSeconds: number;
  /** A failure counter is forgotten this long after its last failure. */
  failureWindowSeconds: number;
  /** Failed logins per minute across the county above which everyone is slowed (throttle.ts). */
  maxFailuresPerMinute: number;
  /** Failed logins are answered more slowly: this delay from the second failure on, doubling, up to delayMaxMs. */
  delayStepMs: number;
  delayMaxMs: number;
  /** Audit rows older than this many days are deleted daily (AUDIT_RETENTION_DAYS, default 365; 0 = keep forever). */
  auditRetentionDays: number;
}

/** Most proxies a request may pass through before this server (TRUST_PROXY as a hop count). */
const MAX_PROXY_HOPS = 10;

/**
 * TRUST_PROXY: unset, `0` or `false` — no proxy; a hop count 1–10; or the proxies' addresses, comma-separated
 * IPs or CIDR subnets (`loopback` for a proxy on this host). `true` (trust every hop) is refused: any client
 * could then choose its own address with X-Forwarded-For and escape the login throttle. So are Express's
 * `linklocal` / `uniquelocal`: on a LAN they would trust the clients themselves.
 */
export function parseTrustProxy(value: string | undefined): false | number | string[] {
  const v = (value ?? '').trim();
  if (v === '' || v === '0' || v === 'false') return false;
  const refuse = (why: string) =>
    new Error(
      `TRUST_PROXY ${why}: give the number of proxies in front of this server (1–${MAX_PROXY_HOPS}), ` +
        `or their addresses (comma-separated IPs or CIDR subnets, or "loopback"), got "${value}"`,
    );
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    if (hops > MAX_PROXY_HOPS) throw refuse(`allows at most ${MAX_PROXY_HOPS} hops`);
    return hops;
  }
  if (v === 'true')
    throw refuse('=true would trust any X-Forwarded-For a client sends (its own address for the login throttle)');
  if (v.length > 4096) throw refuse('is too long');
  const entries = v.split(',').map((e) => e.trim());
  for (const entry of entries) {
    if (entry === 'loopback') continue;
    const [address, prefix, extra] = entry.split('/');
    const family = isIP(address);
    if (!family || extra !== undefined) throw refuse(`"${entry}" is not an IP address or a CIDR subnet`);
    if (prefix === undefined) continue;
    const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
    if (!(bits >= 1 && bits <= (family === 4 ? 32 : 128)))
      throw refuse(`"${entry}" has no valid prefix length (1–${family === 4 ? 32 : 128})`);
  }
  return entries;
}

export const repoRoot = path.resolve(import.meta.dirname, '..');

/** The division code of the package in `dir` (its county.json); the import checks the rest. */
function packageCode(dir: string): string {
  const file = path.join(dir, 'county.json');
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`COUNTY_DIR must be a county package folder with a county.json (${(e as Error).message})`, {
      cause: e,
    });
  }
  const manifest = CountyManifest.safeParse(json);
  if (!manifest.success) {
    const issue = manifest.error.issues[0];
    throw new Error(`COUNTY_DIR: county.json is not a valid manifest: ${issue.path.join('.')}: ${issue.message}`);
  }
  return manifest.data.code;
}

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
    throw new Error(
      `AUDIT_RETENTION_DAYS must be a whole number of days (0 keeps the audit log forever), got "${env.AUDIT_RETENTION_DAYS}"`,
    );
  }
  const maxLagMs = env.REPLICA_MAX_LAG_MS ? Number(env.REPLICA_MAX_LAG_MS) : 5000;
  if (!(Number.isInteger(maxLagMs) && maxLagMs >= 0 && maxLagMs <= 3_600_000)) {
    throw new Error(
      `REPLICA_MAX_LAG_MS must be a whole number of milliseconds 0–3600000, got "${env.REPLICA_MAX_LAG_MS}"`,
    );
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
    replicas: { urls: parseReplicaUrls(env.DATABASE_REPLICA_URLS), maxLagMs, checkEveryMs: 2_000 },
    demoDataDir: path.resolve(env.DEMO_DATA_DIR || path.join(repoRoot, 'geodata', 'yanchi')),
    clientDir: path.join(repoRoot, 'dist'),
    countyDir: env.COUNTY_DIR ? path.resolve(env.COUNTY_DIR) : undefined,
    countyCode: env.COUNTY_DIR ? packageCode(path.resolve(env.COUNTY_DIR)) : '640323',
    mode: env.GRIDLINK_DEV === '1' ? 'development' : 'production',
    auth: {
      production: env.NODE_ENV === 'production',
      demoAccounts: !env.DATABASE_URL && env.NODE_ENV !== 'production',
      requireLogin: env.REQUIRE_LOGIN === '1' || env.REQUIRE_LOGIN === 'true',
      trustProxy: parseTrustProxy(env.TRUST_PROXY),
      sessionTtlSeconds: Math.round(sessionHours * 3600),
      maxFailuresPerPair: 5,
      maxFailuresPerIp: 50,
      lockSeconds: 60,
      maxLockSeconds: 15 * 60,
      failureWindowSeconds: 60 * 60,
      maxFailuresPerMinute: 100,
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
    stream: {
      perSession: streamCap(env, 'STREAM_MAX_PER_SESSION', 4),
      perAddress: streamCap(env, 'STREAM_MAX_PER_ADDRESS', 16),
      perProcess: streamCap(env, 'STREAM_MAX_PER_PROCESS', 1000),
    },
  };
}

function streamCap(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = env[name];
  if (!value) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000)
    throw new Error(`${name} must be a whole number of streams 1–1000000, got "${value}"`);
  return n;
}

function publishPauseMs(value: string | undefined): number {
  if (!value) return 0;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 0 || ms > 600_000)
    throw new Error(`PUBLISH_PAUSE_MS must be a whole number of milliseconds 0–600000, got "${value}"`);
  return ms;
}
