import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { createPool, type Pool } from '../../server/postgres/pool.ts';

/**
 * A failing request is logged with its URL (server/http-error.ts): an Open311 api_key given in the query
 * string must not reach the log. The failure is real: this app's pool names a database that does
 * not exist on the test server, so the key lookup fails with SQLSTATE 3D000 (a 500, not a 503).
 */
let pool: Pool;
let url: string;
let close: () => Promise<void>;
beforeAll(async () => {
  pool = createPool({ ...inject('db'), database: 'no_such_gridlink_database', connectionTimeoutMillis: 5000 });
  const app = await createApp({ ...loadConfig(), port: 0 }, pool);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = async () => {
    server.close();
    await app.context.close();
    await pool.end();
  };
});
afterAll(() => close());

describe('the log of a failing request', () => {
  it('prints api_key=REDACTED, never the key', async () => {
    const key = 'logged-key-0123456789abcdef0123456789abcdef';
    const lines: string[] = [];
    const spy = vi
      .spyOn(console, 'error')
      .mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' ')));
    try {
      const res = await fetch(`${url}/open311/v2/requests.json?jurisdiction_id=640323&api_key=${key}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ service_code: 'street_litter', lat: 37.78, long: 107.39 }),
      });
      expect(res.status).toBe(500);
    } finally {
      spy.mockRestore();
    }
    const logged = lines.filter((l) => l.includes('/open311/v2/requests.json'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('POST /open311/v2/requests.json?jurisdiction_id=640323&api_key=REDACTED failed');
    expect(lines.join('\n')).not.toContain(key);
  });
});
