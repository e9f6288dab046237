// The map style, built by the server (server/style/gridlink-style.ts).
import type { StyleSpecification } from '@maplibre/maplibre-gl-style-spec';
import { ApiError, getJson, isRecord } from './http';

export const STYLE_URL = '/styles/gridlink.json';

export async function fetchStyle(signal?: AbortSignal): Promise<StyleSpecification> {
  const body = await getJson(STYLE_URL, signal);
  if (!isRecord(body) || body.version !== 8 || !Array.isArray(body.layers) || !isRecord(body.sources)) {
    throw new ApiError(
      'invalid',
      STYLE_URL,
      `GET ${STYLE_URL}: not a MapLibre style (version 8 with sources and layers)`,
    );
  }
  return body as unknown as StyleSpecification;
}
