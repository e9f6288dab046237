/**
 * `npm start -- --workers N`: N server processes (node:cluster, sharing the port) on one database. The
 * primary starts the database once (the embedded cluster, migrations, demo data), then forks the workers
 * and restarts any that dies; each worker has its own pool and its own LISTEN connection, so the live
 * stream and the tile cache's invalidation reach every process.
 */
import cluster, { type Worker } from 'node:cluster';
import type { PoolConfig } from 'pg';
import type { Config } from './config.ts';
import { createPool } from './postgres/pool.ts';
import { exitAfterOutput, log, prepareDatabase, serve, stopOnSignals } from './start.ts';

const CONNECTION_ENV = 'GRIDLINK_WORKER_DB';
const MAX_WORKERS = 64;

/** `--workers N` / `--workers=N` (default 1), or an error saying what is wrong. */
export function parseWorkers(argv: string[]): number {
  return parseCountFlag(argv, 'workers', 1, MAX_WORKERS);
}

/** `--NAME N` / `--NAME=N`, a whole number min–max (`min` when absent), or an error saying what is wrong. */
export function parseCountFlag(argv: string[], name: string, min: number, max: number): number {
  const flag = `--${name}`;
  const i = argv.findIndex((a) => a === flag || a.startsWith(`${flag}=`));
  if (i < 0) return min;
  const text = argv[i].includes('=') ? argv[i].split('=')[1] : argv[i + 1];
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`${flag} must be a whole number ${min}–${max}, got "${text ?? ''}"`);
  return n;
}

export const isWorker = () => cluster.isWorker;

/** A worker: serves on the database the primary prepared, until SIGTERM/SIGINT. */
export async function runWorker(config: Config): Promise<void> {
  const connection = JSON.parse(process.env[CONNECTION_ENV] ?? '{}') as PoolConfig;
  // It holds the database password: read once, then kept from any program this worker starts.
  delete process.env[CONNECTION_ENV];
  const pool = createPool(connection);
  const serving = await serve(config, pool);
  // Ctrl-C reaches every process of the group, and the primary passes SIGTERM on too: stop once, whatever comes.
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await serving.close();
      await pool.end();
      exitAfterOutput(0);
    })());
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.send?.({ ready: serving.url });
}

/** The primary: the database once, then `count` workers; resolves when all of them listen. */
export async function runPrimary(config: Config, count: number, replicas = 0): Promise<void> {
  const db = await prepareDatabase(config, replicas);
  // The primary serves nothing; its pool stays open for the hourly housekeeping and is ended by db.stop().
  const env = {
    [CONNECTION_ENV]: JSON.stringify(db.connection),
    ...(db.replicaUrls.length ? { DATABASE_REPLICA_URLS: db.replicaUrls.join(',') } : {}),
  };
  let stopping = false;
  let url = '';

  const fork = (): Promise<Worker> =>
    new Promise((resolve, reject) => {
      const worker = cluster.fork(env);
      const onExit = (code: number | null) =>
        reject(new Error(`a worker process exited (${code}) before it was ready`));
      worker.once('exit', onExit);
      worker.on('message', (m: { ready?: string }) => {
        if (!m?.ready) return;
        url = m.ready;
        worker.off('exit', onExit);
        worker.once('exit', (code, signal) => {
          if (stopping) return;
          log(`worker ${worker.process.pid} ended (${signal ?? code}); starting another`);
          setTimeout(() => void fork().catch((e: Error) => log(`could not restart a worker: ${e.message}`)), 1000);
        });
        resolve(worker);
      });
    });

  const stopAll = async () => {
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w && !w.isDead());
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((r) => {
            const kill = setTimeout(() => w.process.kill('SIGKILL'), 10_000);
            w.once('exit', () => {
              clearTimeout(kill);
              r();
            });
            w.process.kill('SIGTERM');
          }),
      ),
    );
    await db.stop();
  };

  try {
    await Promise.all(Array.from({ length: count }, fork));
  } catch (e) {
    await stopAll();
    throw e;
  }
  log(
    `Ready: ${url}/inspect  (${count} worker processes, pids ${Object.values(cluster.workers ?? {})
      .map((w) => w?.process.pid)
      .join(', ')})`,
  );
  stopOnSignals(async (signal) => {
    log(`${signal}: stopping ${count} workers …`);
    await stopAll();
  });
}
