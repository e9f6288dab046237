// Which area a click on the map selects: the one below the current selection under the pointer (drilling
// down), or, outside the current selection, the area of the same level that was clicked.
import type { MapGeoJSONFeature } from 'maplibre-gl';
import type { AreaLevel } from '../api/inspect-types';
import { LAYER_IDS } from '../../shared/map/style-ids';

export interface AreaTarget {
  level: AreaLevel;
  id: string;
}

const ORDER: AreaLevel[] = ['county', 'street', 'community', 'grid', 'compound', 'building'];

/** Layers to query under the pointer for drilling. */
export const DRILL_LAYERS = [LAYER_IDS.buildingsFill, LAYER_IDS.compoundsFill, LAYER_IDS.gridsFill] as const;

function idOf(features: readonly MapGeoJSONFeature[], layerId: string, property = 'id'): string | null {
  const value = features.find((f) => f.layer.id === layerId)?.properties?.[property];
  return typeof value === 'string' && value !== '' ? value : null;
}

/** The areas under the pointer, county-most first: community (from its grid), grid, compound, building. */
export function areasUnderPointer(features: readonly MapGeoJSONFeature[]): AreaTarget[] {
  const found: [AreaLevel, string | null][] = [
    ['community', idOf(features, LAYER_IDS.gridsFill, 'community_id')],
    ['grid', idOf(features, LAYER_IDS.gridsFill)],
    ['compound', idOf(features, LAYER_IDS.compoundsFill)],
    ['building', idOf(features, LAYER_IDS.buildingsFill)],
  ];
  return found.filter((entry): entry is [AreaLevel, string] => entry[1] !== null).map(([level, id]) => ({ level, id }));
}

export function drillTarget(
  current: { level: AreaLevel; id: string | null },
  under: readonly AreaTarget[],
): AreaTarget | null {
  if (under.length === 0) return null;
  const depth = ORDER.indexOf(current.level);
  const same = under.find((a) => a.level === current.level);
  if (current.level === 'county' || current.level === 'street' || same?.id === current.id) {
    // Inside the selection: one level down, if anything is drawn there.
    return under.find((a) => ORDER.indexOf(a.level) > depth) ?? null;
  }
  // Outside it: the area of the same level, else the deepest one above it.
  return same ?? [...under].reverse().find((a) => ORDER.indexOf(a.level) < depth) ?? under[0];
}
