import { afterAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { demoAccount, postJson } from '../helpers/auth.ts';
import { testPool } from '../helpers/db.ts';

const base = inject('baseUrl');
const pool = testPool();
// Counters are per username and per address; these tests all come from 127.0.0.1: start each clean.
beforeEach(() => pool.query('delete from login_attempts'));
afterAll(async () => {
  await pool.query('delete from login_attempts');
  await pool.end();
});

async function attempt(username: string, password: string) {
  const t = performance.now();
  const res = await postJson(`${base}/api/auth/login`, { username, password });
  return { res, status: res.status, ms: performance.now() - t, text: await res.text() };
}

describe('failed logins (5 per username before a 15 min lock)', () => {
  it('are slowed, then lock the username even for the right password, and the lock ends', async () => {
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
    expect(locked.res.headers.get('retry-after')).toMatch(/^(8\d\d|900)$/);
    expect(JSON.parse(locked.text).error).toMatchObject({ code: 'TooManyAttempts', details: { retryAfterSeconds: expect.any(Number) } });
    // Usernames are one key whatever their case.
    expect((await attempt(account.username.toUpperCase(), account.password)).status).toBe(429);

    const { rows } = await pool.query(`select action, target from audit_log where action = 'auth.lock' and target = $1`, [`user:${account.username}`]);
    expect(rows.length).toBeGreaterThan(0);

    // Fifteen minutes later (moved in the database), the right password works and clears the count.
    await pool.query(`update login_attempts set locked_until = now() - interval '1 second', last_failure_at = now() - interval '16 minutes'`);
    expect((await attempt(account.username, account.password)).status).toBe(200);
    const left = await pool.query('select 1 from login_attempts where key = $1', [`user:${account.username}`]);
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
