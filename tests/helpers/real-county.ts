// A second server, on the test database, for a county of no data but its row in counties: a real county (its
// manifest not synthetic) to check what must never be labelled a demo. Registers the file's hooks.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import type pg from 'pg';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { readCountyManifest } from '../../server/demo/data-set.ts';
import { upsertCounty } from '../../server/db/counties-repo.ts';
import type { CountyManifest } from '../../shared/county-manifest.ts';
import { MAP_TABLES } from '../../server/db/county-import-repo.ts';

/** Every row an import of the county `code` wrote: its map, its counties row, data versions and audit rows. */
export async function removeCounty(pool: pg.Pool, code: string): Promise<void> {
  for (const t of [...MAP_TABLES, 'counties', 'data_versions', 'audit_log'])
    await pool.query(`delete from ${t} where county_code = $1`, [code]);
}

/** The server's origin, known from the first hook on. */
export function useRealCounty(pool: pg.Pool, code: string, manifest: Partial<CountyManifest> = {}): () => string {
  const config = loadConfig();
  beforeAll(async () => {
    const demo = readCountyManifest(config.demoDataDir);
    await upsertCounty(pool, code, { ...demo, ...manifest, code, synthetic: false });
  });
  afterAll(async () => {
    await pool.query('delete from counties where county_code = $1', [code]);
  });
  return useCountyServer(pool, code);
}

/** A second server on the test database serving the county `code` (its row written by the caller). */
export function useCountyServer(pool: pg.Pool, code: string): () => string {
  const config = loadConfig();
  let app: Awaited<ReturnType<typeof createApp>> | undefined;
  let server: ReturnType<NonNullable<typeof app>['listen']> | undefined;
  let origin = '';
  beforeAll(async () => {
    app = await createApp({ ...config, port: 0, countyCode: code }, pool);
    const listening = app.listen(0, '127.0.0.1');
    server = listening;
    await new Promise((r) => listening.once('listening', r));
    origin = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.close();
    await app?.context.close();
  });
  return () => origin;
}
