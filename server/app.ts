import fs from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';
import type { Config } from './config.ts';
import type { Pool } from './db/pool.ts';
import { errorHandler, HttpError, notFound } from './http-error.ts';
import { healthRoutes } from './routes/health.ts';
import { ogcRoutes } from './routes/ogc.ts';
import { tileRoutes } from './routes/tiles.ts';
import { styleRoutes } from './routes/styles.ts';

/** Client routes answered with the single-page app. */
export const PAGES = ['/', '/wall', '/inspect', '/plan', '/report'];

/** Assembles the HTTP application; no listening, no database start-up here. */
export async function createApp(config: Config, pool: Pool): Promise<Express> {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // PostgreSQL text cannot hold NUL: refuse it at the door rather than fail in a query.
  app.use((req, _res, next) => next(/%00/.test(req.originalUrl) ? new HttpError(400, 'the request contains a NUL character (%00)') : undefined));
  // Tiles first: the most frequent requests pass the fewest routes.
  app.use(tileRoutes(pool, config.countyCode));
  app.use(healthRoutes(pool));
  app.use(ogcRoutes(pool, config.countyCode));
  app.use(styleRoutes());
  app.use('/api', notFound);
  app.use(['/ogc', '/tiles', '/styles'], notFound);

  if (config.mode === 'development') {
    const { createServer } = await import('vite');
    const vite = await createServer({ server: { middlewareMode: true }, appType: 'spa' });
    app.use(vite.middlewares);
  } else {
    const index = path.join(config.clientDir, 'index.html');
    app.use(express.static(config.clientDir, { index: false, maxAge: '1h' }));
    app.get(PAGES, (_req, res) => {
      if (!fs.existsSync(index)) {
        res.status(503).type('text/plain').send('The client is not built yet: run `npm run build` (npm start does it for you).');
        return;
      }
      res.set('Cache-Control', 'no-cache').sendFile(index);
    });
  }
  app.use(notFound);
  app.use(errorHandler);
  return app;
}
