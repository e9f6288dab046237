import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { COUNTY, testPool } from '../helpers/db.ts';
import { openSse, type SseConnection } from '../helpers/wall-sse.ts';

/**
 * GET /api/stream: LISTEN/NOTIFY fanned out as Server-Sent Events — ids, `retry:`, heartbeats, replay after
 * Last-Event-ID, a resync when the id is not known, the listener's reconnection and a clean close.
 */
const base = inject('baseUrl');
const pool = testPool();
const open: SseConnection[] = [];
let issue: { id: number; code: string; category_id: string; community_id: string };

async function connect(url = `${base}/api/stream`, headers: Record<string, string> = {}): Promise<SseConnection> {
  const c = await openSse(url, headers);
  open.push(c);
  return c;
}
const notify = (channel: string, payload: unknown) =>
  pool.query('select pg_notify($1, $2)', [channel, JSON.stringify(payload)]);

beforeAll(async () => {
  issue = (
    await pool.query(
      'select id::integer as id, code, category_id, community_id from issues where county_code = $1 order by id limit 1',
      [COUNTY],
    )
  ).rows[0];
});
afterAll(async () => {
  for (const c of open) c.close();
  await pool.end();
});

describe('GET /api/stream', () => {
  it('answers as an event stream with retry:, an id on every event and a hello', async () => {
    const s = await connect();
    expect(s.status).toBe(200);
    expect(s.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(s.headers.get('cache-control')).toMatch(/no-cache/);
    const first = await s.next(() => true);
    expect(first.retry).toBe(3000);
    const hello = await s.next((m) => m.event === 'hello');
    expect(hello.id).toMatch(/^[0-9a-z]+\.\d+$/);
    expect(JSON.parse(hello.data)).toMatchObject({ listening: true });
  });

  it('delivers a NOTIFY on gridlink_issues, with the ticker line and no person', async () => {
    const s = await connect();
    await s.next((m) => m.event === 'hello');
    await notify('gridlink_issues', { county: COUNTY, id: issue.id, state: 'accepted' });
    // How fast it arrives is measured by the stream benchmark (scripts/bench/stream.ts).
    const e = await s.next((m) => m.event === 'issue', 30_000);
    expect(e.id).toMatch(/^[0-9a-z]+\.\d+$/);
    const data = JSON.parse(e.data);
    expect(data).toMatchObject({
      id: issue.id,
      code: issue.code,
      state: 'accepted',
      categoryId: issue.category_id,
      communityId: issue.community_id,
    });
    expect(
      Object.keys(data).filter((k) => /reporter|phone|name$/i.test(k) && !/^(category|community)Name$/.test(k)),
    ).toEqual([]);
    expect(e.data).not.toMatch(/(?<![\d.])1[3-9]\d{9}(?!\d)/);
  });

  it('ignores other counties, forwards data-version bumps', async () => {
    const s = await connect();
    await s.next((m) => m.event === 'hello');
    await notify('gridlink_issues', { county: '999999', id: issue.id, state: 'void' });
    await notify('gridlink_data', { county: COUNTY, version: 7 });
    const e = await s.next((m) => m.event === 'data' || m.event === 'issue', 1000);
    expect(e.event).toBe('data');
    expect(JSON.parse(e.data)).toEqual({ version: 7 });
  });

  it('sends a heartbeat comment every 15 s', { timeout: 30_000 }, async () => {
    const s = await connect();
    const beat = await s.next((m) => m.comments.includes('heartbeat'), 16_500);
    expect(beat.event).toBe('heartbeat');
    expect(beat.id).toBeUndefined();
  });

  it('replays what a client missed after Last-Event-ID, and asks for a resync when the id is unknown', async () => {
    const s = await connect();
    // A second client that stays: once it has the last event, the process keeps it for a replay.
    const watcher = await connect();
    await s.next((m) => m.event === 'hello');
    await watcher.next((m) => m.event === 'hello');
    await notify('gridlink_issues', { county: COUNTY, id: issue.id, state: 'filed' });
    const seen = await s.next((m) => m.event === 'issue' && JSON.parse(m.data).state === 'filed', 1000);
    s.close();
    await notify('gridlink_issues', { county: COUNTY, id: issue.id, state: 'dispatched' });
    await notify('gridlink_issues', { county: COUNTY, id: issue.id, state: 'signed' });
    await watcher.next((m) => m.event === 'issue' && JSON.parse(m.data).state === 'signed', 1000);
    watcher.close();

    const again = await connect(`${base}/api/stream`, { 'last-event-id': seen.id! });
    await again.next((m) => m.event === 'issue' && JSON.parse(m.data).state === 'signed', 1000);
    const replayed = again.messages.filter((m) => m.event === 'issue').map((m) => JSON.parse(m.data).state);
    expect(replayed).toEqual(['dispatched', 'signed']);
    expect(again.messages.some((m) => m.event === 'resync')).toBe(false);

    // The same through the query (a new EventSource cannot set the header).
    const byQuery = await connect(`${base}/api/stream?lastEventId=${encodeURIComponent(seen.id!)}`);
    await byQuery.next((m) => m.event === 'issue' && JSON.parse(m.data).state === 'signed', 1000);

    // An id of another server process (before a restart): refetch everything.
    const foreign = await connect(`${base}/api/stream`, { 'last-event-id': 'zzzz.5' });
    const resync = await foreign.next((m) => m.event === 'resync', 1000);
    expect(JSON.parse(resync.data)).toEqual({ reason: 'unknown-last-event-id' });
  });

  it(
    'reconnects its database listener after losing it, tells clients to resync, and stays live',
    { timeout: 20_000 },
    async () => {
      const s = await connect();
      await s.next((m) => m.event === 'hello');
      const from = s.messages.length;
      const killed = await pool.query(
        `select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike 'listen %' and pid <> pg_backend_pid()`,
      );
      expect(killed.rowCount).toBeGreaterThan(0);
      await s.next((m) => m.event === 'resync', 10_000, from);
      await notify('gridlink_issues', { county: COUNTY, id: issue.id, state: 'handling' });
      await s.next((m) => m.event === 'issue' && JSON.parse(m.data).state === 'handling', 1000, from);
    },
  );

  it('ends every stream and its database connection when the server stops', async () => {
    const config = { ...loadConfig(), port: 0 };
    const own = testPool();
    const app = await createApp(config, own);
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/stream`;
    const s = await connect(url);
    await s.next((m) => m.event === 'hello');
    const listeners = async () =>
      Number(
        (
          await pool.query(
            `select count(*) from pg_stat_activity where datname = current_database() and query ilike 'listen %'`,
          )
        ).rows[0].count,
      );
    expect(await listeners()).toBe(2);
    await app.context.close();
    await s.ended;
    await new Promise<void>((r) => server.close(() => r()));
    await own.end();
    const end = Date.now() + 3000;
    while ((await listeners()) !== 1 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    expect(await listeners()).toBe(1);
  });
});
