// Service stations from the OGC API – Features endpoint, as GeoJSON points.
import { StationFeature as StationSchema } from '../../shared/api/stations';
import { ApiError, getJson, isRecord } from './http';
import type { StationCollection, StationFeature } from './types';

export const STATIONS_URL = '/ogc/collections/stations/items?limit=10000';

function toStation(value: unknown): StationFeature | null {
  const parsed = StationSchema.safeParse(value);
  if (!parsed.success) return null;
  const { geometry, properties } = parsed.data;
  const id = properties.id ?? (parsed.data.id === undefined ? undefined : String(parsed.data.id));
  if (id === undefined) return null;
  const [lng, lat] = geometry.coordinates;
  return {
    type: 'Feature',
    id,
    geometry: { type: 'Point', coordinates: [lng, lat] },
    properties: {
      id,
      name: properties.name ?? id,
      name_en: properties.name_en ?? '',
      kind: properties.kind,
      community_id: properties.community_id ?? null,
      grid_id: properties.grid_id ?? null,
      facilities: properties.facilities,
    },
  };
}

/** All stations; features that do not match the contract are dropped (and counted in the console). */
export async function fetchStations(signal?: AbortSignal): Promise<StationCollection> {
  const body = await getJson(STATIONS_URL, signal);
  if (!isRecord(body) || body.type !== 'FeatureCollection' || !Array.isArray(body.features)) {
    throw new ApiError('invalid', STATIONS_URL, `GET ${STATIONS_URL}: not a GeoJSON FeatureCollection`);
  }
  const features = body.features.map(toStation).filter((feature): feature is StationFeature => feature !== null);
  const dropped = body.features.length - features.length;
  if (dropped > 0) console.warn(`fetchStations: dropped ${dropped} features that are not valid stations`);
  return { type: 'FeatureCollection', features };
}
