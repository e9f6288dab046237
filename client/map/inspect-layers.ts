// Layers the leaders' map adds over the gridlink style: the outline of the selected area, and compounds that
// no service station covers (a filter on the compounds tiles). Filters are rewritten, never the layers, so a
// change of selection does not re-fetch any tile.
import type { FilterSpecification, Map as MapLibreMap } from 'maplibre-gl';
import type { AreaLevel } from '../api/inspect-types';
import { MAP_COLOURS } from '../../shared/map/palette';
import { LAYER_IDS, type SourceId } from '../../shared/map/style-ids';

/** Levels drawn from a tile source of their own (streets and the county have none). */
const LEVEL_SOURCES: Partial<Record<AreaLevel, SourceId>> = {
  community: 'communities',
  grid: 'grids',
  compound: 'compounds',
  building: 'buildings',
};

/** Coverage colours: a red that no compound type or station kind uses. */
export const INSPECT_COLOURS = { uncovered: '#d62728', selection: MAP_COLOURS.gridHover } as const;

export const INSPECT_LAYER_IDS = {
  uncoveredFill: 'inspect-uncovered-fill',
  uncoveredLine: 'inspect-uncovered-line',
  selection: (level: AreaLevel) => `inspect-selection-${level}`,
} as const;

const NOTHING: FilterSpecification = ['==', ['get', 'id'], '__none__'];

function beforeLabels(map: MapLibreMap): string | undefined {
  return map.getLayer(LAYER_IDS.roadsLabel) ? LAYER_IDS.roadsLabel : undefined;
}

/** Adds the layers once (the style must be loaded). */
export function addInspectLayers(map: MapLibreMap): void {
  if (map.getLayer(INSPECT_LAYER_IDS.selection('community'))) return;
  const before = beforeLabels(map);
  // The selection below the coverage outline: a selected uncovered compound still shows red.
  for (const [level, source] of Object.entries(LEVEL_SOURCES)) {
    map.addLayer(
      {
        id: INSPECT_LAYER_IDS.selection(level as AreaLevel),
        type: 'line',
        source,
        'source-layer': source,
        filter: NOTHING,
        paint: { 'line-color': INSPECT_COLOURS.selection, 'line-width': 4, 'line-opacity': 0.9 },
      },
      before,
    );
  }
  const compounds = { source: 'compounds', 'source-layer': 'compounds', filter: NOTHING } as const;
  map.addLayer(
    {
      id: INSPECT_LAYER_IDS.uncoveredFill,
      type: 'fill',
      ...compounds,
      paint: { 'fill-color': INSPECT_COLOURS.uncovered, 'fill-opacity': 0.35 },
    },
    before,
  );
  map.addLayer(
    {
      id: INSPECT_LAYER_IDS.uncoveredLine,
      type: 'line',
      ...compounds,
      paint: { 'line-color': INSPECT_COLOURS.uncovered, 'line-width': 3 },
    },
    before,
  );
}

/** Outlines the selected area (nothing for the county or a street). */
export function showSelection(map: MapLibreMap, level: AreaLevel, id: string | null): void {
  for (const candidate of Object.keys(LEVEL_SOURCES) as AreaLevel[]) {
    const layerId = INSPECT_LAYER_IDS.selection(candidate);
    if (!map.getLayer(layerId)) continue;
    map.setFilter(layerId, candidate === level && id ? ['==', ['get', 'id'], id] : NOTHING);
  }
}

/** Highlights the compounds whose ids are given (an empty list shows none). */
export function showUncovered(map: MapLibreMap, compoundIds: readonly string[]): void {
  const filter: FilterSpecification = compoundIds.length
    ? ['in', ['get', 'id'], ['literal', [...compoundIds]]]
    : NOTHING;
  for (const layerId of [INSPECT_LAYER_IDS.uncoveredFill, INSPECT_LAYER_IDS.uncoveredLine]) {
    if (map.getLayer(layerId)) map.setFilter(layerId, filter);
  }
}
