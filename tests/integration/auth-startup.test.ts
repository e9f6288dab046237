import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ROLES } from '../../shared/roles.ts';
import { demoAccounts, loginCookie } from '../helpers/auth.ts';
import { testPool } from '../helpers/db.ts';
import { freePort, processRunner } from '../helpers/processes.ts';

const { run, killAll } = processRunner();
const dirs: string[] = [];
const pool = testPool();

afterAll(async () => {
  killAll();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  await pool.end();
});

describe('demo accounts', () => {
  it('were written once per role, and a rider reporter account, to DATA_DIR/demo-accounts.txt, readable by the owner only', async () => {
    const file = path.join(inject('dataDir'), 'demo-accounts.txt');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(ROLES.length + 1);
    for (const line of lines) expect(line).toMatch(/^[a-z_]+ demo-[a-z-]+ [\w-]{16}$/);
    expect(
      demoAccounts()
        .map((a) => a.role)
        .sort(),
    ).toEqual([...ROLES, 'reporter'].sort());
    // The role's own demo account comes first; the rider's reports are the rider's.
    expect(demoAccounts().find((a) => a.role === 'reporter')!.username).toBe('demo-reporter');
    // Demo accounts only: other test files add reporter accounts of their own to the shared database.
    const kinds = await pool.query(
      `select username, reports_as from users where reports_as is not null and username like 'demo-%' order by 1`,
    );
    expect(kinds.rows).toEqual([{ username: 'demo-rider', reports_as: 'rider' }]);
    // Only hashes in the database.
    const { rows } = await pool.query('select username, password_hash from users');
    for (const a of demoAccounts()) {
      const row = rows.find((r) => r.username === a.username)!;
      expect(row.password_hash).toMatch(/^scrypt\$/);
      expect(row.password_hash).not.toContain(a.password);
    }
  });

  it('give the dispatcher a community and the grid worker a grid of the demo data', async () => {
    const { rows } = await pool.query(
      `select u.role, u.community_id, u.grid_id, g.community_id as grid_community
       from users u left join grids g on g.county_code = u.county_code and g.id = u.grid_id
       where u.username in ('demo-dispatcher', 'demo-grid-worker') order by u.role`,
    );
    expect(rows[0]).toMatchObject({ role: 'dispatcher', grid_id: null, community_id: expect.stringMatching(/^C/) });
    expect(rows[1]).toMatchObject({ role: 'grid_worker', grid_id: expect.stringMatching(/^G/) });
    expect(rows[1].grid_community).toBe(rows[1].community_id);
  });
});

describe('NODE_ENV=production', () => {
  it('refuses to start without an admin, says how to make one; user:add makes one and the server starts', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridlink-prod-'));
    dirs.push(dataDir);
    const env = { DATA_DIR: dataDir, NODE_ENV: 'production' };

    const refused = run('server/main.ts', [], { ...env, PORT: String(await freePort()) });
    expect(await refused.exited).toBe(1);
    expect(refused.output()).toContain('npm run user:add -- --role admin --username NAME');
    expect(refused.output()).not.toContain('Demo accounts');
    expect(fs.existsSync(path.join(dataDir, 'demo-accounts.txt'))).toBe(false);

    const short = run('scripts/user-add.ts', ['--role', 'admin', '--username', 'chief'], env, 'short\n');
    expect(await short.exited).toBe(1);
    expect(short.output()).toContain('at least 12 characters');

    const password = 'a long enough passphrase 盐池';
    const add = run('scripts/user-add.ts', ['--role', 'admin', '--username', 'chief'], env, `${password}\n`);
    expect(await add.exited, add.output()).toBe(0);
    expect(add.output()).toContain('Created admin "chief"');
    expect(add.output()).not.toContain(password);

    const again = run('scripts/user-add.ts', ['--role', 'admin', '--username', 'CHIEF'], env, `${password}\n`);
    expect(await again.exited).toBe(1);
    expect(again.output()).toContain('exists already');

    const port = await freePort();
    const server = run('server/main.ts', [], { ...env, PORT: String(port) });
    await server.waitFor('Ready:');
    expect(server.output()).not.toContain('Demo accounts');
    const url = `http://127.0.0.1:${port}`;
    const cookie = await loginCookie({ username: 'chief', password }, url);
    const me = await (await fetch(`${url}/api/me`, { headers: { cookie } })).json();
    expect(me).toMatchObject({ username: 'chief', role: 'admin' });

    // A grid worker needs a grid, and the grid must exist; added while the server runs, through its socket.
    const addWorker = (...grid: string[]) =>
      run('scripts/user-add.ts', ['--role', 'grid_worker', '--username', 'worker', ...grid], env, `${password}\n`);
    const noGrid = addWorker();
    expect(await noGrid.exited).toBe(1);
    expect(noGrid.output()).toContain('needs a grid');
    const badGrid = addWorker('--grid', 'G999');
    expect(await badGrid.exited).toBe(1);
    expect(badGrid.output()).toContain('no such area');
    const worker = addWorker('--grid', 'G002');
    expect(await worker.exited, worker.output()).toBe(0);
    const workerMe = await (
      await fetch(`${url}/api/me`, { headers: { cookie: await loginCookie({ username: 'worker', password }, url) } })
    ).json();
    expect(workerMe.scope).toEqual({ streetId: expect.any(String), communityId: expect.any(String), gridId: 'G002' });

    // A rider's reporter account (its reports are the rider's: tests/integration/report-source.test.ts).
    const addAs = (role: string, kind: string) =>
      run(
        'scripts/user-add.ts',
        ['--role', role, '--username', `as-${role}`, '--reports-as', kind],
        env,
        `${password}\n`,
      );
    const notReporter = addAs('leader', 'rider');
    expect(await notReporter.exited).toBe(1);
    expect(notReporter.output()).toContain('--reports-as is for reporter accounts');
    const unknownKind = addAs('reporter', 'courier');
    expect(await unknownKind.exited).toBe(1);
    const rider = addAs('reporter', 'rider');
    expect(await rider.exited, rider.output()).toBe(0);
    expect(rider.output()).toContain('Created reporter "as-reporter"');

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });
});
