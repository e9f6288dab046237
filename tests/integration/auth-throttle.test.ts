import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { loadConfig, type Config } from '../../server/config.ts';
import { pairKey } from '../../server/auth/throttle.ts';
import { demoAccount, postJson } from '../helpers/auth.ts';
import { testPool } from '../helpers/db.ts';

const base = inject('baseUrl');
const pool = testPool();
const servers: Server[] = [];
// Counters are per (username, address), per address and per county: start each test clean.
beforeEach(() => pool.query('delete from login_attempts'));
afterAll(async () => {
  for (const s of servers) s.close();
  await pool.query('delete from login_attempts');
  await pool.end();
});

async function attempt(username: string, password: string, headers: Record<string, string> = {}, url = base) {
  const t = performance.now();
  const res = await postJson(`${url}/api/auth/login`, { username, password }, headers);
  return {
    res,
    status: res.status,
    ms: performance.now() - t,
    text: await res.text(),
    retryAfter: Number(res.headers.get('retry-after')),
  };
}

/** A second gridlink app on the test database behind a trusted proxy (one hop), so X-Forwarded-For sets the address. */
async function behindProxy(auth: Partial<Config['auth']> = {}): Promise<string> {
  const config = loadConfig();
  const app = await createApp({ ...config, port: 0, auth: { ...config.auth, trustProxy: 1, ...auth } }, pool);
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((r) => server.once('listening', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
const from = (ip: string) => ({ 'x-forwarded-for': ip });

describe('failed logins (5 per username and address before a refusal)', () => {
  it('are slowed, then refuse the pair even for the right password, and the refusal ends', async () => {
    const account = demoAccount('planner');
    const tries = [];
    for (let i = 0; i < 5; i++) tries.push(await attempt(account.username, `wrong-${i}`));
    expect(tries.map((t) => t.status)).toEqual([401, 401, 401, 401, 401]);
    // No delay for the first two, then 250, 500, 1000 ms (the schedule itself: tests/unit/auth-roles.test.ts).
    // Only lower bounds here: a busy machine makes any answer slower, never faster.
    expect(tries[2].ms).toBeGreaterThanOrEqual(240);
    expect(tries[4].ms).toBeGreaterThanOrEqual(980);

    const locked = await attempt(account.username, account.password);
    expect(locked.status).toBe(429);
    expect(locked.retryAfter).toBeGreaterThan(50);
    expect(locked.retryAfter).toBeLessThanOrEqual(60);
    expect(JSON.parse(locked.text).error).toMatchObject({
      code: 'TooManyAttempts',
      details: { retryAfterSeconds: locked.retryAfter },
    });
    // Usernames are one key whatever their case.
    expect((await attempt(account.username.toUpperCase(), account.password)).status).toBe(429);

    const { rows } = await pool.query(
      `select action, target from audit_log where action = 'auth.lock' and target like 'pair:% ' || $1`,
      [account.username],
    );
    expect(rows.length).toBeGreaterThan(0);

    // An hour later (moved in the database), the right password works and clears the count.
    await pool.query(
      `update login_attempts set locked_until = now() - interval '1 second', last_failure_at = now() - interval '61 minutes'`,
    );
    expect((await attempt(account.username, account.password)).status).toBe(200);
    const left = await pool.query(`select 1 from login_attempts where key like 'pair:% ' || $1`, [account.username]);
    expect(left.rowCount).toBe(0);
  });

  it('lock an unknown username just the same, so a lock tells nothing either', async () => {
    const known = demoAccount('reporter');
    for (let i = 0; i < 5; i++) {
      const [a, b] = [await attempt(known.username, 'wrong'), await attempt('no-such-person', 'wrong')];
      expect(a.status).toBe(401);
      expect(b.text).toBe(a.text);
    }
    const [a, b] = [await attempt(known.username, 'wrong'), await attempt('no-such-person', 'wrong')];
    expect(a.status).toBe(429);
    expect(b.status).toBe(429);
    const strip = (t: string) => t.replace(/\d+/g, 'N');
    expect(strip(b.text)).toBe(strip(a.text));
  });

  it('leave other usernames alone', async () => {
    for (let i = 0; i < 5; i++) await attempt('someone-else', 'wrong');
    expect((await attempt('someone-else', 'wrong')).status).toBe(429);
    const account = demoAccount('leader');
    expect((await attempt(account.username, account.password)).status).toBe(200);
  });
});

describe('a username under attack from one address', () => {
  it('refuses that address with a growing Retry-After while the account owner logs in from another at once', async () => {
    const url = await behindProxy();
    const admin = demoAccount('admin');
    const [a, b] = ['203.0.113.10', '198.51.100.20'];
    const tries = [];
    for (let i = 0; i < 5; i++) tries.push((await attempt(admin.username, `guess-${i}`, from(a), url)).status);
    expect(tries).toEqual([401, 401, 401, 401, 401]);
    const refused = await attempt(admin.username, admin.password, from(a), url);
    expect(refused.status).toBe(429);
    expect(refused.retryAfter).toBeGreaterThan(0);
    expect(refused.retryAfter).toBeLessThanOrEqual(60);

    // The admin elsewhere is not refused.
    expect((await attempt(admin.username, admin.password, from(b), url)).status).toBe(200);

    // When the refusal ends, the next wrong guess from A brings a refusal twice as long.
    await pool.query(`update login_attempts set locked_until = now() - interval '1 second' where key = $1`, [
      pairKey(admin.username, a),
    ]);
    expect((await attempt(admin.username, 'guess-5', from(a), url)).status).toBe(401);
    const longer = await attempt(admin.username, admin.password, from(a), url);
    expect(longer.status).toBe(429);
    expect(longer.retryAfter).toBeGreaterThan(60);
    expect(longer.retryAfter).toBeLessThanOrEqual(120);
    expect((await attempt(admin.username, admin.password, from(b), url)).status).toBe(200);
  });

  it('lets through no more than five guesses of a pair sent all at once, and right passwords in parallel still get in', async () => {
    const url = await behindProxy();
    const admin = demoAccount('admin');
    const burst = await Promise.all(
      Array.from({ length: 12 }, (_, i) => attempt(admin.username, `burst-${i}`, from('203.0.113.30'), url)),
    );
    const statuses = burst.map((b) => b.status).sort();
    expect(statuses).toEqual([...Array(5).fill(401), ...Array(7).fill(429)]);
    // Other accounts, and wrong guesses, at once from one address: no deadlock, each answered on its own.
    const mixed = await Promise.all([
      ...(['leader', 'planner', 'dispatcher', 'reporter'] as const).map((role) =>
        attempt(demoAccount(role).username, demoAccount(role).password, from('203.0.113.31'), url),
      ),
      ...Array.from({ length: 4 }, (_, i) => attempt(`nobody-${i}`, 'wrong', from('203.0.113.31'), url)),
    ]);
    expect(mixed.map((m) => m.status)).toEqual([200, 200, 200, 200, 401, 401, 401, 401]);
    // The right passwords took their attempts back: the address counts only the four wrong ones.
    const ip = await pool.query(`select failures from login_attempts where key = 'ip:203.0.113.31'`);
    expect(ip.rows[0].failures).toBe(4);
  });

  it('slows everyone when the county sees too many failures a minute, refusing only the addresses that failed', async () => {
    const url = await behindProxy({ maxFailuresPerMinute: 3, delayStepMs: 0, delayMaxMs: 400 });
    const leader = demoAccount('leader');
    for (const ip of ['192.0.2.1', '192.0.2.2', '192.0.2.3'])
      expect((await attempt(leader.username, 'guess', from(ip), url)).status).toBe(401);
    const again = await attempt(leader.username, leader.password, from('192.0.2.1'), url);
    expect(again.status).toBe(429);
    expect(again.retryAfter).toBeGreaterThan(0);
    expect(again.retryAfter).toBeLessThanOrEqual(60);
    // A fresh address gets in, slowed.
    const fresh = await attempt(leader.username, leader.password, from('192.0.2.9'), url);
    expect(fresh.status).toBe(200);
    expect(fresh.ms).toBeGreaterThanOrEqual(390);
  });
});
