// The county whose data this server holds (GET /api/county): name, grid bounds and the synthetic flag, as its data
// set's manifest gave them. Read like the public map layers (REQUIRE_LOGIN: logged-in callers and wall displays).
import { Router } from 'express';
import type { Pool } from '../postgres/pool.ts';
import { HttpError, noQuery } from '../http-error.ts';
import { queryCounty } from '../db/counties-repo.ts';
import type { CountyAnswer } from '../../shared/api/county.ts';

export function countyRoutes(pool: Pool, countyCode: string): Router {
  const router = Router();
  router.get('/api/county', noQuery, async (_req, res) => {
    const county: CountyAnswer | null = await queryCounty(pool, countyCode);
    if (!county) throw new HttpError(404, `no data set of county ${countyCode} is loaded`);
    // A reload of the data set may change it: asked again on each page load, never cached.
    res.set('Cache-Control', 'no-store').json(county);
  });
  return router;
}
