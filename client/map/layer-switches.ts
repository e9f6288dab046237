// Layers of the leaders' map that can be switched off, by a key the URL carries (`hide=`): the base layers
// of the gridlink style by group, and the station kinds drawn by deck.gl.
import type { Map as MapLibreMap } from 'maplibre-gl';
import { STATION_KINDS, type StationKind } from '../../shared/map/kinds';
import { LAYER_IDS, type LayerId } from '../../shared/map/style-ids';

const STYLE_GROUPS = {
  compounds: [LAYER_IDS.compoundsFill, LAYER_IDS.compoundsOutline, LAYER_IDS.compoundsLabel],
  buildings: [LAYER_IDS.buildingsFill, LAYER_IDS.buildingsOutline],
  grids: [LAYER_IDS.gridsFill, LAYER_IDS.gridsLine, LAYER_IDS.gridsLabel],
  labels: [LAYER_IDS.roadsLabel, LAYER_IDS.landmarksLabel, LAYER_IDS.stationsLabel, LAYER_IDS.communitiesLabel],
} as const satisfies Record<string, readonly LayerId[]>;

export type StyleGroup = keyof typeof STYLE_GROUPS;
export const STYLE_GROUP_KEYS = Object.keys(STYLE_GROUPS) as StyleGroup[];

/** Layers off unless switched on, by a key the URL carries (`show=`): the issues tile layer. */
export const OPTIONAL_LAYERS: readonly string[] = ['issues'];

/** Every switch, in a fixed order: style groups, then station kinds. */
export const LAYER_SWITCHES: readonly string[] = [...STYLE_GROUP_KEYS, ...STATION_KINDS];

/** Shows or hides the style's layers of each group. */
export function applyStyleGroups(map: MapLibreMap, hidden: readonly string[]): void {
  for (const group of STYLE_GROUP_KEYS) {
    const visibility = hidden.includes(group) ? 'none' : 'visible';
    for (const id of STYLE_GROUPS[group]) {
      if (map.getLayer(id) && map.getLayoutProperty(id, 'visibility') !== visibility)
        map.setLayoutProperty(id, 'visibility', visibility);
    }
  }
}

/** The station kinds shown when `hidden` are switched off. */
export function visibleKinds(hidden: readonly string[]): StationKind[] {
  return STATION_KINDS.filter((kind) => !hidden.includes(kind));
}
