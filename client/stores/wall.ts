// The command-centre wall's shared state: its settings (from the URL), the live figures and ticker with the
// stream's state and freshness (composables/wall-live.ts), the tour's place, and whether the map has drawn its
// first view. The panels read it; the map subscribes to the reports arriving on the stream (pulses, heat).
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { LocationQuery } from 'vue-router';
import type { WallTickerItem } from '../api/wall-types';
import { createWallLive } from '../composables/wall-live';
import type { TourState } from '../composables/wall-tour';
import { parseWallQuery, type WallSettings } from '../composables/wall-url';

/** The period of the figures until the server has said it. */
const DEFAULT_PERIOD_DAYS = 30;

export const useWallStore = defineStore('wall', () => {
  const settings = shallowRef<WallSettings>(parseWallQuery({}));
  const issueListeners = new Set<(item: WallTickerItem) => void>();
  const live = createWallLive((item) => issueListeners.forEach((listener) => listener(item)));
  const { figures } = live;
  /** The map has drawn its first view (or failed to): the trend chart's code loads after it. */
  const mapSettled = shallowRef(false);
  /** Set by the tour (composables/wall-tour.ts). */
  const tourState = ref<TourState>('off');
  /** The community the tour shows (null: the county). */
  const tourCommunity = ref<string | null>(null);

  const periodDays = computed(() => figures.value?.periodDays ?? DEFAULT_PERIOD_DAYS);
  const communities = computed(() => figures.value?.communities ?? []);
  /** Where the wall looks: the legend gives the cells' ground size there. */
  const mapLatitude = computed(() => {
    const boxes = communities.value.map((c) => c.bbox);
    return boxes.length ? boxes.reduce((s, b) => s + (b[1] + b[3]) / 2, 0) / boxes.length : 0;
  });
  /** The latest word from the server: figures loaded or a stream message (heartbeats say nothing changed). */
  const freshAt = computed(() => Math.max(live.lastMessageAt.value ?? 0, live.updatedAt.value ?? 0));

  /** The wall is shown, configured by its URL: load the figures, open the stream. */
  function open(query: LocationQuery): void {
    settings.value = parseWallQuery(query);
    mapSettled.value = false;
    live.open(settings.value.staleAfterSeconds);
  }

  /** Called with each report arriving on the stream (not photos); returns the unsubscribe. */
  function onIssue(listener: (item: WallTickerItem) => void): () => void {
    issueListeners.add(listener);
    return () => issueListeners.delete(listener);
  }

  return {
    settings,
    figures,
    figuresStatus: live.figuresStatus,
    ticker: live.ticker,
    streamStatus: live.streamStatus,
    now: live.now,
    stale: live.stale,
    freshAt,
    periodDays,
    communities,
    mapLatitude,
    mapSettled,
    tourState,
    tourCommunity,
    open,
    close: live.close,
    onIssue,
  };
});
