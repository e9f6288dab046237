import { Router } from 'express';
import { z } from 'zod';
import { HttpError } from '../http-error.ts';
import type { Pool } from '../db/pool.ts';
import { LAYERS, findLayer, type LayerDef } from '../db/layers.ts';
import { queryDataVersion, queryTile } from '../db/tiles-repo.ts';
import { queryExtent } from '../db/features-repo.ts';
import { originOf } from './request-url.ts';

export const TILE_MAXZOOM = 16;
const MAX_Z = 24;
const MVT = 'application/vnd.mapbox-vector-tile';

const tileParams = z
  .object({
    layer: z.string(),
    z: z.string().regex(/^\d{1,2}$/, 'z must be an integer').transform(Number),
    x: z.string().regex(/^\d{1,8}$/, 'x must be an integer').transform(Number),
    y: z.string().regex(/^\d{1,8}$/, 'y must be an integer').transform(Number),
  })
  .refine((t) => t.z <= MAX_Z, { message: `z must be 0–${MAX_Z}` })
  .refine((t) => t.x < 2 ** t.z && t.y < 2 ** t.z, { message: 'x and y must be below 2^z' });

function tileLayer(id: string): LayerDef {
  const layer = findLayer(id);
  if (!layer) throw new HttpError(404, `no tile layer "${id}"; layers: ${LAYERS.map((l) => l.id).join(', ')}`);
  return layer;
}

export function tileRoutes(pool: Pool, countyCode: string): Router {
  const router = Router();

  router.get('/tiles/:layer.json', async (req, res) => {
    const layer = tileLayer(req.params.layer);
    const [version, bbox] = await Promise.all([queryDataVersion(pool, countyCode), queryExtent(pool, layer, countyCode)]);
    const bounds = bbox ?? [-180, -85.05, 180, 85.05];
    res.set('Cache-Control', 'no-cache').json({
      tilejson: '3.0.0',
      name: layer.id,
      description: layer.title.en,
      scheme: 'xyz',
      // The data version in the URL: a publish changes it, so no cache serves a stale tile.
      tiles: [`${originOf(req)}/tiles/${layer.id}/{z}/{x}/{y}.mvt?v=${version}`],
      minzoom: 0,
      maxzoom: TILE_MAXZOOM,
      bounds,
      center: [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, 14],
      vector_layers: [
        {
          id: layer.id,
          minzoom: layer.minzoom,
          maxzoom: TILE_MAXZOOM,
          fields: Object.fromEntries(Object.entries(layer.properties).map(([k, p]) => [k, p.type === 'string' ? 'String' : p.type === 'boolean' ? 'Boolean' : 'Number'])),
        },
      ],
    });
  });

  router.get('/tiles/:layer/:z/:x/:y.mvt', async (req, res) => {
    const parsed = tileParams.safeParse(req.params);
    if (!parsed.success) throw new HttpError(400, `bad tile address: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
    const { z: zoom, x, y } = parsed.data;
    const layer = tileLayer(parsed.data.layer);
    const version = await queryDataVersion(pool, countyCode);
    const etag = `"${layer.id}-${version}-${zoom}-${x}-${y}"`;
    res.set({ ETag: etag, 'Cache-Control': 'public, max-age=60' });
    if (req.get('if-none-match') === etag) {
      res.status(304).end();
      return;
    }
    const tile = await queryTile(pool, layer, countyCode, zoom, x, y);
    res.type(MVT).send(tile);
  });

  return router;
}
