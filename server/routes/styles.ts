import { Router } from 'express';
import { noQuery } from '../http-error.ts';
import type { Pool } from '../postgres/pool.ts';
import { queryCountyExtent } from '../db/counties-repo.ts';
import { buildStyle } from '../style/gridlink-style.ts';
import { viewOfExtent } from '../style/map-view.ts';
import { originOf } from './request-url.ts';

export function styleRoutes(pool: Pool, countyCode: string): Router {
  const router = Router();
  router.get('/styles/gridlink.json', noQuery, async (req, res) => {
    const extent = await queryCountyExtent(pool, countyCode);
    res.set('Cache-Control', 'no-cache').json(buildStyle(originOf(req), extent ? viewOfExtent(extent) : undefined));
  });
  return router;
}
