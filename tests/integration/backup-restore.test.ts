import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startCluster } from '../../server/postgres/cluster.ts';
import { pgBinDir } from '../../server/postgres/binaries.ts';
import { databaseUrl } from '../helpers/db.ts';
import { processRunner } from '../helpers/processes.ts';

/** npm run db:backup of the test database, npm run db:restore into a fresh embedded cluster: every table's count is the same. */
const { run, killAll } = processRunner();
const dirs: string[] = [];
afterAll(() => {
  killAll();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

async function counts(config: pg.ClientConfig): Promise<Record<string, number>> {
  const client = new pg.Client(config);
  await client.connect();
  try {
    const { rows } = await client.query<{ t: string }>(
      `select quote_ident(tablename) t from pg_tables where schemaname = current_schema() order by 1`,
    );
    const out: Record<string, number> = {};
    for (const { t } of rows) out[t] = (await client.query(`select count(*)::int n from ${t}`)).rows[0].n;
    return out;
  } finally {
    await client.end();
  }
}

/**
 * PG_BIN_DIR for the scripts: PostgreSQL's programs, with pg_dump and pg_restore behind a script that notes each
 * call's command line and whether the password came by PGPASSWORD or PGPASSFILE.
 */
function wrappedPgBin(work: string) {
  const dir = path.join(work, 'bin');
  const log = path.join(work, 'calls.log');
  fs.mkdirSync(dir, { mode: 0o755 });
  for (const name of fs.readdirSync(pgBinDir())) {
    const real = path.join(pgBinDir(), name);
    if (name === 'pg_dump' || name === 'pg_restore') {
      const script = [
        '#!/bin/sh',
        `printf '%s\\t%s\\t%s\\n' '${name}' "\${PGPASSWORD:+PGPASSWORD}\${PGPASSFILE:+PGPASSFILE}" "$*" >> '${log}'`,
        `exec '${real}' "$@"`,
        '',
      ].join('\n');
      fs.writeFileSync(path.join(dir, name), script, { mode: 0o755 });
    } else fs.symlinkSync(real, path.join(dir, name));
  }
  const calls = () =>
    fs
      .readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const [bin, env, argv] = l.split('\t');
        return { bin, env, argv };
      });
  return { dir, calls };
}

describe('db:backup and db:restore', () => {
  it('restores a backup into a fresh cluster with every table and row', { timeout: 240_000 }, async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gridlink-backup-'));
    dirs.push(work);
    // The embedded cluster runs as the postgres user when the tests run as root: it must enter the folder.
    fs.chmodSync(work, 0o755);
    const file = path.join(work, 'gridlink.dump');
    const bin = wrappedPgBin(work);
    // An old file of other permissions is made private too.
    fs.writeFileSync(file, '', { mode: 0o644 });

    const backup = run('scripts/db-backup.ts', ['--out', file], { DATABASE_URL: databaseUrl(), PG_BIN_DIR: bin.dir });
    expect(await backup.exited, backup.output()).toBe(0);
    expect(backup.output()).toMatch(/\[100%\]/);
    expect(backup.output()).toContain('Backup done');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const source = await counts(inject('db'));

    const fresh = path.join(work, 'fresh');
    const restore = run('scripts/db-restore.ts', [file], { DATA_DIR: fresh, PG_BIN_DIR: bin.dir });
    expect(await restore.exited, restore.output()).toBe(0);
    expect(restore.output()).toContain('Creating a private PostgreSQL cluster');
    expect(restore.output()).toMatch(/\[100%\] working_calendar/);

    // pg_dump and pg_restore had the password by their environment, never on their command line (ps shows it).
    const calls = bin.calls();
    expect(calls.map((c) => c.bin)).toEqual(expect.arrayContaining(['pg_dump', 'pg_restore']));
    const passwords = [
      String(inject('db').password),
      ...fs
        .readFileSync(path.join(fresh, 'pgpass'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(':')[4]),
    ];
    expect(passwords.every((p) => p.length >= 32)).toBe(true);
    for (const call of calls) {
      for (const p of passwords) expect(call.argv).not.toContain(p);
    }
    expect(calls.find((c) => c.bin === 'pg_dump')?.env).toBe('PGPASSWORD');
    expect(calls.find((c) => c.bin === 'pg_restore' && c.argv.includes('--single-transaction'))?.env).toBe(
      'PGPASSFILE',
    );

    const cluster = await startCluster(fresh, () => undefined);
    try {
      const restored = await counts(cluster.connection);
      expect(Object.keys(restored).length).toBeGreaterThan(20);
      expect(restored).toEqual(source);
      expect(source.issues).toBeGreaterThan(0);
    } finally {
      await cluster.stop();
    }

    // A second restore over the restored database (clean first) gives the same again; a missing file is refused.
    const again = run('scripts/db-restore.ts', [file], { DATA_DIR: fresh });
    expect(await again.exited, again.output()).toBe(0);
    const missing = run('scripts/db-restore.ts', [path.join(work, 'nothing.dump')], { DATA_DIR: fresh });
    expect(await missing.exited).toBe(2);
    expect(missing.output()).toContain('does not exist');
  });
});
