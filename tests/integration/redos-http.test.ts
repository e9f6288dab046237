import http from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { COUNTY, testPool } from '../helpers/db.ts';
import { api, demoGrids, demoSession, freshSession, issueRowCounts } from '../helpers/issues-fixtures.ts';

/**
 * Regular-expression denial of service over HTTP: the longest hostile values a request can carry get a prompt
 * answer (tests/unit/redos.test.ts feeds 100 kB to the parsers themselves). Node refuses more than 16 KB of
 * headers with 431 before any route runs, so headers are tried at just under that size; form fields at 100 kB.
 */
const pool = testPool();
const base = inject('baseUrl');
let apiKey: string;
let point: { lon: number; lat: number };

beforeAll(async () => {
  const admin = await demoSession('admin');
  const reporter = await freshSession(pool, 'reporter');
  const created = await api('POST', '/api/admin/api-keys', admin, { user_id: reporter.userId, name: 'redos' });
  expect(created.status).toBe(201);
  apiKey = created.body.apiKey;
  const grids = await demoGrids(pool);
  const { rows } = await pool.query<{ lon: number; lat: number }>(
    'select st_x(c) lon, st_y(c) lat from (select st_pointonsurface(geom) c from grids where county_code = $1 and id = $2) g',
    [COUNTY, grids.workerGrid],
  );
  point = rows[0];
});
afterAll(() => pool.end());

/** A raw request (fetch would not send an arbitrary Host header); its status, headers and time taken. */
function raw(
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; ms: number; text: string; headers: http.IncomingHttpHeaders }> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method: body === undefined ? 'GET' : 'POST', headers }, (res) => {
      let text = '';
      res
        .setEncoding('utf8')
        .on('data', (c) => (text += c))
        .on('end', () =>
          resolve({ status: res.statusCode!, ms: performance.now() - start, text, headers: res.headers }),
        );
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Just under Node's 16 KB header limit once the request line and the other headers are counted. */
const HEADER_ROOM = 15_000;
const PROMPT_MS = 500;

describe('hostile long values get a prompt answer', () => {
  it('Open311 lat/long of 100 kB digits ending in a letter: 400 saying a decimal number, nothing written', async () => {
    const rows = await issueRowCounts(pool);
    for (const [field, value] of [
      ['lat', '1'.repeat(99_000) + 'x'],
      ['long', '1'.repeat(60_000) + 'e' + '1'.repeat(39_000) + 'x'],
    ] as const) {
      const form = new URLSearchParams({
        api_key: apiKey,
        service_code: 'manhole_cover',
        lat: String(point.lat),
        long: String(point.lon),
        [field]: value,
      }).toString();
      const res = await raw(
        '/open311/v2/requests.json',
        { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(form)) },
        form,
      );
      expect(res.status, res.text.slice(0, 300)).toBe(400);
      expect(JSON.parse(res.text)[0].description).toContain('decimal number');
      expect(res.ms, field).toBeLessThan(PROMPT_MS);
    }
    expect(await issueRowCounts(pool)).toEqual(rows);
  });

  it('a tile If-None-Match of 15 kB spaces between tags: answered at once; 100 kB: 431 from Node', async () => {
    const path = '/tiles/grids/12/3300/1559.mvt';
    const first = await raw(path, {});
    expect(first.status).toBe(200);
    const etag = first.headers.etag!;
    // Node strips the spaces around a header value: these are inside it, where a `\s*,\s*` split backtracked.
    const spaces = await raw(path, { 'if-none-match': '"a"' + ' '.repeat(HEADER_ROOM) + '"b"' });
    expect(spaces.status).toBe(200);
    expect(spaces.ms).toBeLessThan(PROMPT_MS);
    const listed = await raw(path, { 'if-none-match': '"a"' + ' '.repeat(HEADER_ROOM) + '"b" ,' + etag });
    expect(listed.status).toBe(304);
    expect(listed.ms).toBeLessThan(PROMPT_MS);
    // Node answers 431 and closes: a client still sending the header may meet the reset before the answer.
    const huge = await raw(path, { 'if-none-match': '"a"' + ' '.repeat(100_000) + etag }).catch(
      (e: NodeJS.ErrnoException) => ({ status: e.code }),
    );
    expect([431, 'ECONNRESET']).toContain(huge.status);
  });

  it('a Host header of 15 kB slashes ending in a letter: the style at once', async () => {
    const res = await raw('/styles/gridlink.json', { host: 'h' + '/'.repeat(HEADER_ROOM) + 'x' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('h' + '/'.repeat(100));
    expect(res.ms).toBeLessThan(PROMPT_MS);
  });
});
