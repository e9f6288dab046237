// Debian packages gridlink needs, checked by file and installed with apt-get when missing (as root),
// or named with the exact command to run. Plain Node, no dependencies: it runs before `npm ci`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

/** purpose → packages, each with a file that proves it is installed */
export const NEEDS = {
  start: [
    { pkg: 'postgresql-15', file: '/usr/lib/postgresql/15/bin/initdb' },
    { pkg: 'postgresql-15-postgis-3', file: '/usr/share/postgresql/15/extension/postgis.control' },
  ],
  test: [
    { pkg: 'postgresql-15', file: '/usr/lib/postgresql/15/bin/initdb' },
    { pkg: 'postgresql-15-postgis-3', file: '/usr/share/postgresql/15/extension/postgis.control' },
    { pkg: 'chromium', file: '/usr/bin/chromium' },
    { pkg: 'gdal-bin', file: '/usr/bin/ogrinfo' },
  ],
  bench: [{ pkg: 'metis', file: '/usr/bin/gpmetis' }],
};

export function ensurePackages(purpose, log = (l) => console.log(`[gridlink] ${l}`)) {
  const missing = NEEDS[purpose].filter((n) => !fs.existsSync(n.file)).map((n) => n.pkg);
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
