// The deck.gl overlay over a gridlink map: its layers, a new overlay after a lost WebGL context, and whether it
// has drawn the settled data (the map's ready signal waits for that). Kept out of Vue reactivity (markRaw).
import { markRaw, shallowRef, watch, type Ref } from 'vue';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { Layer } from '@deck.gl/core';
import { MapLibreOverlay } from '@deck.gl/maplibre';

/** How long a lost deck.gl context may stay lost before the overlay is replaced anyway. */
const DECK_RESTORE_WAIT_MS = 5000;

export function useDeckOverlay(map: Ref<MapLibreMap | null>, deckLayers: Ref<Layer[]>, deckDataSettled: Ref<boolean>) {
  const overlay = shallowRef<MapLibreOverlay | null>(null);
  /** A frame has been drawn since the settled data was handed to the overlay. */
  const drawn = shallowRef(false);
  let frames = 0;
  let settledLayersApplied = false;

  function onRendered(): void {
    frames++;
    if (settledLayersApplied) drawn.value = true;
    watchContext();
  }

  /**
   * A lost WebGL context (GPU reset, driver update, too many contexts) must not need a reload: maplibre
   * restores its own canvas; the deck.gl overlay does not, so it is replaced by a new one once the
   * browser gives the context back (or after a while if it never says so).
   */
  let watchedCanvas: HTMLCanvasElement | null = null;
  let rebuildTimer: ReturnType<typeof setTimeout> | undefined;
  function watchContext(): void {
    const canvas = overlay.value?.getCanvas() ?? null;
    if (!canvas || canvas === watchedCanvas) return;
    watchedCanvas = canvas;
    canvas.addEventListener('webglcontextlost', (event) => {
      event.preventDefault();
      rebuildTimer = setTimeout(() => rebuild(canvas), DECK_RESTORE_WAIT_MS);
    });
    canvas.addEventListener('webglcontextrestored', () => rebuild(canvas));
  }
  function rebuild(lost: HTMLCanvasElement): void {
    if (lost !== watchedCanvas) return;
    clearTimeout(rebuildTimer);
    const current = map.value;
    const old = overlay.value;
    if (!current || !old) return;
    current.removeControl(old);
    add(current);
  }
  function add(target: MapLibreMap): void {
    const deckOverlay = markRaw(new MapLibreOverlay({ interleaved: false, layers: [], onAfterRender: onRendered }));
    target.addControl(deckOverlay);
    overlay.value = deckOverlay;
    deckOverlay.setProps({ layers: freshLayers() });
  }

  /**
   * New instances of the layers for every update: a layer instance belongs to the deck that first drew it,
   * and after a lost context a new deck must get layers of its own (same props, so nothing is recomputed).
   */
  function freshLayers(): Layer[] {
    return deckLayers.value.map((layer) => layer.clone({}));
  }

  function apply(): void {
    const current = overlay.value;
    if (!current) return;
    current.setProps({ layers: freshLayers() });
    if (deckDataSettled.value && !settledLayersApplied) {
      settledLayersApplied = true;
      // Nothing to draw: any frame deck has already drawn counts.
      if (deckLayers.value.length === 0 && frames > 0) drawn.value = true;
    }
  }

  /** Puts an overlay over a new map. */
  function attachTo(target: MapLibreMap): void {
    add(target);
    apply();
  }

  /** Forgets the overlay (it goes with its map). */
  function reset(): void {
    clearTimeout(rebuildTimer);
    watchedCanvas = null;
    overlay.value = null;
    frames = 0;
    settledLayersApplied = false;
    drawn.value = false;
  }

  watch([deckLayers, deckDataSettled], apply);

  return { overlay, drawn, attachTo, reset };
}
