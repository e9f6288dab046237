// Ids of the sources and layers of the gridlink style. The style builder (server/style) and the client
// (hover, popups, label language) both use these names, so they live in one place.

/** Vector tile sources; each tile has one source-layer named like its source. */
export const SOURCE_IDS = ['basemap', 'communities', 'grids', 'compounds', 'buildings', 'stations'] as const;
export type SourceId = (typeof SOURCE_IDS)[number];

export const LAYER_IDS = {
  background: 'background',
  blocks: 'basemap-blocks',
  landmarks: 'basemap-landmarks',
  green: 'basemap-green',
  water: 'basemap-water',
  waterLines: 'basemap-water-lines',
  compoundsFill: 'compounds-fill',
  compoundsOutline: 'compounds-outline',
  roadsCasing: 'roads-casing',
  roads: 'roads',
  buildingsFill: 'buildings-fill',
  buildingsOutline: 'buildings-outline',
  gridsFill: 'grids-fill',
  gridsLine: 'grids-line',
  communitiesCasing: 'communities-casing',
  communitiesLine: 'communities-line',
  boundary: 'basemap-boundary',
  roadsLabel: 'roads-label',
  landmarksLabel: 'landmarks-label',
  compoundsLabel: 'compounds-label',
  stationsLabel: 'stations-label',
  gridsLabel: 'grids-label',
  communitiesLabel: 'communities-label',
} as const;
export type LayerId = (typeof LAYER_IDS)[keyof typeof LAYER_IDS];

/** Symbol layers whose text follows the app language (see label-text.ts for what each shows). */
export const LABEL_LAYER_IDS = [
  LAYER_IDS.roadsLabel,
  LAYER_IDS.landmarksLabel,
  LAYER_IDS.compoundsLabel,
  LAYER_IDS.stationsLabel,
  LAYER_IDS.gridsLabel,
  LAYER_IDS.communitiesLabel,
] as const;

/** Layers that highlight on hover through the feature-state `hover` (sources use promoteId `id`). */
export const HOVER_TARGETS = [
  { layerId: LAYER_IDS.compoundsFill, source: 'compounds' },
  { layerId: LAYER_IDS.gridsFill, source: 'grids' },
] as const satisfies readonly { layerId: LayerId; source: SourceId }[];

/** Layers a click can open a popup for, most specific first. */
export const CLICKABLE_LAYERS = [LAYER_IDS.buildingsFill, LAYER_IDS.compoundsFill, LAYER_IDS.gridsFill] as const;
