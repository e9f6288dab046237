// Service stations from the OGC API – Features endpoint, as GeoJSON points.
import { isStationKind } from '../../shared/map/kinds';
import { ApiError, getJson, isRecord } from './http';
import type { StationCollection, StationFeature } from './types';

export const STATIONS_URL = '/ogc/collections/stations/items?limit=10000';

function toStation(value: unknown): StationFeature | null {
  if (!isRecord(value) || !isRecord(value.geometry) || !isRecord(value.properties)) return null;
  const { geometry, properties } = value;
  const coordinates = geometry.coordinates;
  if (geometry.type !== 'Point' || !Array.isArray(coordinates) || coordinates.length < 2) return null;
  const [lng, lat] = coordinates;
  if (typeof lng !== 'number' || typeof lat !== 'number') return null;
  if (!isStationKind(properties.kind)) return null;
  const id = properties.id ?? value.id;
  if (typeof id !== 'string' && typeof id !== 'number') return null;
  return {
    type: 'Feature',
    id: String(id),
    geometry: { type: 'Point', coordinates: [lng, lat] },
    properties: {
      id: String(id),
      name: typeof properties.name === 'string' ? properties.name : String(id),
      name_en: typeof properties.name_en === 'string' ? properties.name_en : '',
      kind: properties.kind,
      community_id: typeof properties.community_id === 'string' ? properties.community_id : null,
      grid_id: typeof properties.grid_id === 'string' ? properties.grid_id : null,
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
