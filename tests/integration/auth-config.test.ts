import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../server/app.ts';
import { loadConfig, type Config } from '../../server/config.ts';
import { cookieFrom, demoAccount, loginCookie, postJson } from '../helpers/auth.ts';
import { testPool } from '../helpers/db.ts';

const pool = testPool();
const servers: Server[] = [];

/** A second gridlink app on the test database, with other settings. */
async function serve(auth: Partial<Config['auth']>): Promise<string> {
  const base = loadConfig();
  const app = await createApp({ ...base, port: 0, auth: { ...base.auth, ...auth } }, pool);
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((r) => server.once('listening', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(() => pool.query('delete from login_attempts'));
afterAll(async () => {
  for (const s of servers) s.close();
  await pool.query('delete from login_attempts');
  await pool.end();
});

describe('behind a trusted proxy (TRUST_PROXY=1)', () => {
  let url: string;
  beforeAll(async () => {
    url = await serve({ trustProxy: 1, maxFailuresPerIp: 3, maxFailuresPerPair: 100, delayStepMs: 0 });
  });

  it('locks an address after its failures, whichever usernames it tries', async () => {
    const from = (ip: string) => ({ 'x-forwarded-for': ip });
    for (const name of ['a-user', 'b-user', 'c-user']) {
      expect(
        (await postJson(`${url}/api/auth/login`, { username: name, password: 'x' }, from('203.0.113.7'))).status,
      ).toBe(401);
    }
    const account = demoAccount('dispatcher');
    const body = { username: account.username, password: account.password };
    expect((await postJson(`${url}/api/auth/login`, body, from('203.0.113.7'))).status).toBe(429);
    expect((await postJson(`${url}/api/auth/login`, body, from('198.51.100.2'))).status).toBe(200);
  });

  it('marks the session cookie Secure when the proxy says https', async () => {
    const account = demoAccount('dispatcher');
    const res = await postJson(
      `${url}/api/auth/login`,
      { username: account.username, password: account.password },
      { 'x-forwarded-proto': 'https' },
    );
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie().find((c) => c.startsWith('gridlink_session='))).toMatch(/; Secure/);
  });

  it('marks the display cookie Secure when the proxy says https, and not over plain http', async () => {
    const admin = demoAccount('admin');
    const login = await postJson(
      `${url}/api/auth/login`,
      { username: admin.username, password: admin.password },
      { 'x-forwarded-for': '198.51.100.9' },
    );
    const created = await postJson(
      `${url}/api/admin/display-tokens`,
      { screen: 'secure-cookie check' },
      { cookie: cookieFrom(login, 'gridlink_session') },
    );
    expect(created.status).toBe(201);
    const { token, id } = (await created.json()) as { token: string; id: number };
    const exchange = (proto: string) =>
      fetch(`${url}/api/me?token=${encodeURIComponent(token)}`, { headers: { 'x-forwarded-proto': proto } });
    const https = await exchange('https');
    expect(https.status).toBe(200);
    expect(https.headers.getSetCookie().find((c) => c.startsWith('gridlink_display='))).toMatch(/; Secure/);
    const http = await exchange('http');
    expect(http.headers.getSetCookie().find((c) => c.startsWith('gridlink_display='))).not.toMatch(/; Secure/);
    const revoked = await fetch(`${url}/api/admin/display-tokens/${id}`, {
      method: 'DELETE',
      headers: { cookie: cookieFrom(login, 'gridlink_session'), origin: url },
    });
    expect(revoked.ok).toBe(true);
  });
});

describe('a short session lifetime', () => {
  it('ends the session on the server when it runs out', async () => {
    const url = await serve({ sessionTtlSeconds: 1 });
    const account = demoAccount('leader');
    const res = await postJson(`${url}/api/auth/login`, { username: account.username, password: account.password });
    expect(res.headers.getSetCookie()[0]).toMatch(/Max-Age=1;/);
    const cookie = cookieFrom(res, 'gridlink_session');
    expect((await fetch(`${url}/api/me`, { headers: { cookie } })).status).toBe(200);
    await vi.waitFor(async () => expect((await fetch(`${url}/api/me`, { headers: { cookie } })).status).toBe(401), {
      timeout: 5000,
      interval: 100,
    });
  });
});

describe('REQUIRE_LOGIN=1', () => {
  it('closes the map layers and the API to anonymous callers, not the pages, the login or the health check', async () => {
    const url = await serve({ requireLogin: true });
    const paths = [
      '/tiles/grids.json',
      '/tiles/grids/12/3300/1559.mvt',
      '/ogc/collections',
      '/ogc/collections/grids/items',
      '/styles/gridlink.json',
      '/api/areas/county',
    ];
    for (const p of paths) {
      const res = await fetch(`${url}${p}`);
      expect(res.status, p).toBe(401);
      expect((await res.json()).error.code).toBe('Unauthorized');
    }
    expect((await fetch(`${url}/api/health`)).status).toBe(200);
    expect((await fetch(`${url}/inspect`)).status).toBe(200);
    expect((await postJson(`${url}/api/auth/login`, { username: 'x', password: 'y' })).status).toBe(401);
    expect((await fetch(`${url}/api/nothing`)).status).toBe(401);
    const cookie = await loginCookie(demoAccount('reporter'), url);
    for (const p of paths) expect((await fetch(`${url}${p}`, { headers: { cookie } })).status, p).toBe(200);
    expect((await fetch(`${url}/api/nothing`, { headers: { cookie } })).status).toBe(404);
  });
});

describe('TRUST_PROXY at start-up', () => {
  it('refuses true and anything that is neither a hop count nor addresses, saying what to give', () => {
    for (const value of [
      'true',
      'TRUE',
      'yes',
      '11',
      '-1',
      '1.5',
      '10.0.0.0/0',
      '10.0.0.1/33',
      '10.0.0.1/8/1',
      '300.1.1.1',
      'uniquelocal',
      'linklocal',
      'loopback,example.org',
      '::1/129',
    ]) {
      expect(() => loadConfig({ TRUST_PROXY: value }), value).toThrow(/^TRUST_PROXY .*give the number of proxies/);
    }
  });

  it('accepts a hop count, or IPs and subnets (and loopback)', () => {
    expect(loadConfig({}).auth.trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '0' }).auth.trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).auth.trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).auth.trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.5, 192.168.0.0/16,fd00::/8,loopback' }).auth.trustProxy).toEqual([
      '10.0.0.5',
      '192.168.0.0/16',
      'fd00::/8',
      'loopback',
    ]);
  });

  it('takes the client address from X-Forwarded-For only when the proxy is one of the addresses given', async () => {
    const trusted = await serve({
      trustProxy: loadConfig({ TRUST_PROXY: 'loopback' }).auth.trustProxy,
      delayStepMs: 0,
    });
    const other = await serve({
      trustProxy: loadConfig({ TRUST_PROXY: '203.0.113.1' }).auth.trustProxy,
      delayStepMs: 0,
    });
    const keyOf = async (url: string, name: string) => {
      expect(
        (
          await postJson(
            `${url}/api/auth/login`,
            { username: name, password: 'x' },
            { 'x-forwarded-for': '198.51.100.77' },
          )
        ).status,
      ).toBe(401);
      return (await pool.query(`select key from login_attempts where key like 'pair:% ' || $1`, [name])).rows.map(
        (r) => r.key,
      );
    };
    expect(await keyOf(trusted, 'proxy-trusted')).toEqual(['pair:198.51.100.77 proxy-trusted']);
    expect(await keyOf(other, 'proxy-untrusted')).toEqual(['pair:127.0.0.1 proxy-untrusted']);
  });
});
