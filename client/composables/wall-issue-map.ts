// The wall's issue map: the heat of the reports in the rolling window (live, or a day of the 30-day
// playback), rings pulsing where new reports arrive from the stream, and the grid metrics of the
// choropleth. Points and metrics are reloaded whenever the figures are (after events, a resync, a
// reconnection), so the map and the panels tell the same story.
import { computed, onBeforeUnmount, ref, shallowRef, watch, type Ref } from 'vue';
import type { Layer } from '@deck.gl/core';
import { fetchGridMetrics, fetchIssuePoints } from '../api/wall-map';
import type { WallGridMetrics, WallIssuePoints, WallTickerItem } from '../api/wall-types';
import { heatLayer, pulseLayer, PULSE_MS, type HeatPoint, type Pulse } from '../map/wall-heat-layers';

const DAY_MS = 86_400_000;
/** One playback day per this many ms. */
export const PLAYBACK_STEP_MS = 1000;

declare global {
  interface Window {
    /** The wall's issue map, for e2e tests and the soak script: pulses shown, points in the heat. */
    __gridlinkWallIssueMap?: {
      pulses(): number;
      /** When (Date.now()) and where the last pulse began. */
      lastPulse(): { at: number; position: HeatPoint } | null;
      heatPoints(): HeatPoint[];
      playbackDay(): number | null;
      received(): number;
    };
  }
}

export function useWallIssueMap(options: { reloadKey: Ref<string | null>; screenScale: number; playbackMinutes: number | null }) {
  const points = shallowRef<WallIssuePoints | null>(null);
  const metrics = shallowRef<WallGridMetrics | null>(null);
  /** Reports from the stream since the points were loaded. */
  const livePoints = shallowRef<{ at: number; position: HeatPoint }[]>([]);
  /** Day of the playback shown (0 = 30 days ago … days-1 = today); null: live. */
  const playbackDay = ref<number | null>(null);
  const playing = ref(false);
  const pulses = shallowRef<Pulse[]>([]);
  const frameAt = ref(0);
  let pulseSeq = 0;
  let frame = 0;
  let stepTimer: ReturnType<typeof setInterval> | undefined;
  let replayTimer: ReturnType<typeof setInterval> | undefined;
  let abort: AbortController | null = null;

  async function reload(): Promise<void> {
    abort?.abort();
    const controller = (abort = new AbortController());
    const [p, m] = await Promise.allSettled([fetchIssuePoints(controller.signal), fetchGridMetrics(controller.signal)]);
    if (controller.signal.aborted) return;
    if (p.status === 'fulfilled') {
      points.value = p.value;
      const loadedAt = Date.parse(p.value.generatedAt);
      livePoints.value = livePoints.value.filter((l) => l.at > loadedAt);
    }
    if (m.status === 'fulfilled') metrics.value = m.value;
  }
  watch(options.reloadKey, (key) => key && void reload(), { immediate: true });

  const playbackDays = computed(() => points.value?.playbackDays ?? 30);
  const windowDays = computed(() => points.value?.windowDays ?? 7);
  /** The end of the heat window shown. */
  const windowEnd = computed(() => {
    const p = points.value;
    if (!p) return null;
    const now = Date.parse(p.generatedAt);
    return playbackDay.value === null ? Number.POSITIVE_INFINITY : now - (p.playbackDays - 1 - playbackDay.value) * DAY_MS;
  });
  const heatPoints = computed<HeatPoint[]>(() => {
    const p = points.value;
    const end = windowEnd.value;
    if (!p || end === null) return [];
    const from = Date.parse(p.from);
    const start = (end === Number.POSITIVE_INFINITY ? Date.parse(p.generatedAt) : end) - p.windowDays * DAY_MS;
    const shown: HeatPoint[] = [];
    for (const [lon, lat, t] of p.points) {
      const at = from + t * 1000;
      if (at > start && at <= end) shown.push([lon, lat]);
    }
    if (playbackDay.value === null) for (const l of livePoints.value) shown.push(l.position);
    return shown;
  });
  /** The day shown, as a date (Beijing), for the playback's label. */
  const shownDate = computed(() => {
    const end = windowEnd.value;
    const p = points.value;
    if (!p || end === null) return null;
    return new Date(end === Number.POSITIVE_INFINITY ? Date.parse(p.generatedAt) : end);
  });

  const heat = computed(() => heatLayer(heatPoints.value, options.screenScale));
  const layers = computed<Layer[]>(() => (pulses.value.length ? [heat.value, pulseLayer(pulses.value, frameAt.value, options.screenScale)] : [heat.value]));

  function animate(): void {
    const now = performance.now();
    const alive = pulses.value.filter((p) => now - p.start < PULSE_MS);
    if (alive.length !== pulses.value.length) pulses.value = alive;
    frameAt.value = now;
    frame = alive.length ? requestAnimationFrame(animate) : 0;
  }

  /** A report from the stream: pulse where it was made, and count it in the live heat. */
  let received = 0;
  let lastPulse: { at: number; position: HeatPoint } | null = null;
  function onIssue(item: WallTickerItem): void {
    received++;
    if (item.state !== 'reported' || item.lon === null || item.lat === null) return;
    const position: HeatPoint = [item.lon, item.lat];
    livePoints.value = [...livePoints.value, { at: Date.parse(item.at), position }];
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
  function play(): void {
    stop();
    playing.value = true;
    playbackDay.value = playbackDay.value === null || playbackDay.value >= playbackDays.value - 1 ? 0 : playbackDay.value;
    stepTimer = setInterval(() => {
      if (playbackDay.value === null || playbackDay.value >= playbackDays.value - 1) {
        stop();
        playbackDay.value = null;
      } else playbackDay.value++;
    }, PLAYBACK_STEP_MS);
  }
  /** Shows one day (the slider); the last day is live. */
  function seek(day: number): void {
    stop();
    playbackDay.value = day >= playbackDays.value - 1 ? null : Math.max(0, Math.round(day));
  }
  if (options.playbackMinutes) {
    const minutes = options.playbackMinutes;
    const first = watch(points, (loaded) => {
      if (!loaded) return;
      first();
      play();
      replayTimer = setInterval(play, minutes * 60_000);
    });
  }

  window.__gridlinkWallIssueMap = {
    pulses: () => pulses.value.length,
    lastPulse: () => lastPulse,
    heatPoints: () => heatPoints.value,
    playbackDay: () => playbackDay.value,
    received: () => received,
  };

  onBeforeUnmount(() => {
    stop();
    abort?.abort();
    if (replayTimer) clearInterval(replayTimer);
    if (frame) cancelAnimationFrame(frame);
    delete window.__gridlinkWallIssueMap;
  });

  return { layers, metrics, heatPoints, playbackDay, playbackDays, windowDays, playing, shownDate, pulses, onIssue, play, stop, seek };
}
