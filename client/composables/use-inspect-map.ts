// The leaders' map, driven by the inspect store: a click drills down, a new selection is outlined and fitted,
// a view named by the URL is restored exactly, every move is written back to the URL, and compounds outside
// the coverage radius are highlighted.
import { watch, type Ref } from 'vue';
import type { Map as MapLibreMap, MapMouseEvent } from 'maplibre-gl';
import { fetchArea } from '../api/areas';
import type { AreaCard, Coverage } from '../api/inspect-types';
import { DRILL_LAYERS, areasUnderPointer, drillTarget, type AreaTarget } from '../map/drill-target';
import { addInspectLayers, showSelection, showUncovered } from '../map/inspect-layers';
import { addChoroplethLayers, showChoropleth, type ChoroplethData } from '../map/choropleth';
import { applyStyleGroups } from '../map/layer-switches';
import { addIssueLayers, showIssueLayers } from '../map/issue-layers';
import { issueTileJsonUrl } from '../api/issue-tiles';
import { METRIC_LEVELS, type MetricLevel } from '../../shared/map/area-metrics';
import { useInspectStore, type MapViewState } from '../stores/inspect';
import { formatView, roundView } from './inspect-query';
import { bindMapEvents, onEachMap } from './on-each-map';

export interface InspectMapInputs {
  map: Ref<MapLibreMap | null>;
  card: Ref<AreaCard | null>;
  coverage: Ref<Coverage | null>;
  /** The choropleth per level (null: not shown). */
  choropleth: Ref<Record<MetricLevel, ChoroplethData | null>>;
  select: (target: AreaTarget) => void;
  recordView: (view: MapViewState) => void;
}

const FIT_PADDING = 48;

function viewOf(map: MapLibreMap): MapViewState {
  const { lng, lat } = map.getCenter();
  return roundView({ lng, lat, zoom: map.getZoom() });
}

export function useInspectMap({ map, card, coverage, choropleth, select, recordView }: InspectMapInputs) {
  const store = useInspectStore();
  /** The selection the map has last been placed for (fitted, or put where the URL said). */
  let placedFor: string | null = null;

  /** Set once our layers are in the style: their filters can be set from then on. */
  let layersReady = false;

  function refreshLayers(current: MapLibreMap): void {
    if (!layersReady) return;
    showSelection(current, store.level, store.id);
    showUncovered(current, coverage.value?.uncovered.map((c) => c.id) ?? []);
    for (const level of METRIC_LEVELS) showChoropleth(current, level, choropleth.value[level]);
    applyStyleGroups(current, store.hiddenLayers);
    showIssueLayers(current, store.shownLayers.includes('issues'));
  }

  function addLayers(current: MapLibreMap): void {
    try {
      addChoroplethLayers(current);
      addInspectLayers(current);
      addIssueLayers(current, issueTileJsonUrl());
    } catch {
      // The style is still loading: add them once it is there.
      current.once('load', () => addLayers(current));
      return;
    }
    layersReady = true;
    refreshLayers(current);
    place(current);
  }

  function place(current: MapLibreMap): void {
    // Before its style has loaded, the map would replace any view with the style's own centre and zoom.
    if (!layersReady) return;
    const key = store.selectionKey;
    if (store.view) {
      placedFor = key;
      if (formatView(viewOf(current)) !== formatView(store.view)) {
        current.jumpTo({ center: [store.view.lng, store.view.lat], zoom: store.view.zoom });
      }
      return;
    }
    if (placedFor === key) return;
    // The first view of the county is the style's own: no fit.
    if (placedFor === null && store.level === 'county') {
      placedFor = key;
      return;
    }
    const loaded = card.value;
    if (!loaded || `${loaded.level}:${loaded.level === 'county' ? '' : loaded.id}` !== key) return;
    placedFor = key;
    current.fitBounds(loaded.bbox, { padding: FIT_PADDING, maxZoom: 18, duration: 400 });
  }

  function onClick(event: MapMouseEvent): void {
    const current = map.value;
    if (!current) return;
    const layers = DRILL_LAYERS.filter((id) => current.getLayer(id));
    const under = areasUnderPointer(current.queryRenderedFeatures(event.point, { layers: [...layers] }));
    const target = drillTarget({ level: store.level, id: store.id }, under);
    if (!target || (target.level === store.level && target.id === store.id)) return;
    if (target.level === 'community' && (store.level === 'county' || store.level === 'street'))
      void viaStreet(target, store.level, store.id);
    else select(target);
  }

  /**
   * The map draws no street: a click that reaches a community from the county selects its street first, and
   * from a street a community of another street selects that street. The street is the community card's parent.
   */
  const streetOfCommunity = new Map<string, string | null>();
  async function viaStreet(community: AreaTarget, fromLevel: string, fromId: string | null): Promise<void> {
    if (!streetOfCommunity.has(community.id)) {
      const card = await fetchArea('community', community.id).catch(() => null);
      streetOfCommunity.set(community.id, card?.parents.find((p) => p.level === 'street')?.id ?? null);
    }
    // Another selection was made meanwhile: this click is stale.
    if (store.level !== fromLevel || store.id !== fromId) return;
    const street = streetOfCommunity.get(community.id);
    if (street && (fromLevel === 'county' || street !== fromId)) select({ level: 'street', id: street });
    else select(community);
  }

  function onMoveEnd(): void {
    const current = map.value;
    // Until the map has been placed for the selection (the card may still be loading), a move is not a
    // view worth keeping: recording it would stop the fit.
    if (current && placedFor === store.selectionKey) recordView(viewOf(current));
  }

  onEachMap(map, (current) => {
    placedFor = null;
    layersReady = false;
    addLayers(current);
    return bindMapEvents(current, { click: onClick, moveend: onMoveEnd });
  });

  watch([() => store.selectionKey, () => store.view, card], () => {
    const current = map.value;
    if (!current) return;
    place(current);
    refreshLayers(current);
  });

  watch([coverage, choropleth, () => store.hiddenLayers, () => store.shownLayers], () => {
    if (map.value) refreshLayers(map.value);
  });
}
