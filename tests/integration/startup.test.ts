import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createPool } from '../../server/postgres/pool.ts';
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

    const samePort = startServer({
      DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'gridlink-port-')),
      PORT: String(port),
    });
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

  it(
    'runs on a database a DBA set up as the README says, as a role of its own; warns when DATABASE_URL is a superuser',
    { timeout: 400_000 },
    async () => {
      const admin = adminPool();
      await admin.query('drop database if exists gl_dba');
      await admin.query('drop role if exists gl_dba');
      await admin.query(
        `create role gl_dba login password 'gl-dba-pw' nosuperuser nocreatedb nocreaterole noreplication`,
      );
      await admin.query('create database gl_dba owner postgres');
      await admin.end();
      const dba = createPool({ ...inject('dbAdmin'), database: 'gl_dba', max: 1 });
      try {
        await dba.query('create extension if not exists postgis schema public');
        await dba.query('revoke create on schema public from public');
        await dba.query('create schema gl_dba authorization gl_dba');
        await dba.query('alter role gl_dba in database gl_dba set search_path = gl_dba, public');

        const own = startServer({
          DATABASE_URL: databaseUrl({ ...inject('db'), user: 'gl_dba', password: 'gl-dba-pw', database: 'gl_dba' }),
          PORT: String(await freePort()),
        });
        await own.waitFor('Ready:');
        expect(own.output()).not.toContain('WARNING');
        own.child.kill('SIGTERM');
        expect(await own.exited).toBe(0);
        const { rows } = await dba.query<{ schema: string; owner: string; n: number }>(`
        select schemaname as schema, tableowner as owner, count(*)::int as n from pg_tables
        where schemaname in ('gl_dba', 'public') group by 1, 2 order by 1, 2`);
        expect(rows).toEqual([
          { schema: 'gl_dba', owner: 'gl_dba', n: expect.any(Number) },
          { schema: 'public', owner: 'postgres', n: 1 }, // PostGIS's spatial_ref_sys
        ]);
        expect(rows[0].n).toBeGreaterThan(20);

        await dba.query('alter role postgres in database gl_dba set search_path = gl_dba, public');
        const superuser = startServer({
          DATABASE_URL: databaseUrl({ ...inject('dbAdmin'), database: 'gl_dba' }),
          PORT: String(await freePort()),
        });
        await superuser.waitFor('Ready:');
        expect(superuser.output()).toContain('WARNING: DATABASE_URL logs in as a superuser');
        superuser.child.kill('SIGTERM');
        expect(await superuser.exited).toBe(0);
      } finally {
        await dba.end();
        const cleanup = adminPool();
        await cleanup.query('drop database if exists gl_dba with (force)');
        await cleanup.query('drop role if exists gl_dba');
        await cleanup.end();
      }
    },
  );
});
