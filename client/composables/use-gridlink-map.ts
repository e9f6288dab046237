// The life of a gridlink map, shared by every map component (drawn in MapFrame.vue): load the shipped CJK font,
// fetch the style, create the maplibre map (it follows its container's size itself) and the deck.gl overlay, switch
// labels and controls with the app language, report progress and failures, signal tests when the first view has
// fully drawn, and remove it all when the component goes. Map and overlay are kept out of Vue reactivity
// (markRaw + shallowRef): Vue must never proxy them.
import { markRaw, onBeforeUnmount, onMounted, shallowRef, watch, type Ref } from 'vue';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { Layer } from '@deck.gl/core';
import type { StyleSpecification } from '@maplibre/maplibre-gl-style-spec';
import { fetchStyle } from '../api/style';
import { currentLocale, i18n } from '../i18n';
import { createMap, type InitialView } from '../map/create-map';
import { applyControlLocale, type MapControlStrings } from '../map/localize-controls';
import { loadFontFaces, type FontLoadResult } from '../map/load-font-faces';
import { applyLabelLocale, localizeStyle } from '../map/localize-labels';
import { whenMapSettled } from '../map/map-ready';
import { drawGlyphsAfterFontLoad } from '../map/glyph-fonts';
import { MAP_FONT_FAMILY } from '../../shared/map/typography';
import { toLoadFailure, type LoadFailure } from './load-failure';
import { useDeckOverlay } from './use-deck-overlay';

/** loading: the style; map: the map is drawing its first view; ready: it has. */
export type MapPhase = 'loading' | 'map' | 'ready' | 'error';

export type MapFailure = LoadFailure | { kind: 'webgl'; status?: undefined; message: string };

const FONT_TIMEOUT_MS = 15_000;
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
  deckLayers,
  deckDataSettled,
  waitForAllFaces = true,
  initialView,
  styleVariant,
}: GridlinkMapInputs) {
  const map = shallowRef<MapLibreMap | null>(null);
  const phase = shallowRef<MapPhase>('loading');
  const failure = shallowRef<MapFailure | null>(null);
  const fonts = shallowRef<FontLoadResult | null>(null);
  const tileErrors = shallowRef(0);

  /** The element the map is drawn in, given by MapFrame.vue. */
  const container = shallowRef<HTMLElement | null>(null);
  const deck = useDeckOverlay(map, deckLayers, deckDataSettled);
  let abort: AbortController | null = null;
  const mapSettled = shallowRef(false);
  const fontsLoaded = shallowRef(!waitForAllFaces);

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

    deck.attachTo(created);

    if (!facesAsked && waitForAllFaces) void loadAllFaces();

    await whenMapSettled(created);
    if (signal.aborted) return;
    mapSettled.value = true;
    if (!facesAsked) void loadAllFaces();
  }

  function stop(): void {
    abort?.abort();
    abort = null;
    map.value?.remove();
    if (window.__gridlinkMap === map.value) delete window.__gridlinkMap;
    map.value = null;
    deck.reset();
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

  watch([mapSettled, deck.drawn, fontsLoaded], ([settled, drawn, fontsIn]) => {
    if (settled && drawn && fontsIn && phase.value === 'map') {
      phase.value = 'ready';
      // The moment benchmarks measure (bench:wall compares it with a bare map's).
      performance.mark('gridlink-map-ready');
      document.body.dataset.mapReady = 'true';
    }
  });

  watch(currentLocale, (next) => {
    const current = map.value;
    if (!current) return;
    applyControlLocale(current, mapControlStrings());
    try {
      applyLabelLocale(current, next);
    } catch {
      // The style itself is still loading: switch once it is there.
      current.once('load', () => applyLabelLocale(current, currentLocale()));
    }
  });

  /** The frame hands over the element the map is drawn in (before the component is mounted). */
  function attach(element: HTMLElement | null): void {
    container.value = element;
  }

  onMounted(() => void start());
  onBeforeUnmount(stop);

  return { map, overlay: deck.overlay, phase, failure, fonts, tileErrors, retry, attach };
}

/** A map component's map: what MapFrame.vue draws and reports on. */
export type GridlinkMap = ReturnType<typeof useGridlinkMap>;
