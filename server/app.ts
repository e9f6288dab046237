import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import helmet from 'helmet';
import type { Config } from './config.ts';
import type { Pool } from './postgres/pool.ts';
import { errorHandler, HttpError, notFound } from './http-error.ts';
import { refuseNulBody } from './nul-check.ts';
import { healthRoutes } from './routes/health.ts';
import { ogcRoutes } from './routes/ogc.ts';
import { tileRoutes } from './routes/tiles.ts';
import { inspectRoutes } from './routes/inspect.ts';
import { inspectPeopleRoutes } from './routes/inspect-people.ts';
import { issueRoutes } from './routes/issues.ts';
import { planRoutes } from './routes/plans.ts';
import { planPublishRoutes } from './routes/plan-publish.ts';
import { workforceRoutes } from './routes/workforce.ts';
import { communityServiceRoutes } from './routes/community-service.ts';
import { planFileRoutes } from './routes/plan-files.ts';
import { statsRoutes } from './routes/stats.ts';
import { countyRoutes } from './routes/county.ts';
import { styleRoutes } from './routes/styles.ts';
import { authRoutes } from './routes/auth.ts';
import { adminDisplayTokenRoutes } from './routes/admin-display-tokens.ts';
import { adminUserRoutes } from './routes/admin-users.ts';
import { adminAuditRoutes } from './routes/admin-audit.ts';
import { adminApiKeyRoutes } from './routes/admin-api-keys.ts';
import { adminCountyDataRoutes } from './routes/admin-county-data.ts';
import { open311Routes } from './routes/open311.ts';
import { open311Errors } from './open311/format.ts';
import { createAuth, originCheck } from './auth/gate.ts';
import { SPA_PATHS } from '../shared/pages.ts';
import type { AppContext, GridlinkApp } from './app-context.ts';
import { ReadPools } from './postgres/read-pools.ts';

/**
 * Content security policy: only this server, plus what MapLibre needs — its worker and images from
 * blob: URLs, inline style attributes on its controls and popups, fonts as data: URLs.
 */
const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  workerSrc: ["'self'", 'blob:'],
  childSrc: ["'self'", 'blob:'],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  // Served over plain http on a LAN too: do not ask browsers to rewrite to https.
  upgradeInsecureRequests: null,
};

/** Assembles the HTTP application and its context; no listening, no database start-up here. */
export async function createApp(config: Config, pool: Pool): Promise<GridlinkApp> {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('trust proxy', config.auth.trustProxy);
  const auth = createAuth(pool, config.countyCode, config.auth, (p) => SPA_PATHS.includes(p));
  // Tiles first, past the fewest handlers: they are most of the requests, read-only, binary (no CSP to
  // carry), and their addresses are validated digit by digit.
  app.use('/tiles', auth.publicRead);
  // Tiles, OGC items and wall figures read from a healthy replica of DATABASE_REPLICA_URLS when there is one.
  const reads = new ReadPools(pool, config.replicas, (line) => console.log(`[gridlink] ${line}`));
  const tiles = tileRoutes(pool, config.countyCode, config.tileCacheBytes, config.auth.requireLogin, reads);
  app.use(tiles.router);
  // Vite's dev server injects inline scripts: the policy applies to the built client only.
  app.use(
    helmet({
      contentSecurityPolicy: config.mode === 'development' ? false : { useDefaults: false, directives: CSP_DIRECTIVES },
    }),
  );
  // PostgreSQL text cannot hold NUL: refuse it at the door rather than fail in a query.
  app.use((req, _res, next) =>
    next(/%00/.test(req.originalUrl) ? new HttpError(400, 'the request contains a NUL character (%00)') : undefined),
  );
  app.use(originCheck);
  app.use(auth.displayTokenExchange);
  app.use(express.json({ limit: '100kb' }));
  app.use(refuseNulBody);
  app.use(['/ogc', '/styles', '/api'], auth.publicRead);
  // The wall display's figures and live stream (server/stream), mounted below; the context's close() ends them.
  const wall = (await import('./routes/wall.ts')).wallRoutes(pool, config, auth, reads);
  tiles.follow(wall.hub);
  app.use(
    healthRoutes(
      pool,
      () => wall.hub.listening,
      () => reads.health(),
    ),
  );
  app.use(ogcRoutes(reads.pool, config.countyCode, auth));
  app.use(inspectRoutes(pool, config.countyCode, auth));
  app.use(inspectPeopleRoutes(pool, config.countyCode, auth));
  app.use(styleRoutes(pool, config.countyCode));
  app.use(authRoutes(pool, config.countyCode, config.auth, auth));
  app.use(adminDisplayTokenRoutes(pool, config.countyCode, auth));
  app.use(adminUserRoutes(pool, config.countyCode, auth));
  app.use(adminAuditRoutes(pool, config.countyCode, auth));
  app.use(adminCountyDataRoutes(pool, config, auth));
  app.use(issueRoutes(pool, config, auth));
  // Open311 GeoReport v2: its own error format for everything under /open311 (malformed bodies included).
  app.use(open311Routes(pool, config, auth));
  app.use('/open311', notFound);
  app.use('/open311', open311Errors);
  app.use(adminApiKeyRoutes(pool, config.countyCode, auth));
  app.use(communityServiceRoutes(pool, config, auth));
  app.use(workforceRoutes(pool, config, auth));
  app.use(countyRoutes(pool, config.countyCode));
  app.use(statsRoutes(pool, config.countyCode, auth));
  app.use(planRoutes(pool, config.countyCode, auth));
  app.use(
    planPublishRoutes(pool, config.countyCode, auth, {
      publishPauseMs: config.publishPauseMs,
      onPublished: (v) => tiles.versions.notified(v),
    }),
  );
  app.use(planFileRoutes(pool, config.countyCode, auth));
  app.use(wall.router);
  app.use('/api', notFound);
  app.use(['/ogc', '/tiles', '/styles'], notFound);

  if (config.mode === 'development') {
    const { createServer } = await import('vite');
    const vite = await createServer({ server: { middlewareMode: true }, appType: 'spa' });
    app.use(vite.middlewares);
  } else {
    const index = path.join(config.clientDir, 'index.html');
    app.use(express.static(config.clientDir, { index: false, maxAge: '1h' }));
    app.get(SPA_PATHS, (_req, res) => {
      if (!fs.existsSync(index)) {
        res
          .status(503)
          .type('text/plain')
          .send('The client is not built yet: run `npm run build` (npm start does it for you).');
        return;
      }
      res.set('Cache-Control', 'no-cache').sendFile(index);
    });
  }
  app.use(notFound);
  app.use(errorHandler);
  const context: AppContext = {
    tileCache: tiles.cache,
    streamHub: wall.hub,
    reads,
    close: async () => {
      await wall.hub.close();
      await reads.close();
    },
  };
  return Object.assign(app, { context });
}
