import { Router } from 'express';
import { noQuery } from '../http-error.ts';
import type { Pool } from '../db/pool.ts';
import { queryHealth } from '../db/health-repo.ts';
import { DATABASE_RETRY_AFTER_SECONDS } from '../db/unavailable.ts';

/** `listening`: whether this process's database listener (live stream, tile invalidation) is connected. */
export function healthRoutes(pool: Pool, listening: () => boolean | undefined = () => undefined): Router {
  const router = Router();
  router.get('/api/health', noQuery, async (_req, res) => {
    const listener = listening();
    const stream = listener === undefined ? undefined : listener ? 'listening' : 'reconnecting';
    try {
      const { postgis } = await queryHealth(pool);
      res.set('Cache-Control', 'no-store').json({ status: 'ok', db: 'ok', postgis, stream });
    } catch (e) {
      res.status(503).set({ 'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS), 'Cache-Control': 'no-store' }).json({ status: 'error', db: 'down', stream, reason: `the database cannot be reached: ${(e as Error).message}` });
    }
  });
  return router;
}
