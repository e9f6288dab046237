import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { COUNTY, testPool } from '../helpers/db.ts';
import {
  api,
  demoGrids,
  demoSession,
  freePoint,
  freshSession,
  issueRowCounts,
  report,
} from '../helpers/issues-fixtures.ts';
import { cellCentreOf, metresBetween } from '../helpers/public-cells.ts';

/**
 * The duplicate check must not be a distance oracle: a report near an open one of the same category gets a 409
 * that says such a report exists nearby (its code, category and the centre of its ≈120 m cell), never how far
 * it is or where exactly; and every such answer spends the account's hourly report budget (REPORTS_PER_HOUR,
 * 20 in the test server), so a flood of probes ends in 429, on the app's path and on Open311's.
 */
const pool = testPool();
const base = inject('baseUrl');
const BUDGET = 20;
let grids: Awaited<ReturnType<typeof demoGrids>>;
afterAll(() => pool.end());
beforeAll(async () => {
  grids = await demoGrids(pool);
});

/** A report by a fresh account at a point with no open report of the category within 60 m: the only candidate. */
async function lonelyReport(gridId: string, categoryId: string): Promise<any> {
  const owner = await freshSession(pool, 'reporter');
  const res = await api('POST', '/api/issues', owner.cookie, {
    category: categoryId,
    description: '原始上报',
    ...(await freePoint(pool, gridId, categoryId)),
  });
  expect(res.status).toBe(201);
  return res.body;
}

/** Every number in a JSON text (to show none of them is a distance or an exact coordinate). */
const numbersIn = (text: string) => (text.match(/-?\d+(\.\d+)?/g) ?? []).map(Number);

describe('the duplicate offer (409)', () => {
  it('names the open report nearby, its category and cell, but no distance and no exact point', async () => {
    const original = await lonelyReport(grids.workerGrid, 'manhole_cover');
    const prober = await freshSession(pool, 'reporter');
    for (const dLat of [0.00009, 0.00018, 0.00036]) {
      // About 10, 20 and 40 m north of the original: the answers must not differ by anything but the ids of time.
      const res = await api('POST', '/api/issues', prober.cookie, {
        category: 'manhole_cover',
        description: '井盖缺失',
        lon: original.lon,
        lat: original.lat + dLat,
      });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('PossibleDuplicate');
      const [c] = res.body.error.details.candidates;
      expect(Object.keys(c).sort()).toEqual(['categoryId', 'categoryName', 'cell', 'code', 'createdAt', 'id', 'state']);
      expect(c).toMatchObject({ id: original.id, code: original.code, categoryId: 'manhole_cover', state: 'reported' });
      const centre = cellCentreOf(original.lon, original.lat);
      expect(c.cell[0]).toBeCloseTo(centre[0], 6);
      expect(c.cell[1]).toBeCloseTo(centre[1], 6);
      expect(metresBetween(c.cell, [original.lon, original.lat])).toBeGreaterThan(1);
      const text = JSON.stringify(res.body);
      expect(text).not.toMatch(/distance|metres|m away/i);
      // No number in the answer is the exact longitude or latitude, nor a distance to the probe (1–60 m).
      for (const n of numbersIn(text)) {
        expect(Math.abs(n - original.lon)).toBeGreaterThan(1e-6);
        expect(Math.abs(n - original.lat)).toBeGreaterThan(1e-6);
      }
      const probeDistance = Math.round(
        metresBetween([original.lon, original.lat], [original.lon, original.lat + dLat]),
      );
      expect(numbersIn(res.body.error.message)).not.toContain(probeDistance);
    }
  });

  it('spends the report budget: a flood of probes gets 429 with Retry-After, and the probes write no issue', async () => {
    const original = await lonelyReport(grids.communityGrid, 'manhole_cover');
    const prober = await freshSession(pool, 'reporter');
    const before = await issueRowCounts(pool);
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let k = 0; k < BUDGET + 3; k++) {
      const res = await fetch(`${base}/api/issues`, {
        method: 'POST',
        headers: { cookie: prober.cookie, 'content-type': 'application/json' },
        body: JSON.stringify({
          category: 'manhole_cover',
          description: '探测',
          lon: original.lon + (k % 7) * 0.00003,
          lat: original.lat + Math.floor(k / 7) * 0.00003,
        }),
      });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
    }
    expect(statuses.slice(0, BUDGET)).toEqual(Array(BUDGET).fill(409));
    expect(statuses.slice(BUDGET)).toEqual([429, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(await issueRowCounts(pool)).toEqual(before);
    // The account cannot file a report either until the hour has passed; another account still can.
    const filed = await api('POST', '/api/issues', prober.cookie, {
      category: 'manhole_cover',
      description: '另一件',
      lon: original.lon,
      lat: original.lat,
      join: false,
    });
    expect(filed.status).toBe(429);
    expect(
      (await report(pool, (await freshSession(pool, 'reporter')).cookie, grids.communityGrid, 'manhole_cover')).state,
    ).toBe('reported');
    // Every probe is in the audit log under the prober's account.
    const { rows } = await pool.query(
      `select count(*)::int as n from audit_log where county_code = $1 and action = 'issue.duplicate_probe' and actor_user_id = $2`,
      [COUNTY, prober.userId],
    );
    expect(rows[0].n).toBe(BUDGET);
  });

  it('concurrent probes cannot overspend the budget', async () => {
    const original = await lonelyReport(grids.otherCommunityGrid, 'manhole_cover');
    const prober = await freshSession(pool, 'reporter');
    const results = await Promise.all(
      Array.from({ length: BUDGET + 10 }, (_, k) =>
        api('POST', '/api/issues', prober.cookie, {
          category: 'manhole_cover',
          description: '并发探测',
          lon: original.lon + k * 0.00001,
          lat: original.lat,
        }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 409)).toHaveLength(BUDGET);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
  });
});

describe('Open311 near an open request', () => {
  it('joins it and says so without a distance, and a flood of such requests gets 429', async () => {
    const admin = await demoSession('admin');
    const keyed = await freshSession(pool, 'reporter');
    const created = await api('POST', '/api/admin/api-keys', admin, { user_id: keyed.userId, name: 'probe test' });
    expect(created.status).toBe(201);
    // The probes walk up to ~25 m north of it: no other open report may be within 50 m of any of them, so its
    // point has 100 m clear, in a grid the other tests report little in.
    const owner = await freshSession(pool, 'reporter');
    const point = await freePoint(pool, grids.otherCommunityGrid, 'street_litter', false, 100);
    const filed = await api('POST', '/api/issues', owner.cookie, {
      category: 'street_litter',
      description: '原始上报',
      ...point,
    });
    expect(filed.status).toBe(201);
    const original = filed.body;
    const statuses: number[] = [];
    for (let k = 0; k < BUDGET + 2; k++) {
      const res = await fetch(`${base}/open311/v2/requests.json`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          api_key: created.body.apiKey,
          service_code: 'street_litter',
          description: `探测 ${k}`,
          lat: String(original.lat + k * 0.00001),
          long: String(original.lon),
        }).toString(),
      });
      statuses.push(res.status);
      const body = await res.json();
      if (res.status === 201) {
        // The joined request's code and the fixed radius (50 m), nothing that depends on where the probe was.
        const notice: string = body[0].service_notice;
        expect(notice).toContain(original.code);
        expect(notice).not.toMatch(/away|相距|distance/i);
        const rest = notice.replace(original.code, '');
        expect(numbersIn(rest)).toEqual([50]);
      }
    }
    expect(statuses.slice(0, BUDGET)).toEqual(Array(BUDGET).fill(201));
    expect(statuses.slice(BUDGET)).toEqual([429, 429]);
  });
});
