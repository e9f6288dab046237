import { Router } from 'express';
import type { Pool } from '../db/pool.ts';
import { queryHealth } from '../db/health-repo.ts';

export function healthRoutes(pool: Pool): Router {
  const router = Router();
  router.get('/api/health', async (_req, res) => {
    try {
      const { postgis } = await queryHealth(pool);
      res.json({ status: 'ok', db: 'ok', postgis });
    } catch (e) {
      res.status(503).json({ status: 'error', db: 'down', reason: (e as Error).message });
    }
  });
  return router;
}
