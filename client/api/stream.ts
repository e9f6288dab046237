// The live stream of the wall: GET /api/stream (Server-Sent Events). The browser's EventSource reconnects
// by itself after a network error (sending Last-Event-ID); when it gives up (an HTTP error, e.g. a proxy's
// 502 during a restart) this opens a new one with exponential backoff, passing the last id in the query.
import type { WallTickerItem } from './wall-types';

export const STREAM_URL = '/api/stream';

export type StreamStatus = 'connecting' | 'live' | 'reconnecting';

export interface StreamHandlers {
  /** Connected; `reconnected` is false only for the very first connection. */
  onHello(reconnected: boolean): void;
  onIssue(item: WallTickerItem): void;
  /** Events may have been missed (server restart, lost listener): refetch everything. */
  onResync(): void;
  /** The data version changed (a publish): refetch. */
  onData(): void;
  /** Any message at all, heartbeats included: the stream is alive. */
  onActivity(): void;
  onStatus(status: StreamStatus): void;
}

export interface StreamOptions {
  minDelayMs?: number;
  maxDelayMs?: number;
}

export interface StreamConnection {
  close(): void;
  /** Drops the connection as a network failure would, then reconnects with backoff (tests). */
  drop(): void;
}

function parse(event: MessageEvent): unknown {
  try {
    return JSON.parse(String(event.data)) as unknown;
  } catch {
    return null;
  }
}

export function openStream(handlers: StreamHandlers, options: StreamOptions = {}): StreamConnection {
  const minDelay = options.minDelayMs ?? 1000;
  const maxDelay = options.maxDelayMs ?? 30_000;
  let source: EventSource | null = null;
  let lastEventId = '';
  let delay = minDelay;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let hellos = 0;
  let closed = false;

  const remember = (event: MessageEvent) => {
    if (event.lastEventId) lastEventId = event.lastEventId;
    handlers.onActivity();
  };

  function connect(): void {
    if (closed) return;
    const url = lastEventId ? `${STREAM_URL}?lastEventId=${encodeURIComponent(lastEventId)}` : STREAM_URL;
    const es = new EventSource(url);
    source = es;
    handlers.onStatus(hellos === 0 ? 'connecting' : 'reconnecting');
    es.addEventListener('hello', (event) => {
      remember(event);
      delay = minDelay;
      handlers.onStatus('live');
      handlers.onHello(hellos++ > 0);
    });
    es.addEventListener('issue', (event) => {
      remember(event);
      const item = parse(event);
      if (item && typeof item === 'object' && typeof (item as WallTickerItem).id === 'number')
        handlers.onIssue(item as WallTickerItem);
    });
    es.addEventListener('resync', (event) => {
      remember(event);
      handlers.onResync();
    });
    es.addEventListener('data', (event) => {
      remember(event);
      handlers.onData();
    });
    es.addEventListener('heartbeat', (event) => remember(event));
    es.addEventListener('replaced', () => {
      // A newer stream of this session took its place (another page, over the server's cap): wait the longest
      // delay before coming back, so that pages of one session do not take turns.
      delay = maxDelay;
      handlers.onStatus('reconnecting');
      restart();
    });
    es.onerror = () => {
      if (closed || source !== es) return;
      handlers.onStatus('reconnecting');
      // CONNECTING: the browser retries by itself (after `retry:`). CLOSED: it gave up — start over.
      if (es.readyState === EventSource.CLOSED) restart();
    };
  }

  /** A new EventSource after the backoff delay, which doubles up to maxDelay until a hello arrives. */
  function restart(): void {
    source?.close();
    source = null;
    if (timer) clearTimeout(timer);
    timer = setTimeout(connect, delay);
    delay = Math.min(delay * 2, maxDelay);
  }

  connect();
  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      source?.close();
      source = null;
    },
    drop() {
      if (closed) return;
      handlers.onStatus('reconnecting');
      restart();
    },
  };
}
