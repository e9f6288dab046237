import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startCluster, startPostgres, stopPostgres } from '../../server/postgres/cluster.ts';
import { pgBinDir } from '../../server/postgres/binaries.ts';
import { isSuperuser } from '../../server/postgres/migrate.ts';
import { adminPool, testPool } from '../helpers/db.ts';
import { processRunner } from '../helpers/processes.ts';

/**
 * The embedded cluster trusts nobody: the app logs in with a password as a role that is no superuser and owns
 * gridlink's schema only; a cluster of the earlier version (trust, the app as its superuser) is upgraded in place.
 */
const pool = testPool();
const dirs: string[] = [];
afterAll(async () => {
  await pool.end();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const isRoot = process.getuid?.() === 0;
/** PostgreSQL's own programs, as the postgres user when the tests run as root (as the cluster code does). */
function asPostgres(bin: string, args: string[]): void {
  const file = path.join(pgBinDir(), bin);
  if (isRoot) execFileSync('runuser', ['-u', 'postgres', '--', file, ...args], { stdio: 'pipe' });
  else execFileSync(file, args, { stdio: 'pipe' });
}

async function connects(config: pg.ClientConfig): Promise<true | string> {
  const client = new pg.Client(config);
  try {
    await client.connect();
    return true;
  } catch (e) {
    return (e as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function query<T extends pg.QueryResultRow>(config: pg.ClientConfig, sql: string): Promise<T[]> {
  const client = new pg.Client(config);
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** Every setting line of pg_hba.conf, comments and blank lines left out. */
const hbaLines = (dataDir: string) =>
  fs
    .readFileSync(path.join(dataDir, 'pg', 'pg_hba.conf'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

/** Password login on the socket for everyone; WAL streaming (read replicas) for the superuser only. */
const PASSWORD_ONLY_HBA = [
  expect.stringMatching(/^local\s+all\s+all\s+scram-sha-256$/),
  expect.stringMatching(/^local\s+replication\s+postgres\s+scram-sha-256$/),
];

const oldBackup = (dir: string) => path.join(dir, 'earlier.dump');
let upgradedDir = '';

const ownership = `
  select c.relname as name, c.relkind as kind, pg_get_userbyid(c.relowner) as owner from pg_class c
  where c.relnamespace = 'gridlink'::regnamespace and c.relkind in ('r', 'v', 'S', 'm', 'p') order by 1`;

describe('the database role of the app', () => {
  it('is no superuser and may not read pg_authid, run a program or read server files', async () => {
    const { rows } = await pool.query(
      `select rolname, rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls from pg_roles where rolname = current_user`,
    );
    expect(rows[0]).toEqual({
      rolname: 'gridlink',
      rolsuper: false,
      rolcreaterole: false,
      rolcreatedb: false,
      rolreplication: false,
      rolbypassrls: false,
    });
    await expect(pool.query('select * from pg_authid')).rejects.toThrow(/permission denied/);
    await expect(pool.query(`copy (select 1) to program 'true'`)).rejects.toThrow(
      /permission denied|must be superuser/,
    );
    await expect(pool.query(`select pg_read_file('postgresql.conf')`)).rejects.toThrow(/permission denied/);
    await expect(pool.query(`create table public.intruder (id int)`)).rejects.toThrow(/permission denied/);
  });

  it('is told apart from a superuser, whom a DATABASE_URL start warns about', async () => {
    const admin = adminPool();
    try {
      expect(await isSuperuser(pool)).toBe(false);
      expect(await isSuperuser(admin)).toBe(true);
    } finally {
      await admin.end();
    }
  });

  it('owns gridlink’s tables, views and sequences, in the schema gridlink, and nothing of the system', async () => {
    const { rows } = await pool.query<{ name: string; kind: string; owner: string }>(ownership);
    expect(rows.filter((r) => r.kind === 'r').length).toBeGreaterThan(20);
    expect(rows.map((r) => r.name)).toEqual(expect.arrayContaining(['issues', 'grids', 'schema_migrations']));
    expect(rows.filter((r) => r.owner !== 'gridlink')).toEqual([]);
    const elsewhere = await pool.query(`
      select c.relname from pg_class c where c.relowner = current_user::regrole and c.relnamespace <> 'gridlink'::regnamespace
        and c.relkind not in ('t', 'i')`);
    expect(elsewhere.rows).toEqual([]);
    const system = await pool.query(`
      select 1 from pg_class where relowner = current_user::regrole and relnamespace = 'pg_catalog'::regnamespace
      union all select 1 from pg_proc where proowner = current_user::regrole
      union all select 1 from pg_namespace where nspowner = current_user::regrole and nspname <> 'gridlink'
      union all select 1 from pg_database where datdba = current_user::regrole`);
    expect(system.rowCount).toBe(0);
  });

  it('logs in only with its password, and so does the superuser', async () => {
    const db = inject('db');
    expect(db.password).toMatch(/^[\w-]{32}$/);
    expect(await connects({ ...db, password: 'wrong' })).toMatch(/password authentication failed/);
    expect(await connects({ ...db, password: undefined })).toMatch(/password/);
    expect(await connects({ ...db, user: 'postgres', password: 'wrong' })).toMatch(/password authentication failed/);
    expect(await connects(db)).toBe(true);
    expect(hbaLines(inject('dataDir'))).toEqual(PASSWORD_ONLY_HBA);
  });

  it('keeps both passwords in DATA_DIR/pgpass, readable by its owner only', () => {
    const file = path.join(inject('dataDir'), 'pgpass');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain(`:gridlink:${inject('db').password}\n`);
    expect(text).toMatch(/^\*:\*:\*:postgres:[\w-]{32}$/m);
  });

  it(
    'upgrades a cluster of the earlier version (trust, the app as superuser, tables in public) in place',
    { timeout: 120_000 },
    async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridlink-upgrade-'));
      dirs.push(dir);
      fs.chmodSync(dir, 0o755);
      for (const sub of ['pg', 'run']) {
        fs.mkdirSync(path.join(dir, sub), { mode: 0o700 });
        if (isRoot) execFileSync('chown', ['postgres:postgres', path.join(dir, sub)]);
      }
      // What the earlier version did: initdb with its superuser gridlink and trust, the tables in public.
      asPostgres('initdb', [
        '-D',
        path.join(dir, 'pg'),
        '-U',
        'gridlink',
        '--auth=trust',
        '-E',
        'UTF8',
        '--no-locale',
        '--no-instructions',
      ]);
      await startPostgres(dir);
      const old = { host: path.join(dir, 'run'), port: 5432, user: 'gridlink' };
      try {
        await query({ ...old, database: 'postgres' }, 'create database gridlink');
        await query(
          { ...old, database: 'gridlink' },
          `
        create extension postgis;
        create table schema_migrations (name text primary key);
        insert into schema_migrations values ('001_schema.sql');
        create table grids (id serial primary key, name text not null, geom geometry(Point, 4326));
        insert into grids (name, geom) values ('A', st_point(107, 37, 4326)), ('B', st_point(107.1, 37.1, 4326));
        create sequence ticket_seq;
        create view grid_names as select name from grids;`,
        );
        // Its backup, as db:backup of that version made it.
        execFileSync(path.join(pgBinDir(), 'pg_dump'), [
          '--format=custom',
          '--no-owner',
          `--file=${oldBackup(dir)}`,
          `host=${old.host} dbname=gridlink user=gridlink`,
        ]);
      } finally {
        await stopPostgres(dir);
      }

      const lines: string[] = [];
      const cluster = await startCluster(dir, (l) => lines.push(l));
      try {
        expect(lines.join('\n')).toMatch(/Securing the database of an earlier gridlink/);
        const app = cluster.connection;
        expect(app.user).toBe('gridlink');
        const [me] = await query<{ user: string; rolsuper: boolean }>(
          app,
          'select current_user as user, rolsuper from pg_roles where rolname = current_user',
        );
        expect(me).toEqual({ user: 'gridlink', rolsuper: false });
        // Same rows, now in gridlink's schema, the app's, and still usable: the sequence of the serial moved along.
        expect(await query(app, 'select name from grid_names order by 1')).toEqual([{ name: 'A' }, { name: 'B' }]);
        await query(app, `insert into grids (name) values ('C'); select nextval('ticket_seq')`);
        expect(await query(app, 'select id, name from grids order by id')).toEqual([
          { id: 1, name: 'A' },
          { id: 2, name: 'B' },
          { id: 3, name: 'C' },
        ]);
        expect(await query(app, ownership)).toEqual([
          { name: 'grid_names', kind: 'v', owner: 'gridlink' },
          { name: 'grids', kind: 'r', owner: 'gridlink' },
          { name: 'grids_id_seq', kind: 'S', owner: 'gridlink' },
          { name: 'schema_migrations', kind: 'r', owner: 'gridlink' },
          { name: 'ticket_seq', kind: 'S', owner: 'gridlink' },
        ]);
        await expect(query(app, `copy (select 1) to program 'true'`)).rejects.toThrow(
          /permission denied|must be superuser/,
        );
        // The earlier superuser is now postgres, with a password; nobody comes in without one.
        const [admin] = await query<{ user: string; rolsuper: boolean }>(
          cluster.adminConnection,
          'select current_user as user, rolsuper from pg_roles where rolname = current_user',
        );
        expect(admin).toEqual({ user: 'postgres', rolsuper: true });
        expect(await connects({ ...app, password: 'wrong' })).toMatch(/password authentication failed/);
        expect(await connects({ ...old, database: 'gridlink' })).toMatch(/password/);
        expect(hbaLines(dir)).toEqual(PASSWORD_ONLY_HBA);
        expect(fs.statSync(path.join(dir, 'pgpass')).mode & 0o777).toBe(0o600);
      } finally {
        await cluster.stop();
      }

      // Started again: nothing left to upgrade, the same passwords still work.
      const again: string[] = [];
      const second = await startCluster(dir, (l) => again.push(l));
      try {
        expect(again.join('\n')).not.toMatch(/earlier gridlink|Moving/);
        expect(await query(second.connection, 'select count(*)::int as n from grids')).toEqual([{ n: 3 }]);
      } finally {
        await second.stop();
      }
      upgradedDir = dir;
    },
  );

  it(
    'restores a backup of the earlier version (tables in public) into gridlink’s schema, the app’s',
    { timeout: 120_000 },
    async () => {
      expect(upgradedDir, 'the upgrade case made the backup').not.toBe('');
      const fresh = path.join(upgradedDir, 'fresh');
      const { run, killAll } = processRunner();
      try {
        const restore = run('scripts/db-restore.ts', [oldBackup(upgradedDir)], { DATA_DIR: fresh });
        expect(await restore.exited, restore.output()).toBe(0);
        expect(restore.output()).toMatch(/Moving 4 tables and views of an earlier gridlink/);
      } finally {
        killAll();
      }
      const cluster = await startCluster(fresh, () => undefined);
      try {
        expect(await query(cluster.connection, 'select name from grid_names order by 1')).toEqual([
          { name: 'A' },
          { name: 'B' },
        ]);
        expect(await query(cluster.connection, ownership)).toEqual([
          { name: 'grid_names', kind: 'v', owner: 'gridlink' },
          { name: 'grids', kind: 'r', owner: 'gridlink' },
          { name: 'grids_id_seq', kind: 'S', owner: 'gridlink' },
          { name: 'schema_migrations', kind: 'r', owner: 'gridlink' },
          { name: 'ticket_seq', kind: 'S', owner: 'gridlink' },
        ]);
        await query(cluster.connection, `insert into grids (name) values ('C')`);
        expect(await query(cluster.connection, `select id from grids where name = 'C'`)).toEqual([{ id: 3 }]);
      } finally {
        await cluster.stop();
      }
    },
  );
});
