import { Router } from 'express';
import { noQuery } from '../http-error.ts';
import { buildStyle } from '../style/gridlink-style.ts';
import { originOf } from './request-url.ts';

export function styleRoutes(): Router {
  const router = Router();
  router.get('/styles/gridlink.json', noQuery, (req, res) => {
    res.set('Cache-Control', 'no-cache').json(buildStyle(originOf(req)));
  });
  return router;
}
