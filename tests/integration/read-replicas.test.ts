import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import type { GridlinkApp } from '../../server/app-context.ts';
import { loadConfig } from '../../server/config.ts';
import { announceFigures, bumpDataVersion } from '../../server/db/data-version.ts';
import { findLayer } from '../../server/db/layers.ts';
import { queryTile } from '../../server/db/tiles-repo.ts';
import { inTransaction } from '../../server/postgres/pool.ts';
import { demoAccount, postJson } from '../helpers/auth.ts';
import { COUNTY, databaseUrl, testPool } from '../helpers/db.ts';
import { caughtUp, compoundTile, queryOne, startStandby, waitFor, type Standby } from '../helpers/standby.ts';

/**
 * DATABASE_REPLICA_URLS against a real streaming standby of the test cluster (pg_basebackup -R): tiles and OGC
 * items are read there, writes go to the primary, a replica that stops costs no request, and a replica whose
 * replay is paused behind a publish serves no tile under the publish's version.
 */
const pool = testPool();
const primaryAdmin = inject('dbAdmin');
let standby: Standby | undefined;
let app: GridlinkApp;
let server: Server;
let url: string;

beforeAll(async () => {
  standby = await startStandby(primaryAdmin);
  const replicaUrl = databaseUrl({ ...inject('db'), host: standby.host, port: standby.port });
  const base = loadConfig();
  // A bound far above any pause in this file: the tile version check, not the lag bound, must keep stale tiles out.
  // No periodic check within a test: a replica that stops is found by the requests that fail on it.
  const replicas = { urls: [replicaUrl], maxLagMs: 600_000, checkEveryMs: 600_000 };
  app = await createApp({ ...base, port: 0, replicas }, pool);
  await app.context.reads.ready;
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 180_000);

afterAll(async () => {
  server?.close();
  await app?.context.close();
  await standby?.remove();
  await pool.end();
}, 120_000);

describe('read replicas', () => {
  it('reads tiles and OGC items on the replica, on connections the replica shows as its own', async () => {
    expect(app.context.reads.state()).toEqual([{ label: expect.stringContaining('gridlink'), healthy: true }]);
    expect(app.context.reads.state()[0].label).not.toContain(String(inject('db').password));
    const before = { ...app.context.reads.stats };
    const { z, x, y } = await compoundTile();
    const tile = await fetch(`${url}/tiles/compounds/${z}/${x}/${y}.mvt`);
    expect(tile.status).toBe(200);
    const bytes = Buffer.from(await tile.arrayBuffer());
    expect(bytes).toEqual(await queryTile(pool, findLayer('compounds')!, COUNTY, z, x, y));
    const items = await fetch(`${url}/ogc/collections/buildings/items?limit=3`);
    expect(items.status).toBe(200);
    expect((await items.json()).features).toHaveLength(3);
    expect(app.context.reads.stats.replica - before.replica).toBeGreaterThanOrEqual(2);
    expect(app.context.reads.stats.primary).toBe(before.primary);
    const seen = await queryOne<{ n: number; standby: boolean }>(
      standby!.admin,
      `select count(*)::int n, pg_is_in_recovery() standby from pg_stat_activity
       where application_name = 'gridlink read' and usename = 'gridlink'`,
    );
    expect(seen).toEqual({ n: expect.any(Number), standby: true });
    expect(seen.n).toBeGreaterThan(0);
  });

  it('writes on the primary: a login (a new session row) works and is read back at once', async () => {
    const account = demoAccount('reporter');
    const login = await postJson(`${url}/api/auth/login`, { username: account.username, password: account.password });
    expect(login.status).toBe(200);
    const cookie = login.headers.getSetCookie()[0].split(';')[0];
    const me = await fetch(`${url}/api/me`, { headers: { cookie } });
    expect(me.status).toBe(200);
    expect((await me.json()).username).toBe(account.username);
  });

  it('serves no tile of a newer data version from a replica whose replay is paused behind it', async () => {
    const c = await compoundTile();
    const layer = findLayer('compounds')!;
    // A committed transaction replayed before the pause: the replica's lag is then known (and under the bound).
    await queryOne(primaryAdmin, 'create temporary table replayed_commit ()');
    await caughtUp(primaryAdmin, standby!);
    await queryOne(standby!.admin, 'select pg_wal_replay_pause()');
    try {
      const renamed = `${c.name}（改）`;
      const version = await inTransaction(pool, async (client) => {
        await client.query('update compounds set name = $1 where id = $2', [renamed, c.id]);
        return bumpDataVersion(client, COUNTY);
      });
      const fresh = await queryTile(pool, layer, COUNTY, c.z, c.x, c.y);
      const before = { ...app.context.reads.stats };
      // Still picked for reads: what keeps the stale tile out is the version it holds.
      await app.context.reads.check();
      expect(app.context.reads.state()[0].healthy).toBe(true);
      const res = await fetch(`${url}/tiles/compounds/${c.z}/${c.x}/${c.y}.mvt?v=${version}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('etag')).toBe(`"compounds-${version}-${c.z}-${c.x}-${c.y}"`);
      // The replica still holds the old name: the tile came from the primary, and that is what is cached.
      expect(Buffer.from(await res.arrayBuffer())).toEqual(fresh);
      expect(app.context.reads.stats.primary).toBe(before.primary + 1);
      const again = await fetch(`${url}/tiles/compounds/${c.z}/${c.x}/${c.y}.mvt?v=${version}`);
      expect(again.headers.get('x-tile-cache')).toBe('hit');
      expect(Buffer.from(await again.arrayBuffer())).toEqual(fresh);
    } finally {
      await queryOne(standby!.admin, 'select pg_wal_replay_resume()');
      await inTransaction(pool, async (client) => {
        await client.query('update compounds set name = $1 where id = $2', [c.name, c.id]);
        await bumpDataVersion(client, COUNTY);
      });
    }
  });

  it('reads the wall figures on the replica while it holds every commit, on the primary while it is behind', async () => {
    await queryOne(primaryAdmin, 'create temporary table replayed_commit ()');
    await caughtUp(primaryAdmin, standby!);
    await app.context.reads.check();
    let before = { ...app.context.reads.stats };
    const first = await fetch(`${url}/api/wall/figures`);
    expect(first.status).toBe(200);
    expect(app.context.reads.stats.replica).toBeGreaterThan(before.replica);
    await queryOne(standby!.admin, 'select pg_wal_replay_pause()');
    try {
      const c = await compoundTile();
      await inTransaction(pool, async (client) => {
        await client.query('update compounds set name = name where id = $1', [c.id]);
        await announceFigures(client, COUNTY);
      });
      expect(app.context.reads.state()[0].healthy).toBe(true);
      before = { ...app.context.reads.stats };
      // The announcement moves the wall's cache on: the figures are computed again, on the primary.
      await waitFor(
        async () => (await fetch(`${url}/api/wall/figures`)).headers.get('x-wall-cache') === 'miss',
        'the wall figures computed again',
      );
      expect(app.context.reads.stats.replica).toBe(before.replica);
      expect(app.context.reads.stats.primary).toBeGreaterThan(before.primary);
    } finally {
      await queryOne(standby!.admin, 'select pg_wal_replay_resume()');
    }
  });

  it('answers every request while the replica is stopped under load, from the primary', async () => {
    await caughtUp(primaryAdmin, standby!);
    const statuses: number[] = [];
    let stopping = true;
    const stopped = standby!.stop().finally(() => (stopping = false));
    // Requests keep going while the standby shuts down, and after it is gone.
    for (let round = 0; stopping || round < 3; round++) {
      const answers = await Promise.all(
        [0, 1, 2, 3].map((i) => fetch(`${url}/ogc/collections/buildings/items?limit=5&offset=${round * 4 + i}`)),
      );
      statuses.push(...answers.map((r) => r.status));
      if (round > 10_000) break;
    }
    await stopped;
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(app.context.reads.stats.fallback).toBeGreaterThan(0);
    await waitFor(async () => !app.context.reads.state()[0].healthy, 'the replica marked down');
    const before = app.context.reads.stats.primary;
    expect((await fetch(`${url}/ogc/collections/buildings/items?limit=1`)).status).toBe(200);
    expect(app.context.reads.stats.primary).toBe(before + 1);
  });
});
