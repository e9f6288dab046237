// The wall's view of the map: opens on the county or on ?community=, and with ?tour=N flies through the
// communities every N seconds. Someone touching the map (pointer, wheel, touch, key) pauses the tour; it
// resumes after a quiet while. Its state and place are written to the refs it is given (the wall's store: the
// header shows them).
import { onBeforeUnmount, watch, type Ref, type ShallowRef } from 'vue';
import type { Map as MapLibreMap, PaddingOptions } from 'maplibre-gl';
import type { WallCommunity } from '../api/wall-types';

export type TourState = 'off' | 'running' | 'paused';

/** Quiet seconds after a touch before the tour goes on (at least one period). */
const RESUME_AFTER_MIN_SECONDS = 30;
const FLY_MS = 3500;
/** Closest the tour comes to a small community. */
const MAX_ZOOM = 16.5;

type Bbox = [number, number, number, number];

function union(boxes: Bbox[]): Bbox | null {
  if (boxes.length === 0) return null;
  return boxes.reduce<Bbox>(
    (a, b) => [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])],
    [...boxes[0]],
  );
}

export function useWallTour(options: {
  map: ShallowRef<MapLibreMap | null>;
  communities: Ref<WallCommunity[]>;
  startCommunity: string | null;
  tourSeconds: number | null;
  /** The part of the screen the panels cover, in px. */
  padding: () => PaddingOptions;
  state: Ref<TourState>;
  /** The community shown (null: the county). */
  current: Ref<string | null>;
}) {
  const { state, current } = options;
  state.value = options.tourSeconds ? 'running' : 'off';
  current.value = options.startCommunity;
  let stepTimer: ReturnType<typeof setInterval> | undefined;
  let resumeTimer: ReturnType<typeof setTimeout> | undefined;
  let placed = false;
  let detach: (() => void) | undefined;

  function boxOf(id: string | null): Bbox | null {
    const list = options.communities.value;
    if (id === null) return union(list.map((c) => c.bbox));
    return list.find((c) => c.id === id)?.bbox ?? null;
  }

  /** The community the wall opens on (when it exists), or the county. */
  const openingId = () => (options.startCommunity && boxOf(options.startCommunity) ? options.startCommunity : null);

  function show(id: string | null, animate: boolean): void {
    const map = options.map.value;
    const box = boxOf(id);
    if (!map || !box) return;
    current.value = id;
    map.fitBounds(box, { ...fitOptions(), duration: animate ? FLY_MS : 0, essential: true });
  }
  const fitOptions = () => ({ padding: options.padding(), maxZoom: MAX_ZOOM });

  /** Where the map opens (null before the communities are known): the tour's first place. */
  function openingView(): { bounds: Bbox; fitBoundsOptions: ReturnType<typeof fitOptions> } | null {
    const box = boxOf(openingId());
    return box ? { bounds: box, fitBoundsOptions: fitOptions() } : null;
  }

  function step(): void {
    if (state.value !== 'running') return;
    const ids = options.communities.value.map((c) => c.id);
    if (ids.length === 0) return;
    const at = current.value === null ? -1 : ids.indexOf(current.value);
    show(ids[(at + 1) % ids.length], true);
  }

  function touched(): void {
    if (state.value === 'off') return;
    state.value = 'paused';
    if (resumeTimer) clearTimeout(resumeTimer);
    const quiet = Math.max(options.tourSeconds ?? 0, RESUME_AFTER_MIN_SECONDS);
    resumeTimer = setTimeout(() => {
      state.value = 'running';
      step();
    }, quiet * 1000);
  }

  function attach(map: MapLibreMap): void {
    const container = map.getContainer();
    const events = ['pointerdown', 'wheel', 'touchstart', 'keydown'] as const;
    for (const e of events) container.addEventListener(e, touched, { passive: true });
    detach = () => events.forEach((e) => container.removeEventListener(e, touched));
  }

  watch(
    [options.map, options.communities],
    ([map, communities]) => {
      if (!map || communities.length === 0 || placed) return;
      placed = true;
      attach(map);
      show(openingId(), false);
      if (options.tourSeconds) stepTimer = setInterval(step, options.tourSeconds * 1000);
    },
    { immediate: true },
  );

  onBeforeUnmount(() => {
    if (stepTimer) clearInterval(stepTimer);
    if (resumeTimer) clearTimeout(resumeTimer);
    detach?.();
  });

  return { openingView };
}
