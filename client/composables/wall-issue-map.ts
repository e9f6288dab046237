// The wall's issue map: the heat of the reports in the rolling window as cells of one ground size (the
// server's `issues` tile bins for the tiles in view; reports from the stream are added to their cell at
// once), rings pulsing where new reports arrive, the 30-day playback, and the grid metrics of the choropleth.
// Bins and metrics are reloaded whenever the figures are (after events, a resync, a reconnection), so the map
// and the panels tell the same story. The playback bins the reports' points here, into the same cells: its
// points are loaded only when it first plays.
import { computed, onBeforeUnmount, ref, shallowRef, watch, type Ref, type ShallowRef } from 'vue';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { Layer } from '@deck.gl/core';
import { fetchGridMetrics, fetchIssuePoints } from '../api/wall';
import { fetchBinTile } from '../api/wall-heat';
import type { WallGridMetrics, WallIssuePoints, WallTickerItem } from '../api/wall-types';
import { binPoints, binTilesFor, HEAT_WINDOW_DAYS, PLAYBACK_DAYS, type HeatCell } from '../../shared/map/wall-bins';
import { whenMapSettled } from '../map/map-ready';
import { heatLayer, pulseLayer, PULSE_MS, type HeatPoint, type Pulse } from '../map/wall-heat-layers';

const DAY_MS = 86_400_000;
/** One playback day per this many ms. */
export const PLAYBACK_STEP_MS = 1000;

declare global {
  interface Window {
    /** The wall's issue map, for e2e tests and the soak script: pulses shown, cells of the heat. */
    __gridlinkWallIssueMap?: {
      pulses(): number;
      /** When (Date.now()) and where the last pulse began. */
      lastPulse(): { at: number; position: HeatPoint } | null;
      heatCells(): HeatCell[];
      /** Bin tiles loaded for the live heat (tests wait for them). */
      binTiles(): number;
      playbackDay(): number | null;
      received(): number;
    };
  }
}

export function useWallIssueMap(options: {
  map: ShallowRef<MapLibreMap | null>;
  reloadKey: Ref<string | null>;
  screenScale: number;
  playbackMinutes: number | null;
}) {
  /** Cells of the live window per bin tile ("x/y") in view; replaced as a whole after each reload. */
  const tiles = shallowRef<Map<string, HeatCell[]>>(new Map());
  /** Bin tiles on their way (the first camera move must not ask for them again). */
  const pending = new Set<string>();
  const metrics = shallowRef<WallGridMetrics | null>(null);
  /** Reports from the stream the bins loaded so far may not have counted yet. */
  const livePoints = shallowRef<{ at: number; position: HeatPoint }[]>([]);
  const points = shallowRef<WallIssuePoints | null>(null);
  /** Day of the playback shown (0 = 30 days ago … days-1 = today); null: live. */
  const playbackDay = ref<number | null>(null);
  const playing = ref(false);
  const pulses = shallowRef<Pulse[]>([]);
  const frameAt = ref(0);
  let pulseSeq = 0;
  let frame = 0;
  let stepTimer: ReturnType<typeof setInterval> | undefined;
  let replayTimer: ReturnType<typeof setInterval> | undefined;
  let abort = new AbortController();

  /** The bin tiles of the current view. */
  function tilesInView(): [number, number][] {
    const map = options.map.value;
    if (!map) return [];
    const b = map.getBounds();
    return binTilesFor([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]) ?? [];
  }

  /** Loads the bin tiles in view: all of them afresh (`fresh`), or those not loaded yet (the view moved). */
  async function loadBins(fresh: boolean): Promise<void> {
    if (fresh) {
      abort.abort();
      abort = new AbortController();
    }
    const { signal } = abort;
    const startedAt = Date.now();
    if (fresh) pending.clear();
    const wanted = tilesInView().filter(
      ([x, y]) => fresh || !(tiles.value.has(`${x}/${y}`) || pending.has(`${x}/${y}`)),
    );
    if (!wanted.length) return;
    for (const [x, y] of wanted) pending.add(`${x}/${y}`);
    const loaded = await Promise.allSettled(wanted.map(([x, y]) => fetchBinTile(x, y, HEAT_WINDOW_DAYS, signal)));
    if (signal.aborted) return;
    for (const [x, y] of wanted) pending.delete(`${x}/${y}`);
    const next = new Map(fresh ? [] : tiles.value);
    loaded.forEach((r, i) => r.status === 'fulfilled' && next.set(`${wanted[i][0]}/${wanted[i][1]}`, r.value));
    tiles.value = next;
    // Reports before the load began are in the server's counts now.
    if (fresh) livePoints.value = livePoints.value.filter((l) => l.at >= startedAt);
  }

  async function reload(): Promise<void> {
    const [m] = await Promise.allSettled([fetchGridMetrics(), loadBins(true), points.value ? loadPoints() : null]);
    if (m.status === 'fulfilled') metrics.value = m.value;
  }
  // Loaded once the map has drawn its first view (its tiles come first); again whenever the figures are
  // reloaded, and the tiles newly in view whenever the camera rests.
  watch(
    options.map,
    (map) => {
      if (!map) return;
      void whenMapSettled(map).then(() => {
        if (options.map.value !== map) return;
        void reload();
        map.on('moveend', () => void loadBins(false));
      });
    },
    { immediate: true },
  );
  watch(options.reloadKey, (key, previous) => key && previous && void reload());

  async function loadPoints(): Promise<void> {
    try {
      points.value = await fetchIssuePoints();
    } catch {
      // The playback shows nothing until the next reload.
    }
  }

  const playbackDays = computed(() => points.value?.playbackDays ?? PLAYBACK_DAYS);
  const windowDays = computed(() => points.value?.windowDays ?? HEAT_WINDOW_DAYS);
  /** The end of the heat window of the playback day shown; null: live. */
  const windowEnd = computed(() => {
    const p = points.value;
    if (!p || playbackDay.value === null) return null;
    return Date.parse(p.generatedAt) - (p.playbackDays - 1 - playbackDay.value) * DAY_MS;
  });
  const heatCells = computed<HeatCell[]>(() => {
    const end = windowEnd.value;
    const p = points.value;
    if (playbackDay.value !== null) {
      if (!p || end === null) return [];
      const from = Date.parse(p.from);
      const start = end - p.windowDays * DAY_MS;
      const shown: HeatPoint[] = [];
      for (const [lon, lat, t] of p.points) {
        const at = from + t * 1000;
        if (at > start && at <= end) shown.push([lon, lat]);
      }
      return [...binPoints(shown).values()];
    }
    const cells = new Map<string, HeatCell>();
    for (const tileCells of tiles.value.values()) for (const c of tileCells) cells.set(c.key, { ...c });
    return [
      ...binPoints(
        livePoints.value.map((l) => l.position),
        cells,
      ).values(),
    ];
  });
  /** The day shown, as a date, for the playback's label. */
  const shownDate = computed(() => (windowEnd.value === null ? new Date() : new Date(windowEnd.value)));

  const heat = computed(() => heatLayer(heatCells.value));
  const layers = computed<Layer[]>(() =>
    pulses.value.length ? [heat.value, pulseLayer(pulses.value, frameAt.value, options.screenScale)] : [heat.value],
  );

  function animate(): void {
    const now = performance.now();
    const alive = pulses.value.filter((p) => now - p.start < PULSE_MS);
    if (alive.length !== pulses.value.length) pulses.value = alive;
    frameAt.value = now;
    frame = alive.length ? requestAnimationFrame(animate) : 0;
  }

  /** A report from the stream: pulse where it was made, and count it in its cell of the live heat. */
  let received = 0;
  let lastPulse: { at: number; position: HeatPoint } | null = null;
  function onIssue(item: WallTickerItem): void {
    received++;
    if (item.state !== 'reported' || item.lon === null || item.lat === null) return;
    const position: HeatPoint = [item.lon, item.lat];
    livePoints.value = [...livePoints.value, { at: Date.now(), position }];
    pulses.value = [...pulses.value, { key: ++pulseSeq, position, start: performance.now() }];
    lastPulse = { at: Date.now(), position };
    if (!frame) frame = requestAnimationFrame(animate);
  }

  function stop(): void {
    if (stepTimer) clearInterval(stepTimer);
    stepTimer = undefined;
    playing.value = false;
  }
  /** Replays the 30 days from the first, a day a second, then goes back to live. */
  async function play(): Promise<void> {
    stop();
    playing.value = true;
    if (!points.value) await loadPoints();
    if (!playing.value) return;
    playbackDay.value =
      playbackDay.value === null || playbackDay.value >= playbackDays.value - 1 ? 0 : playbackDay.value;
    stepTimer = setInterval(() => {
      if (playbackDay.value === null || playbackDay.value >= playbackDays.value - 1) {
        stop();
        playbackDay.value = null;
      } else playbackDay.value++;
    }, PLAYBACK_STEP_MS);
  }
  /** Shows one day (the slider); the last day is live. */
  async function seek(day: number): Promise<void> {
    stop();
    if (day < playbackDays.value - 1 && !points.value) await loadPoints();
    playbackDay.value = day >= playbackDays.value - 1 ? null : Math.max(0, Math.round(day));
  }
  if (options.playbackMinutes) {
    const minutes = options.playbackMinutes;
    const first = watch(options.reloadKey, (key) => {
      if (!key) return;
      first();
      void play();
      replayTimer = setInterval(() => void play(), minutes * 60_000);
    });
  }

  window.__gridlinkWallIssueMap = {
    pulses: () => pulses.value.length,
    lastPulse: () => lastPulse,
    heatCells: () => heatCells.value,
    binTiles: () => tiles.value.size,
    playbackDay: () => playbackDay.value,
    received: () => received,
  };

  onBeforeUnmount(() => {
    stop();
    abort.abort();
    if (replayTimer) clearInterval(replayTimer);
    if (frame) cancelAnimationFrame(frame);
    delete window.__gridlinkWallIssueMap;
  });

  return {
    layers,
    metrics,
    heatCells,
    playbackDay,
    playbackDays,
    windowDays,
    playing,
    shownDate,
    pulses,
    onIssue,
    play,
    stop,
    seek,
  };
}
