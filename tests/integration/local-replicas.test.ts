import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import type { GridlinkApp } from '../../server/app-context.ts';
import { loadConfig } from '../../server/config.ts';
import { findLayer } from '../../server/db/layers.ts';
import { queryTile } from '../../server/db/tiles-repo.ts';
import { startLocalReplicas, standbyUrl, type Standby } from '../../server/postgres/standby.ts';
import { prepareDatabase } from '../../server/start.ts';
import { Health } from '../../shared/api/health.ts';
import { COUNTY, testPool } from '../helpers/db.ts';
import { compoundTile } from '../helpers/standby.ts';

/**
 * `npm start -- --replicas N`: the standbys the start path makes of the private cluster (in DATA_DIR/pg-replica-K),
 * serving tiles, shown by /api/health without their address, made once and only started on the next start.
 */
const pool = testPool();
const dataDir = inject('dataDir');
const lines: string[] = [];
let standbys: Standby[] = [];
let app: GridlinkApp | undefined;
let server: Server | undefined;

afterAll(async () => {
  server?.close();
  await app?.context.close();
  await Promise.all(standbys.map((s) => s.stop()));
  fs.rmSync(path.join(dataDir, 'pg-replica-1'), { recursive: true, force: true });
  await pool.end();
}, 120_000);

describe('local read replicas', () => {
  it('are refused with DATABASE_URL, pointing to DATABASE_REPLICA_URLS', async () => {
    const config = { ...loadConfig(), port: 0, databaseUrl: 'postgresql://someone@/elsewhere' };
    await expect(prepareDatabase(config, 1)).rejects.toThrow(/DATABASE_REPLICA_URLS/);
  });

  it('serve a tile from a standby made with progress lines, and /api/health shows it by index only', async () => {
    standbys = await startLocalReplicas(dataDir, 1, inject('dbAdmin'), (l) => lines.push(l));
    expect(lines.some((l) => l.startsWith('Making a read replica'))).toBe(true);
    expect(standbys[0].host).toBe(path.join(dataDir, 'pg-replica-1', 'run'));
    const url = standbyUrl(inject('db'), standbys[0]);
    const base = loadConfig();
    app = await createApp(
      { ...base, port: 0, replicas: { urls: [url], maxLagMs: 600_000, checkEveryMs: 600_000 } },
      pool,
    );
    await app.context.reads.ready;
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server!.once('listening', r));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const before = app.context.reads.stats.replica;
    const { z, x, y } = await compoundTile();
    const tile = await fetch(`${origin}/tiles/compounds/${z}/${x}/${y}.mvt`);
    expect(tile.status).toBe(200);
    expect(Buffer.from(await tile.arrayBuffer())).toEqual(
      await queryTile(pool, findLayer('compounds')!, COUNTY, z, x, y),
    );
    expect(app.context.reads.stats.replica).toBe(before + 1);

    const res = await fetch(`${origin}/api/health`);
    const text = await res.text();
    const health = Health.parse(JSON.parse(text));
    expect(health).toMatchObject({ status: 'ok', replicas: { count: 1, healthy: 1 } });
    if (health.status !== 'ok') throw new Error('unhealthy');
    expect(health.replicas.each).toEqual([{ index: 0, healthy: true, lagMs: expect.any(Number) }]);
    for (const secret of [dataDir, String(inject('db').password), 'pg-replica', 'postgresql:'])
      expect(text).not.toContain(secret);
  });

  it('are made once: the next start only starts the standby, which streams again', async () => {
    await Promise.all(standbys.map((s) => s.stop()));
    lines.length = 0;
    standbys = await startLocalReplicas(dataDir, 1, inject('dbAdmin'), (l) => lines.push(l));
    expect(lines.some((l) => l.startsWith('Making'))).toBe(false);
    expect(lines.some((l) => l.startsWith('Starting the read replica'))).toBe(true);
    await app!.context.reads.check();
    expect(app!.context.reads.health()).toEqual([{ index: 0, healthy: true, lagMs: expect.any(Number) }]);
  });
});
