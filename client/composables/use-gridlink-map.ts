// The life of the map of a MapView: load the shipped CJK font, fetch the style, create the maplibre map and
// the deck.gl overlay, report progress and failures, and signal tests when the first view has fully drawn.
// Map and overlay are kept out of Vue reactivity (markRaw + shallowRef): Vue must never proxy them.
import { markRaw, onBeforeUnmount, onMounted, shallowRef, watch, type Ref } from 'vue';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { Layer } from '@deck.gl/core';
import type { StyleSpecification } from '@maplibre/maplibre-gl-style-spec';
import { MapLibreOverlay } from '@deck.gl/maplibre';
import { fetchStyle } from '../api/style';
import { currentLocale, i18n } from '../i18n';
import { createMap, type InitialView } from '../map/create-map';
import type { MapControlStrings } from '../map/localize-controls';
import { loadFontFaces, type FontLoadResult } from '../map/load-font-faces';
import { localizeStyle } from '../map/localize-labels';
import { whenMapSettled } from '../map/map-ready';
import { drawGlyphsAfterFontLoad } from '../map/glyph-fonts';
import { MAP_FONT_FAMILY } from '../../shared/map/typography';
import { toLoadFailure, type LoadFailure } from './load-failure';

/** loading: the style; map: the map is drawing its first view; ready: it has. */
export type MapPhase = 'loading' | 'map' | 'ready' | 'error';

export type MapFailure = LoadFailure | { kind: 'webgl'; status?: undefined; message: string };

const FONT_TIMEOUT_MS = 15_000;
/** How long a lost deck.gl context may stay lost before the overlay is replaced anyway. */
const DECK_RESTORE_WAIT_MS = 5000;
const LABEL_NUDGE_ZOOM = 0.001;

declare global {
  interface Window {
    /** The live map, for e2e tests and screenshot scripts only. */
    __gridlinkMap?: MapLibreMap;
  }
}

/** The map's own control tooltips in the current language. */
export function mapControlStrings(): MapControlStrings {
  const { t } = i18n.global;
  return { zoomIn: t('mapControls.zoomIn'), zoomOut: t('mapControls.zoomOut'), map: t('mapControls.map') };
}

export interface GridlinkMapInputs {
  container: Ref<HTMLElement | null>;
  /** deck.gl layers to draw over the map. */
  deckLayers: Ref<Layer[]>;
  /** True once the overlay data has arrived (or failed): the ready signal waits for it. */
  deckDataSettled: Ref<boolean>;
  /**
   * The ready signal waits for every face of the shipped font (default true: text the page draws on its own
   * canvases, exports). The wall's does not: its labels load their own faces, its chart those of its text.
   */
  waitForAllFaces?: boolean;
  /** Where the map opens, if the page knows better than the style (the wall: its county or community). */
  initialView?: () => Promise<InitialView | null>;
  /** The page's variant of the served style (the wall's dark one), made before the map is created. */
  styleVariant?: (style: StyleSpecification) => StyleSpecification;
}

export function useGridlinkMap({
  container,
  deckLayers,
  deckDataSettled,
  waitForAllFaces = true,
  initialView,
  styleVariant,
}: GridlinkMapInputs) {
  const map = shallowRef<MapLibreMap | null>(null);
  const overlay = shallowRef<MapLibreOverlay | null>(null);
  const phase = shallowRef<MapPhase>('loading');
  const failure = shallowRef<MapFailure | null>(null);
  const fonts = shallowRef<FontLoadResult | null>(null);
  const tileErrors = shallowRef(0);

  let abort: AbortController | null = null;
  let deckFrames = 0;
  let settledLayersApplied = false;
  const deckDrawn = shallowRef(false);
  const mapSettled = shallowRef(false);
  const fontsLoaded = shallowRef(!waitForAllFaces);

  function onDeckRendered(): void {
    deckFrames++;
    if (settledLayersApplied) deckDrawn.value = true;
    watchDeckContext();
  }

  /**
   * A lost WebGL context (GPU reset, driver update, too many contexts) must not need a reload: maplibre
   * restores its own canvas; the deck.gl overlay does not, so it is replaced by a new one once the
   * browser gives the context back (or after a while if it never says so).
   */
  let watchedDeckCanvas: HTMLCanvasElement | null = null;
  let deckRebuildTimer: ReturnType<typeof setTimeout> | undefined;
  function watchDeckContext(): void {
    const canvas = overlay.value?.getCanvas() ?? null;
    if (!canvas || canvas === watchedDeckCanvas) return;
    watchedDeckCanvas = canvas;
    canvas.addEventListener('webglcontextlost', (event) => {
      event.preventDefault();
      deckRebuildTimer = setTimeout(() => rebuildOverlay(canvas), DECK_RESTORE_WAIT_MS);
    });
    canvas.addEventListener('webglcontextrestored', () => rebuildOverlay(canvas));
  }
  function rebuildOverlay(lost: HTMLCanvasElement): void {
    if (lost !== watchedDeckCanvas) return;
    clearTimeout(deckRebuildTimer);
    const current = map.value;
    const old = overlay.value;
    if (!current || !old) return;
    current.removeControl(old);
    addOverlay(current);
  }
  function addOverlay(target: MapLibreMap): void {
    const deckOverlay = markRaw(new MapLibreOverlay({ interleaved: false, layers: [], onAfterRender: onDeckRendered }));
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

  function applyDeckLayers(): void {
    const current = overlay.value;
    if (!current) return;
    current.setProps({ layers: freshLayers() });
    if (deckDataSettled.value && !settledLayersApplied) {
      settledLayersApplied = true;
      // Nothing to draw: any frame deck has already drawn counts.
      if (deckLayers.value.length === 0 && deckFrames > 0) deckDrawn.value = true;
    }
  }

  async function start(): Promise<void> {
    const element = container.value;
    if (!element) return;
    abort = new AbortController();
    const { signal } = abort;
    failure.value = null;

    phase.value = 'loading';
    // The map does not wait for the font: each batch of labels loads the faces it needs (glyph-fonts.ts).
    // Every face loads alongside the map, so most are there when the labels ask, and the ready signal waits
    // for them. A page whose signal does not wait loads them once the map has settled: a hundred font files
    // would otherwise hold the browser's connections while the map asks for its tiles.
    let facesAsked = false;
    const loadAllFaces = async () => {
      facesAsked = true;
      const result = await loadFontFaces(MAP_FONT_FAMILY, FONT_TIMEOUT_MS);
      if (signal.aborted) return;
      fonts.value = result;
      fontsLoaded.value = true;
      document.body.dataset.fontFaces = `${result.loaded}/${result.total}`;
    };
    let styleFailure: LoadFailure | null = null;
    // The view is known in parallel with the style: the map loads the tiles of where it opens only.
    const [style, view] = await Promise.all([
      fetchStyle(signal).catch((error: unknown) => {
        styleFailure = toLoadFailure(error);
        return null;
      }),
      initialView?.().catch(() => null) ?? null,
    ]);
    if (signal.aborted) return;
    if (!style || styleFailure) {
      const reported: LoadFailure = styleFailure ?? { kind: 'invalid', message: 'no style' };
      failure.value = reported;
      phase.value = 'error';
      document.body.dataset.mapError = reported.kind;
      return;
    }

    phase.value = 'map';
    const localized = localizeStyle(style, currentLocale());
    const shown = styleVariant ? styleVariant(localized) : localized;
    const make = () =>
      markRaw(
        createMap({
          container: element,
          style: shown,
          controlStrings: mapControlStrings(),
          view,
        }),
      );
    let created: MapLibreMap;
    try {
      created = make();
      if (!drawGlyphsAfterFontLoad(created, MAP_FONT_FAMILY)) {
        // A maplibre without the glyph manager hook: no label before every face is there.
        created.remove();
        await loadAllFaces();
        if (signal.aborted) return;
        created = make();
      }
    } catch (error) {
      failure.value = { kind: 'webgl', message: error instanceof Error ? error.message : String(error) };
      phase.value = 'error';
      document.body.dataset.mapError = 'webgl';
      return;
    }
    // maplibre restores its canvas after a lost context but does not place the labels again until the camera
    // moves: move it by an invisible amount once the restored map has drawn.
    created.on('webglcontextrestored', () =>
      created.once('idle', () => created.jumpTo({ zoom: created.getZoom() + LABEL_NUDGE_ZOOM })),
    );
    created.on('error', (event) => {
      tileErrors.value++;
      console.warn('map error:', event.error?.message ?? event);
    });
    map.value = created;
    window.__gridlinkMap = created;

    addOverlay(created);
    applyDeckLayers();

    if (!facesAsked && waitForAllFaces) void loadAllFaces();

    await whenMapSettled(created);
    if (signal.aborted) return;
    mapSettled.value = true;
    if (!facesAsked) void loadAllFaces();
  }

  function stop(): void {
    clearTimeout(deckRebuildTimer);
    watchedDeckCanvas = null;
    abort?.abort();
    abort = null;
    map.value?.remove();
    if (window.__gridlinkMap === map.value) delete window.__gridlinkMap;
    map.value = null;
    overlay.value = null;
    deckFrames = 0;
    settledLayersApplied = false;
    deckDrawn.value = false;
    mapSettled.value = false;
    fontsLoaded.value = !waitForAllFaces;
    tileErrors.value = 0;
    delete document.body.dataset.mapReady;
    delete document.body.dataset.mapError;
  }

  function retry(): void {
    stop();
    void start();
  }

  watch([deckLayers, deckDataSettled], applyDeckLayers);
  watch([mapSettled, deckDrawn, fontsLoaded], ([settled, drawn, fontsIn]) => {
    if (settled && drawn && fontsIn && phase.value === 'map') {
      phase.value = 'ready';
      // The moment benchmarks measure (bench:wall compares it with a bare map's).
      performance.mark('gridlink-map-ready');
      document.body.dataset.mapReady = 'true';
    }
  });

  onMounted(() => void start());
  onBeforeUnmount(stop);

  return { map, overlay, phase, failure, fonts, tileErrors, retry };
}
