import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startCluster } from '../../server/db/cluster.ts';
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
    const { rows } = await client.query<{ t: string }>(`select quote_ident(tablename) t from pg_tables where schemaname = 'public' order by 1`);
    const out: Record<string, number> = {};
    for (const { t } of rows) out[t] = (await client.query(`select count(*)::int n from ${t}`)).rows[0].n;
    return out;
  } finally {
    await client.end();
  }
}

describe('db:backup and db:restore', () => {
  it('restores a backup into a fresh cluster with every table and row', { timeout: 240_000 }, async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gridlink-backup-'));
    dirs.push(work);
    // The embedded cluster runs as the postgres user when the tests run as root: it must enter the folder.
    fs.chmodSync(work, 0o755);
    const file = path.join(work, 'gridlink.dump');
    const { host, port, user, database } = inject('db');
    const url = `postgresql://${user}@/${database}?host=${encodeURIComponent(String(host))}&port=${port}`;

    const backup = run('scripts/db-backup.ts', ['--out', file], { DATABASE_URL: url });
    expect(await backup.exited, backup.output()).toBe(0);
    expect(backup.output()).toMatch(/\[100%\]/);
    expect(backup.output()).toContain('Backup done');
    const source = await counts(inject('db'));

    const fresh = path.join(work, 'fresh');
    const restore = run('scripts/db-restore.ts', [file], { DATA_DIR: fresh });
    expect(await restore.exited, restore.output()).toBe(0);
    expect(restore.output()).toContain('Creating a private PostgreSQL cluster');
    expect(restore.output()).toMatch(/\[100%\] working_calendar/);

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
