// Debian packages gridlink needs, checked by file and installed with apt-get when missing (as root),
// or named with the exact command to run. Plain Node, no dependencies: it runs before `npm ci`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

// A PostgreSQL of one's own (PG_BIN_DIR) or a browser of one's own (CHROMIUM_PATH) stands in for the package.
const PG_MAJOR = 15;
const pgBin = process.env.PG_BIN_DIR || `/usr/lib/postgresql/${PG_MAJOR}/bin`;

/** The share folder of that PostgreSQL (where extensions are): pg_config's answer, else Debian's. */
function pgShareDir() {
  const r = spawnSync(path.join(pgBin, 'pg_config'), ['--sharedir'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : `/usr/share/postgresql/${PG_MAJOR}`;
}

const postgres = () => [
  { pkg: `postgresql-${PG_MAJOR}`, file: path.join(pgBin, 'initdb'), setBy: 'PG_BIN_DIR' },
  { pkg: `postgresql-${PG_MAJOR}-postgis-3`, file: path.join(pgShareDir(), 'extension', 'postgis.control') },
];

/** purpose → packages, each with a file that proves it is installed */
export const NEEDS = {
  start: () => postgres(),
  test: () => [
    ...postgres(),
    { pkg: 'chromium', file: process.env.CHROMIUM_PATH || '/usr/bin/chromium', setBy: 'CHROMIUM_PATH' },
    { pkg: 'gdal-bin', file: '/usr/bin/ogrinfo' },
  ],
  bench: () => [{ pkg: 'metis', file: '/usr/bin/gpmetis' }],
};

export function ensurePackages(purpose, log = (l) => console.log(`[gridlink] ${l}`)) {
  const absent = NEEDS[purpose]().filter((n) => !fs.existsSync(n.file));
  const mistyped = absent.find((n) => n.setBy && process.env[n.setBy]);
  if (mistyped) {
    console.error(`[gridlink] ${mistyped.setBy}=${process.env[mistyped.setBy]}: ${mistyped.file} does not exist`);
    process.exit(1);
  }
  const missing = absent.map((n) => n.pkg);
  if (missing.length === 0) return;
  const command = `apt-get install -y ${missing.join(' ')}`;
  if (process.getuid?.() !== 0 || !fs.existsSync('/usr/bin/apt-get')) {
    console.error(`[gridlink] missing Debian packages: ${missing.join(', ')}\nInstall them with:\n  sudo ${command}`);
    process.exit(1);
  }
  log(`Installing missing Debian packages: ${missing.join(', ')} …`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-q'],
    ['install', '-y', '-q', ...missing],
  ]) {
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (r.status !== 0) {
      console.error(`[gridlink] apt-get ${args.join(' ')} failed (exit ${r.status})`);
      process.exit(1);
    }
  }
  log('Debian packages installed.');
}

if (import.meta.url === `file://${process.argv[1]}`) ensurePackages(process.argv[2] ?? 'test');
