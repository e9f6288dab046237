import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { COUNTY, get, testPool } from '../helpers/db.ts';
import { demoGrids, demoSession, report } from '../helpers/issues-fixtures.ts';
import { openSse, type SseConnection } from '../helpers/wall-sse.ts';
import type { WallFigures } from '../../server/db/wall-repo.ts';

/**
 * The wall's aggregates are computed once per stream position and shared: many screens asking at once cost
 * one computation (X-Wall-Cache says which answer was computed), and a notification — a new issue, a data
 * change — makes the next answer a fresh one.
 */
const base = inject('baseUrl');
const pool = testPool();
let stream: SseConnection;

beforeAll(async () => {
  stream = await openSse(`${base}/api/stream`);
  await stream.next((m) => m.event === 'hello');
  // Answers come from the cache only while the listener is connected.
  await vi.waitFor(async () => expect((await (await get('/api/health')).json()).stream).toBe('listening'), {
    timeout: 20_000,
    interval: 200,
  });
});
afterAll(async () => {
  stream.close();
  await pool.end();
});

async function figures(path = '/api/wall/figures'): Promise<{ cache: string | null; body: WallFigures }> {
  const res = await get(path);
  expect(res.status).toBe(200);
  return { cache: res.headers.get('x-wall-cache'), body: (await res.json()) as WallFigures };
}

/** A data change announced the way a publish does, seen by the process once the stream passes it on. */
async function dataChange(): Promise<void> {
  const from = stream.messages.length;
  await pool.query('select pg_notify($1, $2)', ['gridlink_data', JSON.stringify({ county: COUNTY })]);
  await stream.next((m) => m.event === 'data', 10_000, from);
}

describe('wall aggregates cache', () => {
  it.each(['/api/wall/figures', '/api/wall/grid-metrics', '/api/wall/issue-points'])(
    '%s: twelve screens at once, one computation',
    async (path) => {
      await dataChange();
      const answers = await Promise.all(Array.from({ length: 12 }, () => figures(path)));
      expect(answers.filter((a) => a.cache === 'miss')).toHaveLength(1);
      expect(answers.filter((a) => a.cache === 'hit')).toHaveLength(11);
      expect(new Set(answers.map((a) => a.body.generatedAt)).size).toBe(1);
      // And later requests still get the same computation.
      const again = await figures(path);
      expect(again.cache).toBe('hit');
      expect(again.body.generatedAt).toBe(answers[0].body.generatedAt);
    },
  );

  it('a new issue makes the next answer a fresh computation that counts it', async () => {
    const before = await figures();
    const cached = await figures();
    expect(cached.cache).toBe('hit');
    const { workerGrid } = await demoGrids(pool);
    const from = stream.messages.length;
    const created = await report(pool, await demoSession('grid_worker'), workerGrid);
    await stream.next((m) => m.event === 'issue' && JSON.parse(m.data).id === created.id, 10_000, from);
    const after = await figures();
    expect(after.cache).toBe('miss');
    expect(Date.parse(after.body.generatedAt)).toBeGreaterThan(Date.parse(before.body.generatedAt));
    const reports = (f: WallFigures) => f.issues!.reports.value!;
    // Other tests may report meanwhile: at least this one more.
    expect(reports(after.body)).toBeGreaterThanOrEqual(reports(before.body) + 1);
    expect(after.body.recentEvents.some((e) => e.id === created.id)).toBe(true);
  });
});
