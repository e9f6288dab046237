// npm run bench:import [-- --compounds N --buildings M --format gpkg|geojson|csv --quick] — time and memory of a
// county import (docs/county-package.md) on a large synthetic package (scripts/bench/import-package.ts; default
// 20,000 compounds and 200,000 buildings as GeoPackages), into a fresh private database in its own temporary
// DATA_DIR (never the developer's, never DATABASE_URL), removed afterwards. Prints the importer's progress as it
// goes, then the total and each step's time, rows per second, the peak RSS of this process, of the GDAL processes
// it ran and of the database backend, against a baseline in the same run: the same files loaded by plain
// ogr2ogr (COPY) into scratch tables of the same database.
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { importPackage } from '../../server/county/import.ts';
import { startCluster } from '../../server/postgres/cluster.ts';
import { migrate } from '../../server/postgres/migrate.ts';
import { createPool } from '../../server/postgres/pool.ts';
import { writePackage, type PackageFormat } from './import-package.ts';

const { values } = parseArgs({
  options: {
    compounds: { type: 'string' },
    buildings: { type: 'string' },
    format: { type: 'string', default: 'gpkg' },
    quick: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
  },
});
const whole = (v: string | undefined, fallback: number, name: string) => {
  const n = v === undefined ? fallback : Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 1_000_000) throw new Error(`--${name} must be a whole number 0–1,000,000`);
  return n;
};
const compounds = whole(values.compounds, values.quick ? 1000 : 20_000, 'compounds');
const buildings = whole(values.buildings, values.quick ? 10_000 : 200_000, 'buildings');
const format = values.format as PackageFormat;
if (!['gpkg', 'geojson', 'csv'].includes(format)) throw new Error('--format is gpkg, geojson or csv');
if (compounds < 1) throw new Error('--compounds must be at least 1');

const log = (line: string) => console.error(`[bench:import] ${line}`);
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Peak resident memory (VmHWM, kB) of a process, 0 when it is gone. */
function peakOf(pid: number): number {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** The processes below this one (GDAL and its sandbox), sampled: their peak is read while they run. */
function watchChildren(): { peak: () => number; reset: () => void; stop: () => void } {
  let peak = 0;
  const timer = setInterval(() => {
    const parents = new Map<number, number>();
    for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      } catch {
        // gone meanwhile
      }
    }
    const below = (pid: number): boolean => {
      const parent = parents.get(pid);
      return parent === process.pid || (parent !== undefined && parent > 1 && below(parent));
    };
    for (const pid of parents.keys()) if (below(pid)) peak = Math.max(peak, peakOf(pid));
  }, 200);
  return { peak: () => peak, reset: () => (peak = 0), stop: () => clearInterval(timer) };
}

/** Loads each layer file with plain ogr2ogr into a scratch table (COPY): the floor an import can be held to. */
function ogrBaseline(dir: string, connection: { host?: string; port?: number; user?: string; password?: string }) {
  const files = readdirSync(dir).filter((f) => f !== 'county.json');
  const pg = `PG:host=${connection.host} port=${connection.port} dbname=gridlink user=${connection.user}`;
  const env = { ...process.env, PGPASSWORD: String(connection.password ?? '') };
  return files.reduce(
    (chain, file) =>
      chain.then(
        () =>
          new Promise<void>((resolve, reject) => {
            const table = `bench_scratch_${path.basename(file, path.extname(file))}`;
            const args = ['-f', 'PostgreSQL', pg, path.join(dir, file), '-nln', table, '-overwrite'];
            const csv = file.endsWith('.csv') ? ['-oo', 'X_POSSIBLE_NAMES=经度', '-oo', 'Y_POSSIBLE_NAMES=纬度'] : [];
            const child = spawn('ogr2ogr', [...args, ...csv], { env, stdio: ['ignore', 'ignore', 'pipe'] });
            let stderr = '';
            child.stderr.on('data', (c: Buffer) => (stderr += c));
            child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ogr2ogr ${file}: ${stderr}`))));
          }),
      ),
    Promise.resolve(),
  );
}

/** With --profile, every statement slower than half a second is printed with its time as it ends. */
function profileQueries(): void {
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const t0 = Date.now();
    const result = query.apply(this, args);
    const sql = String(typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string })?.text);
    if (result instanceof Promise)
      void result
        .finally(() => {
          const ms = Date.now() - t0;
          if (ms > 500) console.error(`    [${ms} ms] ${sql.replace(/\s+/g, ' ').slice(0, 160)}`);
        })
        .catch(() => undefined);
    return result;
  } as never;
}
if (values.profile) profileQueries();

const work = mkdtempSync(path.join(os.tmpdir(), 'gridlink-bench-import-'));
// The database's own user (postgres, when this runs as root) must be able to enter its DATA_DIR.
chmodSync(work, 0o755);
const pkg = path.join(work, 'package');
const dataDir = path.join(work, 'data');
const watcher = watchChildren();
try {
  log(`writing ${compounds} compounds and ${buildings} buildings (${format}) into ${pkg} …`);
  const t0 = Date.now();
  mkdirSync(pkg);
  const size = await writePackage(pkg, compounds, buildings, format);
  const bytes = readdirSync(pkg).reduce((n, f) => n + statSync(path.join(pkg, f)).size, 0);
  log(
    `package written in ${seconds(Date.now() - t0)}: ${(bytes / 1024 / 1024).toFixed(1)} MB, ${size.households} households`,
  );

  const cluster = await startCluster(dataDir, log);
  // Interrupted, the private database is stopped and the temporary folder removed all the same.
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      log(`${signal}: stopping the temporary database …`);
      void cluster.stop().finally(() => {
        rmSync(work, { recursive: true, force: true });
        process.exit(130);
      });
    });
  const pool = createPool({ ...cluster.connection, max: 1 });
  try {
    await migrate(pool);
    watcher.reset();
    const b0 = Date.now();
    await ogrBaseline(pkg, cluster.connection as never);
    const baselineMs = Date.now() - b0;
    const gdalBaseline = watcher.peak();
    watcher.reset();
    log(`baseline: plain ogr2ogr of the same files into scratch tables ${seconds(baselineMs)}`);

    const steps: [string, number][] = [];
    const progress = (line: string) => {
      console.error(line);
      const m = /^\s*([^:]+):.*\((\d+) ms\)$/.exec(line);
      if (m) steps.push([m[1], Number(m[2])]);
    };
    const i0 = Date.now();
    const { report, imported } = await importPackage(pool, pkg, { actor: 'bench', progress });
    const importMs = Date.now() - i0;
    const { rows } = await pool.query<{ pid: number }>('select pg_backend_pid() pid');
    const backendPeak = peakOf(rows[0].pid);
    if (!imported) throw new Error(`the package did not import: ${JSON.stringify(report.problems.slice(0, 5))}`);
    const all = size.compounds + size.buildings;
    console.log(
      `bench:import, ${new Date().toISOString()}, load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' / ')}, ` + `${os.cpus().length} cores`,
    );
    console.log(
      `package: ${size.compounds} compounds, ${size.buildings} buildings (${format}, ${(bytes / 1024 / 1024).toFixed(1)} MB), ` +
        `${size.households} households, bounds 300–500`,
    );
    console.log('\n| step | ms |\n|---|---|');
    for (const [name, ms] of steps) console.log(`| ${name} | ${ms} |`);
    console.log('(staged is part of checked, grid plan part of grids)');
    console.log(`\nimport total ${seconds(importMs)} (target < 120 s): ${Math.round(all / (importMs / 1000))} rows/s`);
    console.log(`written: ${JSON.stringify(imported.rows)}`);
    console.log(
      `baseline (plain ogr2ogr into scratch tables) ${seconds(baselineMs)}: ${Math.round(all / (baselineMs / 1000))} rows/s; ` +
        `import / baseline ${(importMs / baselineMs).toFixed(1)}×`,
    );
    console.log(
      `peak RSS: this process ${mb(process.resourceUsage().maxRSS)}, GDAL processes ${mb(watcher.peak())} ` +
        `(baseline's ogr2ogr ${mb(gdalBaseline)}), database backend ${mb(backendPeak)}`,
    );
  } finally {
    await pool.end();
    await cluster.stop();
  }
} finally {
  watcher.stop();
  rmSync(work, { recursive: true, force: true });
}
