// What the leaders' map shows: the selected area, the map view and the coverage analysis. Plain, serialisable
// state; the URL mirrors it (composables/use-inspect-url.ts), so a link reproduces the view.
import { defineStore } from 'pinia';
import type { AreaLevel } from '../api/inspect-types';
import type { Metric, MetricLevel } from '../../shared/map/area-metrics';

export interface MapViewState {
  lng: number;
  lat: number;
  zoom: number;
}

export interface InspectState {
  level: AreaLevel;
  /** Null for the county. */
  id: string | null;
  /** Null until the map has moved (or the URL named one): the map then shows the style's default view. */
  view: MapViewState | null;
  /** Radius of the station coverage analysis in metres; null when the analysis is off. */
  coverageDistance: number | null;
  /** The choropleth's metric; null when the map shows no choropleth. */
  metric: Metric | null;
  /** Map layers switched off (see map/layer-switches.ts); empty: everything shown. */
  hiddenLayers: string[];
  /** Layers off unless switched on (see OPTIONAL_LAYERS in map/layer-switches.ts). */
  shownLayers: string[];
  /** The ranking table, of grids or communities; null when closed. */
  ranking: MetricLevel | null;
  /** Up to two areas of the ranking's level compared side by side. */
  compare: string[];
}

export const useInspectStore = defineStore('inspect', {
  state: (): InspectState => ({
    level: 'county',
    id: null,
    view: null,
    coverageDistance: null,
    metric: null,
    hiddenLayers: [],
    shownLayers: [],
    ranking: null,
    compare: [],
  }),
  getters: {
    /** `level:id`, a key for "the same selection". */
    selectionKey: (state) => `${state.level}:${state.id ?? ''}`,
  },
});
