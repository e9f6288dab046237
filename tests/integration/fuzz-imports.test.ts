import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_ACCOUNTS_FILE } from '../../server/auth/accounts.ts';
import { demoAccount, demoAccounts, loginCookie } from '../helpers/auth.ts';
import { testPool } from '../helpers/db.ts';
import { exportPlan, filesDir, newPlan, ogrSelect, shapefileSet } from '../helpers/plan-files.ts';
import { hostileGpkg, importCases, knownAttacks, type ImportSeeds } from '../fuzz/hostile-archives.ts';

/**
 * The planner's file import (POST /api/plan-files/preview and /apply) under generated hostile uploads
 * (tests/fuzz/hostile-archives.ts), after the known attacks once to each endpoint: zips with traversing, absolute, linked, over-long or duplicate members,
 * bombs, size lies, VRTs and random damage; GeoJSON with long field names and values, deep nesting, hostile
 * CRSs and geometries; damaged, truncated and hostile GeoPackages; hostile form fields. The valid seeds hold
 * units the county does not know, so no case can be applied. Every case: never a 5xx, an error in the API's
 * format, no demo password in the answer, no request to the local URL named in the files; and at the end no
 * table gained or lost a row. FUZZ_RUNS cases (default 120, about a minute; `FUZZ_RUNS=2000` for a long run).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 120);
const base = inject('baseUrl');
const pool = testPool();
const dir = filesDir('fuzz-imports-');
let cookie: string;
let seeds: ImportSeeds;
let http: Server;
let hits = 0;

async function rowCounts(): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ t: string }>(
    `select quote_ident(tablename) t from pg_tables where schemaname = 'public' order by 1`,
  );
  const counts: Record<string, number> = {};
  for (const { t } of rows) counts[t] = (await pool.query(`select count(*)::int n from ${t}`)).rows[0].n;
  return counts;
}

beforeAll(async () => {
  cookie = await loginCookie(demoAccount('planner'));
  http = createServer((_req, res) => {
    hits++;
    res.end('x');
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const id = await newPlan(cookie, 'fuzz imports source');
  const exported = await exportPlan(cookie, id, 'format=gpkg', path.join(dir, 'export.gpkg'));
  // The units renamed to ids the county does not have: an apply of a seed is refused (422), never written.
  const sql = `select 'NOPE' || unit_id as unit_id, grid_label, households, geom from units`;
  ogrSelect('ESRI Shapefile', path.join(dir, 'units.shp'), exported, 'units', sql);
  ogrSelect('GPKG', path.join(dir, 'units.gpkg'), exported, 'units', sql, '-lco', 'SPATIAL_INDEX=NO');
  const gpkg = readFileSync(path.join(dir, 'units.gpkg'));
  const otherFile = path.join(inject('dataDir'), DEMO_ACCOUNTS_FILE);
  seeds = {
    shapefile: shapefileSet(dir, 'units'),
    gpkg,
    hostileGpkgs: await Promise.all(
      (['trigger', 'virtual-table', 'view', 'generated-column'] as const).map((a) => hostileGpkg(gpkg, a, otherFile)),
    ),
    otherFile,
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/units.csv`,
  };
});
afterAll(async () => {
  await new Promise((resolve) => http.close(resolve));
  await pool.end();
});

describe('fuzzing the planner file import', () => {
  it(
    `answers ${RUNS} hostile uploads without a 5xx, a leak or a write`,
    { timeout: Math.max(180_000, RUNS * 1500) },
    async () => {
      const before = await rowCounts();
      const passwords = demoAccounts().map((a) => a.password);
      const statuses = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(importCases(seeds), fc.constantFrom('preview', 'apply'), async (c, route) => {
          const send = () => {
            const form = new FormData();
            for (const [k, v] of Object.entries(c.fields)) form.append(k, v);
            form.append('file', new Blob([new Uint8Array(c.file)]), c.fileName);
            return fetch(`${base}/api/plan-files/${route}`, { method: 'POST', body: form, headers: { cookie } });
          };
          // A kept-alive connection the server closes (after 5 s idle) just as it is reused fails the POST once;
          // a server that died would fail the second try too.
          const res = await send().catch(() => send());
          const text = await res.text();
          const key = `${route} ${res.status}`;
          statuses.set(key, (statuses.get(key) ?? 0) + 1);
          const where = `${route} ${c.label.slice(0, 200)} → ${res.status} ${text.slice(0, 300)}`;
          expect(res.status, where).toBeLessThan(500);
          expect(res.status, where).not.toBe(429);
          for (const p of passwords) expect(text.includes(p), `${where}: leaks a password`).toBe(false);
          if (route === 'apply' || res.status !== 200) {
            expect(res.status, where).toBeGreaterThanOrEqual(400);
            expect(JSON.parse(text).error.message, where).toBeTruthy();
          }
        }),
        {
          numRuns: RUNS,
          examples: knownAttacks(seeds).flatMap(
            (c) =>
              [
                [c, 'preview'],
                [c, 'apply'],
              ] as [typeof c, 'preview' | 'apply'][],
          ),
        },
      );
      console.log(`fuzz imports: ${RUNS} cases; statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
      expect(hits, 'requests to the URL named in the files').toBe(0);
      expect(await rowCounts()).toEqual(before);
    },
  );
});
