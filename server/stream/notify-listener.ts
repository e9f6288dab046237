/**
 * One dedicated PostgreSQL connection per server process that LISTENs on the gridlink channels and hands
 * every notification to `onNotify`. When the connection drops (database restart, network) it reconnects
 * with exponential backoff and calls `onReconnect`: notifications sent while it was away are lost, so
 * listeners must resynchronise.
 */
import pg from 'pg';
import { listenOn } from '../db/notify-channels.ts';

export interface NotifyListenerOptions {
  connection: pg.ClientConfig;
  channels: readonly string[];
  onNotify(channel: string, payload: string | undefined): void;
  /** Called after a reconnection (not after the first connection). */
  onReconnect(): void;
  log?: (line: string) => void;
  /** Backoff: first delay and ceiling, in ms. */
  minDelayMs?: number;
  maxDelayMs?: number;
}

export class NotifyListener {
  private client: pg.Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private delay: number;
  private closed = false;
  private everConnected = false;
  private connecting: Promise<void> | undefined;

  constructor(private readonly options: NotifyListenerOptions) {
    this.delay = options.minDelayMs ?? 500;
  }

  /** Connects (once); later calls are no-ops. Failures are retried in the background. */
  start(): void {
    if (this.client || this.connecting || this.timer || this.closed) return;
    this.connecting = this.connect().finally(() => (this.connecting = undefined));
  }

  get connected(): boolean {
    return this.client !== undefined;
  }

  /** Resolves true once listening, or false after `ms` without a connection. */
  async whenConnected(ms: number): Promise<boolean> {
    const end = Date.now() + ms;
    while (!this.client && !this.closed && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    return this.client !== undefined;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client(this.options.connection);
    let failed = false;
    const lost = (reason: string) => {
      if (failed) return;
      failed = true;
      if (this.client === client) this.client = undefined;
      client.removeAllListeners('notification');
      void client.end().catch(() => undefined);
      if (!this.closed) {
        this.options.log?.(`stream: database listener lost (${reason}); reconnecting in ${this.delay} ms`);
        this.schedule();
      }
    };
    client.on('error', (e) => lost(e.message));
    client.on('end', () => lost('connection ended'));
    client.on('notification', (n) => this.options.onNotify(n.channel, n.payload));
    try {
      await client.connect();
      await listenOn(client, this.options.channels);
    } catch (e) {
      lost(e instanceof Error ? e.message : String(e));
      return;
    }
    if (failed) return;
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.delay = this.options.minDelayMs ?? 500;
    if (this.everConnected) this.options.onReconnect();
    this.everConnected = true;
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    const wait = this.delay;
    this.delay = Math.min(this.delay * 2, this.options.maxDelayMs ?? 30_000);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.connecting = this.connect().finally(() => (this.connecting = undefined));
    }, wait);
    this.timer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.connecting?.catch(() => undefined);
    const client = this.client;
    this.client = undefined;
    if (client) {
      client.removeAllListeners();
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
    }
  }
}
