/**
 * Server-Sent Events for the wall displays (GET /api/stream), fed by the process's one NotifyListener.
 * Every event gets an id `<boot>.<seq>`; the last BUFFER_SIZE are kept, so a client reconnecting with
 * Last-Event-ID from this process gets what it missed. An id from another process (a restart) or one too
 * old gets a `resync` event instead: the client refetches its figures. A heartbeat every 15 s (a comment,
 * and a `heartbeat` event the page can see) keeps proxies from closing the connection and tells the page
 * the stream is alive.
 */
import type { Request, Response } from 'express';
import { NotifyListener } from './notify-listener.ts';
import type pg from 'pg';
import { DATA_CHANNEL, ISSUES_CHANNEL } from '../db/notify-channels.ts';

export interface StreamEvent {
  id: string;
  event: string;
  data: unknown;
}

export interface StreamHubOptions {
  connection: pg.ClientConfig;
  countyCode: string;
  /** Turns a notification into the event clients get (e.g. adds what the ticker shows); undefined: drop it. */
  enrich(channel: string, payload: Record<string, unknown>): Promise<{ event: string; data: unknown } | undefined>;
  /** Runs after close(), once the last enrich has finished. */
  onClose?(): Promise<void>;
  heartbeatMs?: number;
  /** The browser's reconnection delay sent as `retry:`. */
  retryMs?: number;
  log?: (line: string) => void;
}

const BUFFER_SIZE = 500;
const LISTEN_WAIT_MS = 2000;

/** Sees every notification of the listener; channel undefined: it reconnected and some may have been lost. */
export type NotifyWatcher = (channel: string | undefined, payload: Record<string, unknown> | undefined) => void;

export class StreamHub {
  /** Unique per process, also among the workers of `--workers N` started in the same millisecond. */
  readonly boot = Date.now().toString(36) + process.pid.toString(36);
  private seq = 0;
  private readonly buffer: StreamEvent[] = [];
  private readonly clients = new Set<Response>();
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly listener: NotifyListener;
  /** Notifications are handled one after the other, so events keep the order of the commits. */
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly watchers: NotifyWatcher[] = [];

  constructor(private readonly options: StreamHubOptions) {
    this.listener = new NotifyListener({
      connection: options.connection,
      channels: [ISSUES_CHANNEL, DATA_CHANNEL],
      onNotify: (channel, payload) => this.onNotify(channel, payload),
      onReconnect: () => {
        for (const w of this.watchers) w(undefined, undefined);
        this.publish('resync', { reason: 'listener-reconnected' });
      },
      log: options.log,
      // A database restart is usually seconds: come back soon after it does.
      maxDelayMs: 4000,
    });
  }

  /**
   * Passes every notification to `watcher` too (e.g. the tile cache follows the data version); listening
   * starts now rather than with the first stream client, so that every server process follows the changes.
   */
  watch(watcher: NotifyWatcher): void {
    this.watchers.push(watcher);
    if (!this.closed) this.listener.start();
  }

  /** Whether the database listener is connected (health). */
  get listening(): boolean {
    return this.listener.connected;
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Answers one GET /api/stream: headers, `retry:`, missed events or a resync, then live events. */
  async subscribe(req: Request, res: Response): Promise<void> {
    if (this.closed) {
      res.status(503).end();
      return;
    }
    this.listener.start();
    this.startHeartbeat();
    // The first subscriber starts the listener: wait (briefly) so that `hello` means "live from here on".
    await this.listener.whenConnected(LISTEN_WAIT_MS);
    if (this.closed || req.socket.destroyed) {
      res.status(503).end();
      return;
    }
    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    req.socket.setNoDelay(true);
    req.socket.setTimeout(0);
    res.write(`retry: ${this.options.retryMs ?? 3000}\n: gridlink stream ${this.boot}\n\n`);
    const lastId = lastEventIdOf(req);
    this.clients.add(res);
    const drop = () => this.clients.delete(res);
    res.on('close', drop);
    res.on('error', drop);
    write(res, {
      id: this.currentId(),
      event: 'hello',
      data: { boot: this.boot, serverTime: new Date().toISOString(), listening: this.listener.connected },
    });
    if (lastId) {
      const missed = this.missedSince(lastId);
      if (missed) for (const e of missed) write(res, e);
      else write(res, { id: this.currentId(), event: 'resync', data: { reason: 'unknown-last-event-id' } });
    }
  }

  /** Sends an event to every client (and keeps it for those reconnecting). */
  publish(event: string, data: unknown): StreamEvent {
    const e: StreamEvent = { id: `${this.boot}.${++this.seq}`, event, data };
    this.buffer.push(e);
    if (this.buffer.length > BUFFER_SIZE) this.buffer.shift();
    for (const res of this.clients) write(res, e);
    return e;
  }

  /** Ends every stream and the database listener (server stop). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    for (const res of this.clients) res.end();
    this.clients.clear();
    await this.listener.close();
    await this.queue.catch(() => undefined);
    await this.options.onClose?.();
  }

  private currentId(): string {
    return `${this.boot}.${this.seq}`;
  }

  /** Events after `lastId`, or undefined when it is not one of this process's or too old to replay. */
  private missedSince(lastId: string): StreamEvent[] | undefined {
    const [boot, seqText] = lastId.split('.');
    const seq = Number(seqText);
    if (boot !== this.boot || !Number.isInteger(seq) || seq > this.seq) return undefined;
    if (seq === this.seq) return [];
    const first = this.buffer[0] ? Number(this.buffer[0].id.split('.')[1]) : this.seq + 1;
    if (seq + 1 < first) return undefined;
    return this.buffer.filter((e) => Number(e.id.split('.')[1]) > seq);
  }

  private startHeartbeat(): void {
    if (this.heartbeat || this.closed) return;
    this.heartbeat = setInterval(() => {
      const chunk = `: heartbeat\nevent: heartbeat\ndata: ${JSON.stringify({ at: new Date().toISOString() })}\n\n`;
      for (const res of this.clients) res.write(chunk);
    }, this.options.heartbeatMs ?? 15_000);
    this.heartbeat.unref();
  }

  private onNotify(channel: string, payload: string | undefined): void {
    let parsed: Record<string, unknown> = {};
    try {
      const value: unknown = payload ? JSON.parse(payload) : {};
      if (value && typeof value === 'object' && !Array.isArray(value)) parsed = value as Record<string, unknown>;
    } catch {
      parsed = {};
    }
    if (typeof parsed.county === 'string' && parsed.county !== this.options.countyCode) return;
    for (const w of this.watchers) w(channel, parsed);
    this.queue = this.queue
      .then(async () => {
        const out = await this.options.enrich(channel, parsed);
        if (out && !this.closed) this.publish(out.event, out.data);
      })
      .catch((e: unknown) =>
        this.options.log?.(
          `stream: could not forward a ${channel} notification: ${e instanceof Error ? e.message : String(e)}`,
        ),
      );
  }
}

function write(res: Response, e: StreamEvent): void {
  res.write(`id: ${e.id}\nevent: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`);
}

/** The Last-Event-ID header (the browser's own reconnection) or `?lastEventId=` (a new EventSource). */
function lastEventIdOf(req: Request): string | undefined {
  const header = req.get('last-event-id');
  const query = typeof req.query.lastEventId === 'string' ? req.query.lastEventId : undefined;
  const id = (header || query || '').trim();
  return /^[0-9a-z]{1,16}\.[0-9]{1,15}$/.test(id) ? id : undefined;
}
