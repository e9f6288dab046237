/**
 * Caps on live streams (GET /api/stream): per session, per client address and per process, so that one
 * caller cannot hold every connection the process has. Counts are released when a stream closes.
 *
 * A session at its cap is not refused: its oldest stream is ended instead. Walls are unattended and
 * reconnect by themselves; after a network blip the server may still hold the wall's old connection (a dead
 * peer is noticed only when TCP gives up), and the wall must not be locked out by it. An address or the
 * process at its cap is refused (429 with Retry-After); the client backs off and tries again.
 */

export interface StreamCaps {
  perSession: number;
  perAddress: number;
  perProcess: number;
}

interface Entry {
  address: string;
  session: string | undefined;
  end: () => void;
  released: boolean;
}

export type Admission = { ok: true; release: () => void } | { ok: false; message: string; retryAfterSeconds: number };

/** Seconds a refused client is asked to wait (the process cap clears faster than one address's). */
const RETRY_PROCESS_SECONDS = 10;
const RETRY_ADDRESS_SECONDS = 30;

export class StreamLimits {
  private total = 0;
  private readonly byAddress = new Map<string, number>();
  /** Each session's streams, oldest first. */
  private readonly bySession = new Map<string, Entry[]>();

  constructor(readonly caps: StreamCaps) {}

  get count(): number {
    return this.total;
  }

  /**
   * Admits a new stream of `address` (and `session`, when the caller has one), or says why not. `end`
   * closes this stream should a newer one of the same session need its place.
   */
  admit(address: string, session: string | undefined, end: () => void): Admission {
    const mine = session === undefined ? undefined : this.bySession.get(session);
    const replaced = mine && mine.length >= this.caps.perSession ? mine[0] : undefined;
    const freed = replaced ? 1 : 0;
    const freedHere = replaced?.address === address ? 1 : 0;
    if (this.total - freed >= this.caps.perProcess) {
      return {
        ok: false,
        message: `this server already serves ${this.caps.perProcess} live streams, its most; try again shortly`,
        retryAfterSeconds: RETRY_PROCESS_SECONDS,
      };
    }
    if ((this.byAddress.get(address) ?? 0) - freedHere >= this.caps.perAddress) {
      return {
        ok: false,
        message: `at most ${this.caps.perAddress} live streams per client address; close one or try again later`,
        retryAfterSeconds: RETRY_ADDRESS_SECONDS,
      };
    }
    if (replaced) {
      this.release(replaced);
      replaced.end();
    }
    const entry: Entry = { address, session, end, released: false };
    this.total++;
    this.byAddress.set(address, (this.byAddress.get(address) ?? 0) + 1);
    if (session !== undefined) this.bySession.set(session, [...(this.bySession.get(session) ?? []), entry]);
    return { ok: true, release: () => this.release(entry) };
  }

  private release(entry: Entry): void {
    if (entry.released) return;
    entry.released = true;
    this.total--;
    const n = (this.byAddress.get(entry.address) ?? 1) - 1;
    if (n > 0) this.byAddress.set(entry.address, n);
    else this.byAddress.delete(entry.address);
    if (entry.session === undefined) return;
    const rest = (this.bySession.get(entry.session) ?? []).filter((e) => e !== entry);
    if (rest.length) this.bySession.set(entry.session, rest);
    else this.bySession.delete(entry.session);
  }
}
