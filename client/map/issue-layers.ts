// The server's `issues` tile layer on the leaders' map: square bins coloured by their count below zoom 15
// (the server sends bins there), single issues as dots from zoom 15. Classes are fixed, so a colour means the
// same count wherever and whenever it is seen. Off unless switched on (`show=issues`).
import type { ExpressionSpecification, Map as MapLibreMap } from 'maplibre-gl';
import { LAYER_IDS } from '../../shared/map/style-ids';

export const ISSUE_SOURCE_ID = 'issues';

export const ISSUE_LAYER_IDS = { bins: 'inspect-issue-bins', points: 'inspect-issue-points' } as const;

/** Zoom from which the server sends single issues instead of bins (server/db/layers.ts). */
export const ISSUE_POINTS_FROM_ZOOM = 15;

/** Lower bounds of the count classes: 1–2, 3–9, 10–29, 30–99, 100 and more. */
export const ISSUE_BIN_BREAKS = [1, 3, 10, 30, 100] as const;
// ColorBrewer RdPu: apart from the compound, station and choropleth colours.
export const ISSUE_BIN_COLOURS = ['#fcc5c0', '#fa9fb5', '#f768a1', '#c51b8a', '#7a0177'] as const;
export const ISSUE_POINT_COLOUR = '#49006a';

/** One legend row per class: its colour, lowest count and highest (null: open-ended). */
export function issueBinClasses(): { colour: string; from: number; to: number | null }[] {
  return ISSUE_BIN_BREAKS.map((from, k) => ({
    colour: ISSUE_BIN_COLOURS[k],
    from,
    to: k + 1 < ISSUE_BIN_BREAKS.length ? ISSUE_BIN_BREAKS[k + 1] - 1 : null,
  }));
}

function binColour(): ExpressionSpecification {
  const steps = ISSUE_BIN_BREAKS.slice(1).flatMap((b, k) => [b, ISSUE_BIN_COLOURS[k + 1]]);
  return ['step', ['get', 'count'], ISSUE_BIN_COLOURS[0], ...steps] as unknown as ExpressionSpecification;
}

/** Adds the source and its layers, hidden (the style must be loaded). */
export function addIssueLayers(map: MapLibreMap, tileJsonUrl: string): void {
  if (map.getSource(ISSUE_SOURCE_ID)) return;
  map.addSource(ISSUE_SOURCE_ID, { type: 'vector', url: tileJsonUrl });
  // Below the grid and community lines, so the boundaries stay readable over the bins.
  const before = map.getLayer(LAYER_IDS.gridsFill) ? LAYER_IDS.gridsFill : undefined;
  const common = { source: ISSUE_SOURCE_ID, 'source-layer': ISSUE_SOURCE_ID, layout: { visibility: 'none' as const } };
  map.addLayer(
    {
      id: ISSUE_LAYER_IDS.bins,
      type: 'fill',
      ...common,
      filter: ['==', ['geometry-type'], 'Polygon'],
      paint: { 'fill-color': binColour(), 'fill-outline-color': 'rgba(255, 255, 255, 0.6)' },
    },
    before,
  );
  map.addLayer(
    {
      id: ISSUE_LAYER_IDS.points,
      type: 'circle',
      ...common,
      minzoom: ISSUE_POINTS_FROM_ZOOM,
      filter: ['==', ['geometry-type'], 'Point'],
      paint: {
        'circle-color': ISSUE_POINT_COLOUR,
        'circle-radius': 5,
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 1.5,
      },
    },
    before,
  );
}

export function showIssueLayers(map: MapLibreMap, shown: boolean): void {
  const visibility = shown ? 'visible' : 'none';
  for (const id of Object.values(ISSUE_LAYER_IDS)) {
    if (map.getLayer(id) && map.getLayoutProperty(id, 'visibility') !== visibility)
      map.setLayoutProperty(id, 'visibility', visibility);
  }
}
