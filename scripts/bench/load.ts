// npm run bench:load [-- --duration 60 --connections 64 --workers 1 --streams 16] — a mixed read load on a
// gridlink server of its own (a child process, `npm start` with --workers N, on .data/tools unless DATA_DIR or
// DATABASE_URL is set) driven by autocannon over loopback: tiles of every layer z12–z16, the wall figures, OGC
// items, area cards, with wall stream clients held open throughout. Baseline in the same run: the same tile
// set's SQL run directly on the database, one query at a time and 8 at a time (the server's pool size).
import { spawn } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';
import { loadConfig, repoRoot } from '../../server/config.ts';
import { createPool } from '../../server/postgres/pool.ts';
import { LAYERS } from '../../server/db/layers.ts';
import { servedTileQuery } from '../../server/db/tiles-repo.ts';
import { embeddedConnection } from '../../server/postgres/cluster.ts';
import { benchTiles, percentile } from './tile-set.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
};
const DURATION = arg('duration', 60);
const CONNECTIONS = arg('connections', 64);
const WORKERS = arg('workers', 1);
const STREAMS = arg('streams', 16);
const say = (line: string) => console.error(`[load] ${line}`);

const config = loadConfig();
const dataDir = process.env.DATA_DIR ? config.dataDir : path.join(repoRoot, '.data', 'tools');
const port = 20000 + Math.floor(Math.random() * 20000);
const base = `http://127.0.0.1:${port}`;
say(
  `starting gridlink (${WORKERS} process${WORKERS > 1 ? 'es' : ''}) on ${config.databaseUrl ? 'DATABASE_URL' : dataDir} …`,
);
const server = spawn(path.join(repoRoot, 'node_modules/.bin/tsx'), ['server/main.ts', '--workers', String(WORKERS)], {
  cwd: repoRoot,
  env: { ...process.env, DATA_DIR: dataDir, PORT: String(port) },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let serverLog = '';
server.stdout.on('data', (d) => (serverLog += d));
server.stderr.on('data', (d) => (serverLog += d));
const ready = new Promise<void>((resolve, reject) => {
  const timer = setInterval(() => {
    if (serverLog.includes('Ready:')) {
      clearInterval(timer);
      resolve();
    } else if (server.exitCode !== null) {
      clearInterval(timer);
      reject(new Error(`the server exited:\n${serverLog}`));
    }
  }, 100);
});

const streams: AbortController[] = [];
try {
  await ready;
  const pool = createPool({
    ...(config.databaseUrl ? { connectionString: config.databaseUrl } : embeddedConnection(dataDir).connection),
    max: 8,
  });
  const { tiles, layers } = await benchTiles(pool, config.countyCode);
  const tilePaths = layers.flatMap((layer) => tiles.map(([z, x, y]) => `/tiles/${layer}/${z}/${x}/${y}.mvt`));

  // Baseline: the tile set's SQL straight on the database.
  const runSql = async (layerId: string, [z, x, y]: [number, number, number]) => {
    const layer = LAYERS.find((l) => l.id === layerId)!;
    const query = servedTileQuery(layer, config.countyCode, z, x, y);
    if (query) await pool.query(query.sql, query.args);
  };
  const jobs = layers.flatMap((l) => tiles.map((t) => [l, t] as const));
  for (const [l, t] of jobs) await runSql(l, t); // warm PostgreSQL's buffers
  const sqlMs: number[] = [];
  let t0 = performance.now();
  for (const [l, t] of jobs) {
    const t1 = performance.now();
    await runSql(l, t);
    sqlMs.push(performance.now() - t1);
  }
  const sequentialS = (performance.now() - t0) / 1000;
  sqlMs.sort((a, b) => a - b);
  t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < jobs.length) await runSql(...jobs[next++]);
    }),
  );
  const parallelS = (performance.now() - t0) / 1000;

  // Wall stream clients, held open during the load.
  let streamBytes = 0;
  for (let i = 0; i < STREAMS; i++) {
    const abort = new AbortController();
    streams.push(abort);
    const res = await fetch(`${base}/api/stream`, { signal: abort.signal });
    if (res.status !== 200) throw new Error(`stream client ${i}: ${res.status}`);
    void (async () => {
      const reader = res.body!.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          streamBytes += value.length;
        }
      } catch {
        // aborted at the end
      }
    })();
  }

  const mix = [
    ...tilePaths,
    ...Array(20).fill('/api/wall/figures'),
    ...['grids', 'compounds', 'buildings', 'stations', 'communities'].flatMap((c) =>
      Array(10).fill(`/ogc/collections/${c}/items?limit=100`),
    ),
    ...Array(20).fill('/api/areas/county'),
  ];
  // Shuffled once (fixed seed), so every connection walks the same mixed sequence from its own start.
  let seed = 42;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = mix.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [mix[i], mix[j]] = [mix[j], mix[i]];
  }
  say(
    `${mix.length} addresses (${tilePaths.length} tiles, wall figures, OGC items, area cards), ` +
      `${CONNECTIONS} connections, ${STREAMS} stream clients, ${DURATION} s …`,
  );
  // Failed answers by status and address (tiles by layer), to say what broke.
  const failures = new Map<string, number>();
  const result = await autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: DURATION,
    requests: mix.map((p) => ({
      method: 'GET',
      path: p,
      onResponse: (status: number) => {
        const key = `${status} ${p.replace(/\/\d+\/\d+\/\d+\.mvt$/, '/…')}`;
        if (status >= 300) failures.set(key, (failures.get(key) ?? 0) + 1);
      },
    })),
  });
  const alive = streams.length;
  const health = await (await fetch(`${base}/api/health`)).json();
  const errors = result.errors + result.timeouts + result.non2xx;
  const f = (n: number) => n.toFixed(2).padStart(7);
  console.log(
    `load: ${result.requests.total} requests in ${result.duration} s, ${CONNECTIONS} connections, ` +
      `${WORKERS} server process${WORKERS > 1 ? 'es' : ''}, ${STREAMS} stream clients (${streamBytes} bytes received)`,
  );
  console.log(
    `HTTP mixed load       p50 ${f(result.latency.p50)} ms   p99 ${f(result.latency.p99)} ms   ` +
      `${result.requests.average.toFixed(0)} req/s   ${(result.throughput.average / 1024 / 1024).toFixed(1)} MB/s`,
  );
  console.log(
    `tile SQL, one by one  p50 ${f(percentile(sqlMs, 50))} ms   p99 ${f(percentile(sqlMs, 99))} ms   ${(jobs.length / sequentialS).toFixed(0)} tiles/s`,
  );
  console.log(
    `tile SQL, 8 at a time                                   ${(jobs.length / parallelS).toFixed(0)} tiles/s   (${jobs.length} tiles)`,
  );
  for (const [what, n] of [...failures].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(`  ${n} × ${what}`);
  console.log(
    `errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx}; ` +
      `health ${health.status}: ${errors === 0 && health.status === 'ok' ? 'PASS' : 'FAIL'}`,
  );
  await pool.end();
  process.exitCode = errors === 0 && alive === STREAMS ? 0 : 1;
} catch (e) {
  console.error(`[load] failed: ${(e as Error).message}`);
  process.exitCode = 1;
} finally {
  for (const s of streams) s.abort();
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
}
