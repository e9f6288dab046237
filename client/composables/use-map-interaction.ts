// Pointer interaction on the map: hover highlight (feature-state) on compounds and grids, a tooltip over
// stations (deck.gl picking), and a popup for whatever was clicked, kept in place while the map moves.
import { shallowRef, watch, type Ref, type ShallowRef } from 'vue';
import type { Map as MapLibreMap, MapMouseEvent } from 'maplibre-gl';
import type { MapLibreOverlay } from '@deck.gl/maplibre';
import type { PickingInfo } from '@deck.gl/core';
import type { StationFeature } from '../api/types';
import { describeMapFeatures, describeStation, type FeatureDetails } from '../map/feature-details';
import { attachHoverHighlight } from '../map/hover-highlight';
import { isStationFeature } from '../map/station-layers';
import { CLICKABLE_LAYERS, HOVER_TARGETS, LAYER_IDS } from '../../shared/map/style-ids';

export interface ScreenPoint {
  x: number;
  y: number;
}

export interface OpenPopup {
  details: FeatureDetails;
  lngLat: [number, number];
}

interface SelectedKey {
  source: string;
  sourceLayer: string;
  id: string | number;
}

const STATION_PICK_RADIUS = 4;

/** `hoveredStation` is written here and read by the caller (the station layers draw it larger). */
export function useMapInteraction(
  map: Ref<MapLibreMap | null>,
  overlay: Ref<MapLibreOverlay | null>,
  hoveredStation: ShallowRef<StationFeature | null>,
) {
  const popup = shallowRef<OpenPopup | null>(null);
  const popupPoint = shallowRef<ScreenPoint | null>(null);
  const tooltipPoint = shallowRef<ScreenPoint | null>(null);
  let selected: SelectedKey | null = null;

  function select(key: SelectedKey | null): void {
    const current = map.value;
    if (!current) return;
    if (selected) current.setFeatureState(selected, { selected: false });
    selected = key;
    if (selected) current.setFeatureState(selected, { selected: true });
  }

  function place(): void {
    const current = map.value;
    popupPoint.value = current && popup.value ? current.project(popup.value.lngLat) : null;
  }

  function closePopup(): void {
    popup.value = null;
    popupPoint.value = null;
    select(null);
  }

  function pickStation(point: ScreenPoint): StationFeature | null {
    const picked = overlay.value?.pickObject({ x: point.x, y: point.y, radius: STATION_PICK_RADIUS });
    return picked && isStationFeature(picked.object) ? picked.object : null;
  }

  function onClick(event: MapMouseEvent): void {
    const current = map.value;
    if (!current) return;
    const station = pickStation(event.point);
    if (station) {
      select(null);
      const [lng, lat] = station.geometry.coordinates;
      // The grid the station belongs to, if it is drawn under it (a station may sit on a grid boundary).
      const grids = current.getLayer(LAYER_IDS.gridsFill)
        ? current.queryRenderedFeatures(current.project([lng, lat]), { layers: [LAYER_IDS.gridsFill] })
        : [];
      const grid = grids.find((feature) => feature.properties?.id === station.properties.grid_id);
      popup.value = { details: describeStation(station, grid?.properties), lngLat: [lng, lat] };
      place();
      return;
    }
    const layers = CLICKABLE_LAYERS.filter((id) => current.getLayer(id));
    const features = current.queryRenderedFeatures(event.point, { layers: [...layers] });
    const details = describeMapFeatures(features);
    if (!details) {
      closePopup();
      return;
    }
    const primary = features.find((feature) => String(feature.properties?.id ?? '') === details.id);
    select(
      primary && primary.id !== undefined && primary.sourceLayer
        ? { source: primary.source, sourceLayer: primary.sourceLayer, id: primary.id }
        : null,
    );
    popup.value = { details, lngLat: [event.lngLat.lng, event.lngLat.lat] };
    place();
  }

  function onStationHover(info: PickingInfo): void {
    const station = isStationFeature(info.object) ? info.object : null;
    hoveredStation.value = station;
    tooltipPoint.value = station ? { x: info.x, y: info.y } : null;
  }

  function onMouseMove(event: MapMouseEvent): void {
    const current = map.value;
    if (!current) return;
    const layers = CLICKABLE_LAYERS.filter((id) => current.getLayer(id));
    const overFeature =
      hoveredStation.value !== null || current.queryRenderedFeatures(event.point, { layers: [...layers] }).length > 0;
    current.getCanvas().style.cursor = overFeature ? 'pointer' : '';
  }

  let detachHover: (() => void) | null = null;
  watch(
    [map, overlay],
    ([current, deckOverlay], _previous, onCleanup) => {
      if (!current) return;
      detachHover = attachHoverHighlight(current, HOVER_TARGETS);
      deckOverlay?.setProps({ onHover: onStationHover });
      current.on('click', onClick);
      current.on('mousemove', onMouseMove);
      current.on('move', place);
      onCleanup(() => {
        detachHover?.();
        detachHover = null;
        current.off('click', onClick);
        current.off('mousemove', onMouseMove);
        current.off('move', place);
        popup.value = null;
        popupPoint.value = null;
        hoveredStation.value = null;
        selected = null;
      });
    },
    { immediate: true },
  );

  return { popup, popupPoint, tooltipPoint, closePopup };
}
