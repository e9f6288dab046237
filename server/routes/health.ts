import { Router } from 'express';
import { noQuery } from '../http-error.ts';
import type { Pool } from '../postgres/pool.ts';
import { queryHealth } from '../db/health-repo.ts';
import { DATABASE_RETRY_AFTER_SECONDS, logUnavailable } from '../db/unavailable.ts';
import type { Health, ReplicasHealth } from '../../shared/api/health.ts';
import type { ReplicaHealth } from '../postgres/read-pools.ts';

/**
 * Anyone may call it (REQUIRE_LOGIN too): no file-system path in the answer (data directory, socket, uploads).
 * `listening`: whether this process's database listener (live stream, tile invalidation) is connected;
 * `replicas`: the read replicas' state, by index only (their URIs hold credentials).
 */
export function healthRoutes(
  pool: Pool,
  listening: () => boolean | undefined = () => undefined,
  replicas: () => ReplicaHealth[] = () => [],
): Router {
  const router = Router();
  router.get('/api/health', noQuery, async (_req, res) => {
    const listener = listening();
    const stream = listener === undefined ? undefined : listener ? 'listening' : 'reconnecting';
    try {
      const { postgis } = await queryHealth(pool);
      const each = replicas();
      const replicaState: ReplicasHealth = { count: each.length, healthy: each.filter((r) => r.healthy).length, each };
      res
        .set('Cache-Control', 'no-store')
        .json({ status: 'ok', db: 'ok', postgis, stream, replicas: replicaState } satisfies Health);
    } catch (e) {
      // The driver's message names the socket directory or host: it goes to the server log, the probe gets the code only.
      logUnavailable((e as Error).message);
      const code = (e as { code?: unknown }).code;
      const why = typeof code === 'string' && /^[A-Z0-9_]{1,16}$/.test(code) ? ` (${code})` : '';
      res
        .status(503)
        .set({ 'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS), 'Cache-Control': 'no-store' })
        .json({ status: 'error', db: 'down', stream, reason: `the database cannot be reached${why}` } satisfies Health);
    }
  });
  return router;
}
