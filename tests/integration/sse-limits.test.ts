import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { loadConfig, type Config } from '../../server/config.ts';
import { demoAccount, loginCookie, postJson } from '../helpers/auth.ts';
import { testPool } from '../helpers/db.ts';
import { openSse, type SseConnection } from '../helpers/wall-sse.ts';

/**
 * Live streams (GET /api/stream) are capped per session, per client address and per process. A session at its
 * cap gets a new stream anyway and its oldest one ends with a `replaced` event (an unattended wall reconnecting
 * after a network blip is never locked out by its own stale connection); an address or the process at its cap
 * gets 429 with Retry-After. Closed streams give their place back.
 */
const pool = testPool();
const servers: Server[] = [];
const open: SseConnection[] = [];

/** A second gridlink app on the test database with small caps; behind a trusted proxy when `proxied`. */
async function serve(stream: Config['stream'], proxied = false): Promise<string> {
  const base = loadConfig();
  const auth = { ...base.auth, trustProxy: proxied ? loadConfig({ TRUST_PROXY: 'loopback' }).auth.trustProxy : false };
  const app = await createApp({ ...base, port: 0, auth, stream }, pool);
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((r) => server.once('listening', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function stream(url: string, headers: Record<string, string> = {}): Promise<SseConnection> {
  const c = await openSse(`${url}/api/stream`, headers);
  open.push(c);
  return c;
}

/** A stream that must be admitted: 200 and a hello. */
async function admitted(url: string, headers: Record<string, string> = {}): Promise<SseConnection> {
  const c = await stream(url, headers);
  expect(c.status).toBe(200);
  await c.next((m) => m.event === 'hello', 5000);
  return c;
}

/** A stream that must be refused: 429, Retry-After, and a message saying which cap. */
async function refused(url: string, headers: Record<string, string>, retryAfter: string, message: RegExp) {
  const res = await fetch(`${url}/api/stream`, { headers: { accept: 'text/event-stream', ...headers } });
  expect(res.status).toBe(429);
  expect(res.headers.get('retry-after')).toBe(retryAfter);
  expect((await res.json()).error).toMatchObject({ code: 'TooManyStreams', message: expect.stringMatching(message) });
}

let adminCookie: string;
beforeAll(async () => {
  adminCookie = await loginCookie(demoAccount('admin'));
});
afterAll(async () => {
  for (const c of open) c.close();
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
  await pool.end();
});

describe('stream caps', () => {
  it('per address: the 4th stream of an address gets 429 with Retry-After; a closed one gives its place back', async () => {
    const url = await serve({ perSession: 4, perAddress: 3, perProcess: 100 });
    const first = await admitted(url);
    await admitted(url);
    await admitted(url);
    await refused(url, {}, '30', /at most 3 live streams per client address/);
    first.close();
    await first.ended;
    // The server sees the close a moment later.
    await expect
      .poll(
        async () => {
          const next = await stream(url);
          next.close();
          return next.status;
        },
        { timeout: 5000 },
      )
      .toBe(200);
  });

  it('per process: past the cap every address is refused, with a shorter Retry-After', async () => {
    const url = await serve({ perSession: 4, perAddress: 3, perProcess: 5 }, true);
    const from = (i: number) => ({ 'x-forwarded-for': `203.0.113.${i}` });
    for (let i = 1; i <= 5; i++) await admitted(url, from(i));
    await refused(url, from(6), '10', /already serves 5 live streams/);
    await refused(url, from(1), '10', /already serves 5 live streams/);
  });

  it('per session: a wall token reconnecting again and again is never locked out; its oldest stream ends with `replaced`', async () => {
    const url = await serve({ perSession: 2, perAddress: 16, perProcess: 100 });
    const created = await postJson(
      `${url}/api/admin/display-tokens`,
      { screen: 'stream caps' },
      { cookie: adminCookie, origin: url },
    );
    expect(created.status).toBe(201);
    const wall = { cookie: `gridlink_display=${(await created.json()).token}` };
    // Connections the wall has lost sight of (a network blip) but the server still holds.
    const stale = [await admitted(url, wall), await admitted(url, wall)];
    for (let i = 0; i < 6; i++) {
      const fresh = await admitted(url, wall);
      const oldest = stale.shift()!;
      const replaced = await oldest.next((m) => m.event === 'replaced', 5000);
      expect(JSON.parse(replaced.data).reason).toMatch(/newer stream/);
      await oldest.ended;
      stale.push(fresh);
    }
    // Other sessions are not touched: a leader's stream of the same address lives on beside them.
    const leader = await admitted(url, { cookie: await loginCookie(demoAccount('leader'), url) });
    await admitted(url, wall);
    expect(leader.messages.some((m) => m.event === 'replaced')).toBe(false);
  });

  it('STREAM_MAX_* settings: defaults 4, 16, 1000; whole numbers from 1 only', () => {
    expect(loadConfig({}).stream).toEqual({ perSession: 4, perAddress: 16, perProcess: 1000 });
    expect(
      loadConfig({ STREAM_MAX_PER_SESSION: '2', STREAM_MAX_PER_ADDRESS: '64', STREAM_MAX_PER_PROCESS: '5000' }).stream,
    ).toEqual({ perSession: 2, perAddress: 64, perProcess: 5000 });
    for (const bad of ['0', '-1', '1.5', 'many']) {
      expect(() => loadConfig({ STREAM_MAX_PER_ADDRESS: bad })).toThrow(
        /^STREAM_MAX_PER_ADDRESS must be a whole number/,
      );
    }
  });
});
