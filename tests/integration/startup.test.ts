import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { adminPool, databaseUrl } from '../helpers/db.ts';
import { freePort, processRunner } from '../helpers/processes.ts';

const { run, killAll } = processRunner();
const dirs: string[] = [];

afterAll(() => {
  killAll();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** The server entry point, as `npm start` runs it. */
const startServer = (env: Record<string, string>) => run('server/main.ts', [], env);

describe('npm start on an empty DATA_DIR', () => {
  it('creates the database, loads the demo data with progress, serves, refuses a second start, stops cleanly', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridlink-start-'));
    dirs.push(dataDir);
    const port = await freePort();
    const first = startServer({ DATA_DIR: dataDir, PORT: String(port) });
    await first.waitFor('Ready:');
    expect(first.output()).toContain('Creating a private PostgreSQL cluster');
    expect(first.output()).toMatch(/\[100%\] social_organisations: 85 rows/);

    const health = await (await fetch(`http://127.0.0.1:${port}/api/health`)).json();
    expect(health).toMatchObject({ status: 'ok', db: 'ok' });
    // The private cluster listens on a unix socket only.
    expect(fs.existsSync(path.join(dataDir, 'run', '.s.PGSQL.5432'))).toBe(true);

    const samePort = startServer({ DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'gridlink-port-')), PORT: String(port) });
    expect(await samePort.exited).toBe(1);
    expect(samePort.output()).toContain(`port ${port}`);

    const sameDir = startServer({ DATA_DIR: dataDir, PORT: String(await freePort()) });
    expect(await sameDir.exited).toBe(1);
    expect(sameDir.output()).toContain('in use by another gridlink server');

    // Twice, as a launcher passing Ctrl-C on does: the second signal must not cut the stop short.
    first.child.kill('SIGTERM');
    await first.waitFor('SIGTERM: stopping');
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('Stopped.');
    expect(fs.existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
  });

  it('fails with a clear message when DATABASE_URL cannot be reached', async () => {
    const s = startServer({ DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none', PORT: String(await freePort()) });
    expect(await s.exited).toBe(1);
    expect(s.output()).toContain('cannot start');
  });

  it('says so when the database at DATABASE_URL has no PostGIS and may not install it', async () => {
    // A database whose owner is no superuser: PostGIS is not a trusted extension, so it cannot be created.
    const admin = adminPool();
    await admin.query('drop database if exists no_postgis');
    await admin.query('drop role if exists no_postgis');
    await admin.query(`create role no_postgis login password 'no-postgis-pw'`);
    await admin.query('create database no_postgis owner no_postgis');
    await admin.end();
    const url = databaseUrl({ ...inject('db'), user: 'no_postgis', password: 'no-postgis-pw', database: 'no_postgis' });
    const s = startServer({ DATABASE_URL: url, PORT: String(await freePort()) });
    expect(await s.exited).toBe(1);
    expect(s.output()).toContain('the database has no PostGIS');
    expect(s.output()).toContain('postgresql-15-postgis-3');
  });
});
