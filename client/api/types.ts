// Shapes of what the server sends, as the client uses them.
import type { Feature, FeatureCollection, Point } from 'geojson';
import type { StationFacility, StationKind } from '../../shared/map/kinds';

export interface StationProperties {
  id: string;
  name: string;
  name_en: string;
  kind: StationKind;
  community_id?: string | null;
  grid_id?: string | null;
  /** What the post offers (empty when the county's data says nothing). */
  facilities: StationFacility[];
}
export type StationFeature = Feature<Point, StationProperties>;
export type StationCollection = FeatureCollection<Point, StationProperties>;
