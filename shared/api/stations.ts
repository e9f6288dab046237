// A service station as the stations collection (/ogc/collections/stations/items) serves it: a public place,
// its kind and what it offers. No person.
import { z } from 'zod';
import { STATION_FACILITIES, STATION_KINDS, type StationFacility } from '../map/kinds.ts';

const isFacility = (v: string): v is StationFacility => (STATION_FACILITIES as readonly string[]).includes(v);

/** The comma-separated facilities of the layer as a list; names this version does not know are left out. */
export const StationFacilities = z
  .string()
  .max(1000)
  .nullish()
  .transform((s) => (s ?? '').split(',').filter(isFacility));

export const StationProperties = z.object({
  id: z.union([z.string(), z.number()]).transform(String).optional(),
  name: z.string().max(200).nullish(),
  name_en: z.string().max(200).nullish(),
  kind: z.enum(STATION_KINDS),
  community_id: z.string().nullish(),
  grid_id: z.string().nullish(),
  facilities: StationFacilities,
});

export const StationFeature = z.object({
  id: z.union([z.string(), z.number()]).optional(),
  geometry: z.object({ type: z.literal('Point'), coordinates: z.tuple([z.number(), z.number()]).rest(z.number()) }),
  properties: StationProperties,
});
