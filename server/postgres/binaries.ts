import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';

/** Where Debian's PostgreSQL 15 and PostGIS 3 live, and how to get them when they are missing. */
export const PG_MAJOR = 15;
export const PG_PACKAGES = ['postgresql-15', 'postgresql-15-postgis-3'];
export const INSTALL_COMMAND = `sudo apt-get install -y ${PG_PACKAGES.join(' ')}`;

export function pgBinDir(): string {
  return process.env.PG_BIN_DIR || `/usr/lib/postgresql/${PG_MAJOR}/bin`;
}

function missingParts(): string[] {
  const missing: string[] = [];
  for (const bin of ['initdb', 'pg_ctl', 'postgres']) {
    if (!fs.existsSync(`${pgBinDir()}/${bin}`)) missing.push(bin);
  }
  let shareDir = `/usr/share/postgresql/${PG_MAJOR}`;
  if (fs.existsSync(`${pgBinDir()}/pg_config`)) {
    shareDir = execFileSync(`${pgBinDir()}/pg_config`, ['--sharedir'], { encoding: 'utf8' }).trim();
  }
  if (!fs.existsSync(`${shareDir}/extension/postgis.control`)) missing.push('postgis');
  return missing;
}

const isRoot = () => process.getuid?.() === 0;

/**
 * Makes sure PostgreSQL and PostGIS can be run. On Debian/Ubuntu as root, installs what is missing
 * (saying so); otherwise throws with the exact command to run.
 */
export function ensurePostgresBinaries(log: (line: string) => void): void {
  const missing = missingParts();
  if (missing.length === 0) return;
  const canInstall = isRoot() && fs.existsSync('/usr/bin/apt-get');
  if (!canInstall) {
    throw new Error(
      `PostgreSQL ${PG_MAJOR} with PostGIS is not installed (missing: ${missing.join(', ')}).\n` +
        `Install it with:\n  ${INSTALL_COMMAND}\nor set DATABASE_URL to an existing PostgreSQL with PostGIS.`,
    );
  }
  log(`PostgreSQL/PostGIS missing (${missing.join(', ')}): installing ${PG_PACKAGES.join(' ')} with apt-get …`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-q'],
    ['install', '-y', '-q', ...PG_PACKAGES],
  ]) {
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${r.status})`);
  }
  const still = missingParts();
  if (still.length) throw new Error(`still missing after install: ${still.join(', ')}`);
  log('PostgreSQL/PostGIS installed.');
}
