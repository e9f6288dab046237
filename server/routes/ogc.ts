import { Router, type Request, type Response } from 'express';
import { HttpError } from '../http-error.ts';
import type { Pool } from '../postgres/pool.ts';
import { LAYERS, findLayer, type LayerDef } from '../db/layers.ts';
import { queryExtent, queryItem, queryItems } from '../db/features-repo.ts';
import { checkOnlyFormat, parseItemsQuery } from './ogc-params.ts';
import { originOf } from './request-url.ts';
import { openApiDocument } from './ogc-openapi.ts';
import { eventsLayer, exactEventScope } from '../db/events-layer.ts';
import type { Auth } from '../auth/gate.ts';
import type { Principal } from '../../shared/roles.ts';

const GEOJSON = 'application/geo+json';
const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';

export const CONFORMANCE = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
];

/** `events` is per caller (exact points for the handlers of the area): listed with its public form. */
const ogcLayers = [...LAYERS.filter((l) => l.ogc), eventsLayer(null)];

function collectionLayer(id: string, principal?: Principal): LayerDef {
  if (id === 'events') return eventsLayer(principal ? exactEventScope(principal) : null);
  const layer = findLayer(id);
  if (!layer || !layer.ogc)
    throw new HttpError(404, `no collection "${id}"; collections: ${ogcLayers.map((l) => l.id).join(', ')}`);
  return layer;
}

async function collectionJson(pool: Pool, countyCode: string, base: string, layer: LayerDef) {
  const bbox = await queryExtent(pool, layer, countyCode);
  const url = `${base}/ogc/collections/${layer.id}`;
  return {
    id: layer.id,
    title: layer.title.zh,
    description: `${layer.title.en}: ${layer.description}`,
    itemType: 'feature',
    crs: [CRS84],
    extent: bbox ? { spatial: { bbox: [bbox], crs: CRS84 } } : undefined,
    links: [
      { href: url, rel: 'self', type: 'application/json', title: layer.title.en },
      { href: `${url}/items`, rel: 'items', type: GEOJSON, title: `${layer.title.en} items` },
    ],
  };
}

/** Link to the same items request with another offset. */
function pageHref(req: Request, base: string, offset: number): string {
  const url = new URL(req.originalUrl, base);
  url.searchParams.set('offset', String(offset));
  return url.toString();
}

export function ogcRoutes(pool: Pool, countyCode: string, auth: Auth): Router {
  const router = Router();

  router.get('/ogc', (req, res) => {
    checkOnlyFormat(req.query);
    const base = originOf(req);
    res.json({
      title: 'gridlink 网格连心 — OGC API Features',
      description:
        'Grid-based community governance: streets, communities, grids, compounds, buildings, stations, events (public fields only, no persons)',
      links: [
        { href: `${base}/ogc`, rel: 'self', type: 'application/json', title: 'this document' },
        {
          href: `${base}/ogc/api`,
          rel: 'service-desc',
          type: 'application/vnd.oai.openapi+json;version=3.0',
          title: 'the API definition',
        },
        { href: `${base}/ogc/conformance`, rel: 'conformance', type: 'application/json', title: 'conformance classes' },
        { href: `${base}/ogc/collections`, rel: 'data', type: 'application/json', title: 'collections' },
      ],
    });
  });

  router.get('/ogc/api', (req, res) => {
    checkOnlyFormat(req.query);
    res
      .type('application/vnd.oai.openapi+json;version=3.0')
      .send(JSON.stringify(openApiDocument(originOf(req), ogcLayers)));
  });

  router.get('/ogc/conformance', (req, res) => {
    checkOnlyFormat(req.query);
    res.json({ conformsTo: CONFORMANCE });
  });

  router.get('/ogc/collections', async (req, res) => {
    checkOnlyFormat(req.query);
    const base = originOf(req);
    const collections = await Promise.all(ogcLayers.map((l) => collectionJson(pool, countyCode, base, l)));
    res.json({
      links: [{ href: `${base}/ogc/collections`, rel: 'self', type: 'application/json', title: 'collections' }],
      collections,
    });
  });

  router.get('/ogc/collections/:id', async (req, res) => {
    checkOnlyFormat(req.query);
    const layer = collectionLayer(req.params.id);
    res.json(await collectionJson(pool, countyCode, originOf(req), layer));
  });

  router.get('/ogc/collections/:id/items', async (req: Request<{ id: string }>, res: Response) => {
    const layer = collectionLayer(req.params.id, await auth.principalOf(req));
    const q = parseItemsQuery(layer, req.query as Record<string, unknown>);
    const page = await queryItems(pool, layer, countyCode, q);
    const base = originOf(req);
    const links = [
      { href: pageHref(req, base, q.offset), rel: 'self', type: GEOJSON, title: 'this page' },
      {
        href: `${base}/ogc/collections/${layer.id}`,
        rel: 'collection',
        type: 'application/json',
        title: layer.title.en,
      },
    ];
    if (q.offset + page.numberReturned < page.numberMatched) {
      links.push({ href: pageHref(req, base, q.offset + q.limit), rel: 'next', type: GEOJSON, title: 'next page' });
    }
    if (q.offset > 0) {
      links.push({
        href: pageHref(req, base, Math.max(0, q.offset - q.limit)),
        rel: 'prev',
        type: GEOJSON,
        title: 'previous page',
      });
    }
    const head = JSON.stringify({
      type: 'FeatureCollection',
      numberMatched: page.numberMatched,
      numberReturned: page.numberReturned,
      timeStamp: new Date().toISOString(),
      links,
    });
    // The features array comes from PostGIS as JSON text: splice it in rather than parse and re-serialise.
    res.type(GEOJSON).send(`${head.slice(0, -1)},"features":${page.featuresJson}}`);
  });

  router.get('/ogc/collections/:id/items/:fid', async (req, res) => {
    checkOnlyFormat(req.query);
    const layer = collectionLayer(req.params.id, await auth.principalOf(req));
    const feature = await queryItem(pool, layer, countyCode, req.params.fid);
    if (!feature) throw new HttpError(404, `no feature "${req.params.fid}" in collection ${layer.id}`);
    const base = originOf(req);
    const links = JSON.stringify([
      {
        href: `${base}/ogc/collections/${layer.id}/items/${encodeURIComponent(req.params.fid)}`,
        rel: 'self',
        type: GEOJSON,
      },
      { href: `${base}/ogc/collections/${layer.id}`, rel: 'collection', type: 'application/json' },
    ]);
    res.type(GEOJSON).send(`${feature.slice(0, -1)},"links":${links}}`);
  });

  return router;
}
