import type { LayerDef } from '../db/layers.ts';
import { LIMIT_DEFAULT, LIMIT_MAX } from './ogc-params.ts';

/** A compact OpenAPI 3.0 description of the OGC API Features endpoints. */
export function openApiDocument(base: string, layers: readonly LayerDef[]) {
  const json = { 'application/json': {} };
  const geojson = { 'application/geo+json': {} };
  const paths: Record<string, unknown> = {
    '/': { get: { summary: 'landing page', responses: { 200: { description: 'links', content: json } } } },
    '/conformance': {
      get: { summary: 'conformance classes', responses: { 200: { description: 'classes', content: json } } },
    },
    '/collections': {
      get: { summary: 'collections', responses: { 200: { description: 'collections', content: json } } },
    },
  };
  for (const layer of layers) {
    const props = Object.entries(layer.properties).map(([name, p]) => ({
      name,
      in: 'query',
      required: false,
      schema: { type: p.type },
    }));
    paths[`/collections/${layer.id}`] = {
      get: { summary: layer.title.en, responses: { 200: { description: 'collection', content: json } } },
    };
    paths[`/collections/${layer.id}/items`] = {
      get: {
        summary: `${layer.title.en} items`,
        parameters: [
          {
            name: 'bbox',
            in: 'query',
            schema: { type: 'array', items: { type: 'number' }, minItems: 4, maxItems: 4 },
            style: 'form',
            explode: false,
          },
          {
            name: 'limit',
            in: 'query',
            schema: { type: 'integer', minimum: 1, maximum: LIMIT_MAX, default: LIMIT_DEFAULT },
          },
          { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 } },
          ...(layer.temporal ? [{ name: 'datetime', in: 'query', schema: { type: 'string' } }] : []),
          ...props,
        ],
        responses: {
          200: { description: 'features', content: geojson },
          400: { description: 'bad parameter', content: json },
        },
      },
    };
    paths[`/collections/${layer.id}/items/{featureId}`] = {
      get: {
        summary: `one ${layer.title.en} item`,
        parameters: [{ name: 'featureId', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          200: { description: 'feature', content: geojson },
          404: { description: 'no such feature', content: json },
        },
      },
    };
  }
  return {
    openapi: '3.0.3',
    info: { title: 'gridlink OGC API – Features', version: '1.0.0' },
    servers: [{ url: `${base}/ogc` }],
    paths,
  };
}
