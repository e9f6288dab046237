// The wall's live data: the figures (refetched after each event, a resync or a reconnection), the ticker
// of the latest issue events from the stream, and how fresh all of it is. Opened when the wall is shown and
// closed when it goes (the wall's store holds it; no component owns it).
import { computed, ref, shallowRef } from 'vue';
import { fetchWallFigures } from '../api/wall';
import { openStream, type StreamConnection, type StreamStatus } from '../api/stream';
import type { WallFigures, WallTickerItem } from '../api/wall-types';

/** Lines the ticker keeps. */
export const TICKER_LENGTH = 20;
/** Events arrive in bursts: refetch the figures once per burst (at most once per this many ms). */
const REFETCH_DEBOUNCE_MS = 1500;
const RETRY_FIGURES_MS = 10_000;

declare global {
  interface Window {
    /** The wall's live stream, for e2e tests only (drop() simulates a network failure). */
    __gridlinkWallStream?: StreamConnection;
  }
}

export interface WallTickerEntry extends WallTickerItem {
  /** Arrived on the stream (not in the initial list): shown highlighted. */
  live: boolean;
  key: string;
}

export function createWallLive(onIssue: (item: WallTickerItem) => void) {
  const figures = shallowRef<WallFigures | null>(null);
  const figuresStatus = ref<'loading' | 'loaded' | 'error'>('loading');
  const ticker = ref<WallTickerEntry[]>([]);
  const streamStatus = ref<StreamStatus>('connecting');
  /** Last message of the stream (heartbeats too), or the opening: what staleness counts from. */
  const lastActivityAt = ref(Date.now());
  /** Last message of the stream; null before the first. */
  const lastMessageAt = ref<number | null>(null);
  /** Last time the figures were loaded. */
  const updatedAt = ref<number | null>(null);
  const now = ref(Date.now());
  const staleAfterSeconds = ref(0);
  let seq = 0;
  let refetchTimer: ReturnType<typeof setTimeout> | undefined;
  let clockTimer: ReturnType<typeof setInterval> | undefined;
  let stream: StreamConnection | null = null;
  let abort: AbortController | null = null;
  /** Until the first live event (and again after a resync) the ticker shows the database's latest events. */
  let tickerFromDatabase = true;

  async function loadFigures(): Promise<void> {
    abort?.abort();
    const controller = (abort = new AbortController());
    try {
      const loaded = await fetchWallFigures(controller.signal);
      if (controller.signal.aborted) return;
      figures.value = loaded;
      figuresStatus.value = 'loaded';
      updatedAt.value = Date.now();
      if (tickerFromDatabase)
        ticker.value = loaded.recentEvents.map((e) => ({ ...e, live: false, key: `db-${++seq}` }));
    } catch {
      if (controller.signal.aborted) return;
      if (!figures.value) figuresStatus.value = 'error';
      scheduleRefetch(RETRY_FIGURES_MS);
    }
  }

  /** At most one refetch per REFETCH_DEBOUNCE_MS: a steady flow of events must not postpone it for ever. */
  function scheduleRefetch(ms = REFETCH_DEBOUNCE_MS): void {
    if (refetchTimer) return;
    refetchTimer = setTimeout(() => {
      refetchTimer = undefined;
      void loadFigures();
    }, ms);
  }

  function pushIssue(item: WallTickerItem): void {
    // A photo added to a case is no news for the room: no ticker line, no pulse.
    if (item.photo) return;
    tickerFromDatabase = false;
    ticker.value = [{ ...item, live: true, key: `live-${++seq}` }, ...ticker.value].slice(0, TICKER_LENGTH);
    onIssue(item);
    scheduleRefetch();
  }

  /** Events may have been missed: everything again from the database, the ticker too. */
  function resync(): void {
    tickerFromDatabase = true;
    void loadFigures();
  }

  /** Starts afresh: every wall shown begins loading, whatever an earlier one had. */
  function open(staleAfter: number): void {
    close();
    figures.value = null;
    figuresStatus.value = 'loading';
    ticker.value = [];
    streamStatus.value = 'connecting';
    lastActivityAt.value = now.value = Date.now();
    lastMessageAt.value = updatedAt.value = null;
    staleAfterSeconds.value = staleAfter;
    tickerFromDatabase = true;
    void loadFigures();
    stream = openStream({
      onHello: (reconnected) => {
        if (reconnected) resync();
      },
      onIssue: pushIssue,
      onResync: resync,
      onData: () => scheduleRefetch(),
      onActivity: () => (lastActivityAt.value = lastMessageAt.value = Date.now()),
      onStatus: (status) => (streamStatus.value = status),
    });
    window.__gridlinkWallStream = stream;
    clockTimer = setInterval(() => (now.value = Date.now()), 500);
  }

  function close(): void {
    stream?.close();
    if (window.__gridlinkWallStream === stream) delete window.__gridlinkWallStream;
    stream = null;
    abort?.abort();
    if (refetchTimer) clearTimeout(refetchTimer);
    refetchTimer = undefined;
    if (clockTimer) clearInterval(clockTimer);
    clockTimer = undefined;
  }

  /** Silent (or disconnected) for longer than the threshold. */
  const stale = computed(() => now.value - lastActivityAt.value > staleAfterSeconds.value * 1000);

  return { figures, figuresStatus, ticker, streamStatus, lastMessageAt, updatedAt, now, stale, open, close };
}
