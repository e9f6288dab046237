import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { COUNTY, get, testPool } from '../helpers/db.ts';
import { RUNNING_STATES } from '../../shared/issue-states.ts';
import type { WallGridMetrics, WallIssuePoints } from '../../server/db/wall-map-repo.ts';
import { demoGrids, demoSession, report } from '../helpers/issues-fixtures.ts';
import { openSse } from '../helpers/wall-sse.ts';
import { cellCentreOf } from '../helpers/public-cells.ts';
import { publicCount } from '../../server/community/small-groups.ts';

/**
 * The wall map's endpoints against the test database: issue positions for the heat and the playback (what
 * the rows say, and nothing about a person), and the grid metrics of the choropleth, each recomputed here in
 * TypeScript from the raw rows.
 */
const pool = testPool();
const DAY = 86_400_000;
afterAll(() => pool.end());

async function json<T>(path: string): Promise<T> {
  const res = await get(path);
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe('no-store');
  return (await res.json()) as T;
}

describe('GET /api/wall/issue-points', () => {
  let answer: WallIssuePoints;
  beforeAll(async () => {
    answer = await json<WallIssuePoints>('/api/wall/issue-points');
  });

  it('is sent gzipped to clients that accept it (a fraction of the bytes), and plain to the others', async () => {
    const ask = (encoding: string) =>
      fetch(`${inject('baseUrl')}/api/wall/issue-points`, { headers: { 'accept-encoding': encoding } });
    const [zipped, plain] = await Promise.all([ask('gzip'), ask('identity')]);
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(zipped.headers.get('vary')).toMatch(/accept-encoding/i);
    const plainBody = await plain.text();
    expect(Number(plain.headers.get('content-length'))).toBe(Buffer.byteLength(plainBody));
    expect(Number(zipped.headers.get('content-length'))).toBeLessThan(Buffer.byteLength(plainBody) / 2);
    const unzipped = (await zipped.json()) as WallIssuePoints;
    expect(unzipped.points.length).toBeGreaterThan(0);
    expect(Object.keys(unzipped)).toEqual(Object.keys(JSON.parse(plainBody)));
  });

  it('holds every report of the playback and its heat window, in the heat cell and at the time it was made', async () => {
    const from = Date.parse(answer.from);
    const now = Date.parse(answer.generatedAt);
    expect(now - from).toBe((answer.playbackDays + answer.windowDays) * DAY);
    const { rows } = await pool.query<{ lon: number; lat: number; at: Date; major: string }>(
      `select st_x(i.location) as lon, st_y(i.location) as lat, i.created_at as at, coalesce(c.parent_id, c.id) as major
       from issues i join issue_categories c on c.county_code = i.county_code and c.id = i.category_id
       where i.county_code = $1 and i.state not in ('duplicate', 'void') order by i.created_at, i.id`,
      [COUNTY],
    );
    const expected = rows.filter((r) => r.at.getTime() >= from && r.at.getTime() <= now);
    expect(expected.length).toBeGreaterThan(50);
    expect(answer.points.length).toBe(expected.length);
    answer.points.forEach(([lon, lat, t, ix], k) => {
      const r = expected[k];
      const [cellLon, cellLat] = cellCentreOf(r.lon, r.lat);
      expect(lon).toBeCloseTo(cellLon, 5);
      expect(lat).toBeCloseTo(cellLat, 5);
      expect(Math.abs(from + t * 1000 - r.at.getTime())).toBeLessThanOrEqual(500);
      expect(answer.categories[ix].id).toBe(r.major);
    });
  });

  it('says nothing about a person', () => {
    const text = JSON.stringify(answer);
    expect(Object.keys(answer).sort()).toEqual([
      'categories',
      'from',
      'generatedAt',
      'playbackDays',
      'points',
      'windowDays',
    ]);
    expect(answer.points.every((p) => p.length === 4 && p.every((v) => typeof v === 'number'))).toBe(true);
    expect(text).not.toMatch(/reporter|phone|description|1[3-9]\d{9}/);
  });
});

describe('GET /api/wall/grid-metrics', () => {
  it('gives every grid its households, reports, overdue issues and party members, and the rates', async () => {
    const answer = await json<WallGridMetrics>('/api/wall/grid-metrics');
    const now = Date.parse(answer.generatedAt);
    const households = new Map<string, number>();
    for (const b of (
      await pool.query<{ grid_id: string; households: number }>(
        'select grid_id, households from buildings where county_code = $1',
        [COUNTY],
      )
    ).rows) {
      households.set(b.grid_id, (households.get(b.grid_id) ?? 0) + b.households);
    }
    const issues = (
      await pool.query<{ grid_id: string; created_at: Date; deadline: Date | null; state: string }>(
        'select grid_id, created_at, deadline, state from issues where county_code = $1',
        [COUNTY],
      )
    ).rows;
    const party = (
      await pool.query<{ grid_id: string | null }>(
        'select grid_id from people where county_code = $1 and party_member',
        [COUNTY],
      )
    ).rows;
    const grids = (
      await pool.query<{ id: string }>('select id from grids where county_code = $1 order by id', [COUNTY])
    ).rows;
    expect(answer.grids.map((g) => g.id)).toEqual(grids.map((g) => g.id));
    let withReports = 0;
    for (const g of answer.grids) {
      const hh = households.get(g.id) ?? 0;
      const mine = issues.filter((i) => i.grid_id === g.id);
      const reports = mine.filter(
        (i) =>
          i.created_at.getTime() >= now - answer.periodDays * DAY &&
          i.created_at.getTime() < now &&
          !['duplicate', 'void'].includes(i.state),
      ).length;
      const overdue = mine.filter(
        (i) => i.deadline && i.deadline.getTime() < now && RUNNING_STATES.includes(i.state as never),
      ).length;
      // Party members are published by the small-group rule (server/community/small-groups.ts).
      const members = publicCount(party.filter((p) => p.grid_id === g.id).length);
      expect(g, g.id).toEqual({
        id: g.id,
        households: hh,
        reports,
        overdue,
        partyMembers: members,
        issuesPer100Households: hh === 0 ? null : expect.closeTo((reports * 100) / hh, 9),
        partyMembersPer100Households: hh === 0 || members === null ? null : expect.closeTo((members * 100) / hh, 9),
      });
      if (reports > 0) withReports++;
    }
    expect(withReports).toBeGreaterThan(10);
  });
});

describe('the live stream', () => {
  it('tells in which heat cell a new report was made (its centre), so the wall can pulse there', async () => {
    const base = inject('baseUrl');
    const wall = await openSse(`${base}/api/stream`);
    try {
      await wall.next((m) => m.event === 'hello');
      const { workerGrid } = await demoGrids(pool);
      const created = await report(pool, await demoSession('grid_worker'), workerGrid);
      const event = await wall.next((m) => m.event === 'issue' && JSON.parse(m.data).id === Number(created.id), 3000);
      const data = JSON.parse(event.data);
      const { rows } = await pool.query(
        'select st_x(location) as lon, st_y(location) as lat from issues where county_code = $1 and id = $2',
        [COUNTY, created.id],
      );
      const [cellLon, cellLat] = cellCentreOf(rows[0].lon, rows[0].lat);
      expect(data.lon).toBeCloseTo(cellLon, 7);
      expect(data.lat).toBeCloseTo(cellLat, 7);
    } finally {
      wall.close();
    }
  });
});
