import http from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { COUNTY, testPool } from '../helpers/db.ts';
import { api, demoGrids, demoSession, freePoint, freshSession, issueRowCounts } from '../helpers/issues-fixtures.ts';
import { cellCentreOf } from '../helpers/public-cells.ts';

/** Open311 GeoReport v2 against the real server and database, with the spec's field names. */
const pool = testPool();
const base = inject('baseUrl');
const V2 = `${base}/open311/v2`;
const SERVICE_FIELDS = ['description', 'group', 'keywords', 'metadata', 'service_code', 'service_name', 'type'];
const REQUEST_FIELDS = [
  'expected_datetime',
  'lat',
  'long',
  'requested_datetime',
  'service_code',
  'service_name',
  'service_request_id',
  'status',
  'status_notes',
  'updated_datetime',
];
let grids: Awaited<ReturnType<typeof demoGrids>>;
let reporter: { cookie: string; userId: number };
let keyed: { cookie: string; userId: number };
let apiKey: string;
let apiKeyId: number;
let admin: string;

beforeAll(async () => {
  grids = await demoGrids(pool);
  admin = await demoSession('admin');
  reporter = await freshSession(pool, 'reporter');
  keyed = await freshSession(pool, 'reporter');
  const created = await api('POST', '/api/admin/api-keys', admin, { user_id: keyed.userId, name: 'a 311 app' });
  expect(created.status).toBe(201);
  ({ apiKey, id: apiKeyId } = created.body);
});
afterAll(() => pool.end());

async function call(
  method: string,
  path: string,
  init: { form?: Record<string, string>; json?: unknown; cookie?: string; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...init.headers };
  if (init.cookie) headers.cookie = init.cookie;
  let body: string | undefined;
  if (init.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(init.form).toString();
  } else if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  }
  const res = await fetch(`${V2}${path}`, { method, headers, body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

/** An Open311 error answer: an array of {code, description} with the HTTP status as code. */
function expectOpen311Error(res: { status: number; body: any }, status: number) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(Array.isArray(res.body)).toBe(true);
  expect(res.body[0]).toEqual({ code: status, description: expect.any(String) });
}

const countIssues = async () => (await issueRowCounts(pool)).issues;

describe('Open311 discovery', () => {
  it('describes the production endpoint of this server, its formats and how to get a key', async () => {
    const res = await call('GET', '/discovery.json');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['changeset', 'contact', 'endpoints', 'key_service']);
    const { changeset } = res.body;
    expect(changeset).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    expect(Date.parse(changeset)).toBeLessThanOrEqual(Date.now());
    expect(res.body.contact).toBeTruthy();
    expect(res.body.key_service).toContain(`${base}/api/admin/api-keys`);
    expect(res.body.endpoints).toEqual([
      {
        specification: 'http://wiki.open311.org/GeoReport_v2',
        url: V2,
        changeset,
        type: 'production',
        formats: ['application/json'],
      },
    ]);
    // The url given works, in the one format listed; XML is not served, so not listed.
    const services = await fetch(`${res.body.endpoints[0].url}/services.json`);
    expect(services.status).toBe(200);
    expect(services.headers.get('content-type')).toMatch(/^application\/json\b/);
    expect((await services.json()).length).toBeGreaterThan(0);
    expectOpen311Error(await call('GET', '/discovery.xml'), 404);
    expectOpen311Error(await call('GET', '/discovery.json?jurisdiction_id=somewhere'), 404);
  });

  it('builds the url from the host the caller reached, not from a configured one', async () => {
    const { hostname, port } = new URL(base);
    const body = await new Promise<any>((resolve, reject) => {
      http
        .get(
          { hostname, port, path: '/open311/v2/discovery.json', headers: { host: 'gridlink.example:8443' } },
          (res) => {
            let text = '';
            res.on('data', (chunk) => (text += chunk)).on('end', () => resolve(JSON.parse(text)));
          },
        )
        .on('error', reject);
    });
    expect(body.endpoints[0].url).toBe('http://gridlink.example:8443/open311/v2');
    expect(body.key_service).toContain('http://gridlink.example:8443/api/admin/api-keys');
  });
});

describe('Open311 services', () => {
  it('lists one service per minor category with the spec fields, and each definition', async () => {
    const res = await call('GET', '/services.json');
    expect(res.status).toBe(200);
    const { rows } = await pool.query(
      `select id, name, parent_id from issue_categories where county_code = $1 and parent_id is not null`,
      [COUNTY],
    );
    expect(res.body.map((s: { service_code: string }) => s.service_code).sort()).toEqual(rows.map((r) => r.id).sort());
    for (const s of res.body) expect(Object.keys(s).sort()).toEqual(SERVICE_FIELDS);
    const litter = res.body.find((s: { service_code: string }) => s.service_code === 'street_litter');
    expect(litter).toMatchObject({
      metadata: false,
      type: 'realtime',
      service_name: rows.find((r) => r.id === 'street_litter').name,
    });
    expect((await call('GET', '/services/street_litter.json')).body).toEqual({
      service_code: 'street_litter',
      attributes: [],
    });
    expectOpen311Error(await call('GET', '/services/no_such_service.json'), 404);
    expectOpen311Error(await call('GET', `/services.json?jurisdiction_id=somewhere`), 404);
    expect((await call('GET', `/services.json?jurisdiction_id=${COUNTY}`)).status).toBe(200);
    expectOpen311Error(await call('GET', '/services.xml'), 404);
  });
});

describe('Open311 POST requests', () => {
  it('takes a form-encoded request with a session, routes it in SQL, and is idempotent', async () => {
    const point = await freePoint(pool, grids.workerGrid, 'street_light');
    const form = {
      service_code: 'street_light',
      lat: String(point.lat),
      long: String(point.lon),
      description: '路灯不亮',
      first_name: '三',
      last_name: '张',
      phone: '13811112222',
    };
    const first = await call('POST', '/requests.json', { form, cookie: reporter.cookie });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toEqual([
      { service_request_id: expect.stringMatching(/^SJ\d{8}-\d{6}$/), service_notice: null, account_id: null },
    ]);
    const { rows } = await pool.query(
      `select grid_id, category_id, state, source, reporter_user_id, reporter_name, reporter_phone, description from issues where county_code = $1
        and code = $2`,
      [COUNTY, first.body[0].service_request_id],
    );
    expect(rows[0]).toMatchObject({
      grid_id: grids.workerGrid,
      category_id: 'street_light',
      state: 'reported',
      source: 'resident',
      reporter_name: '张三',
      reporter_phone: '13811112222',
      description: '路灯不亮',
    });
    expect(Number(rows[0].reporter_user_id)).toBe(reporter.userId);
    // A retry whose answer was lost is the same request.
    const before = await countIssues();
    const again = await call('POST', '/requests.json', { form, cookie: reporter.cookie });
    expect(again.status).toBe(200);
    expect(again.body[0].service_request_id).toBe(first.body[0].service_request_id);
    expect(await countIssues()).toBe(before);
  });

  it('takes JSON with an api_key that maps to a reporter account; an Idempotency-Key makes retries safe', async () => {
    const point = await freePoint(pool, grids.communityGrid, 'manhole_cover');
    const body = { api_key: apiKey, service_code: 'manhole_cover', lat: point.lat, long: point.lon };
    const headers = { 'idempotency-key': 'o311-test-key-0001' };
    const first = await call('POST', '/requests.json', { json: body, headers });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const again = await call('POST', '/requests.json', { json: body, headers });
    expect(again.status).toBe(200);
    expect(again.body[0].service_request_id).toBe(first.body[0].service_request_id);
    const { rows } = await pool.query(`select reporter_user_id from issues where county_code = $1 and code = $2`, [
      COUNTY,
      first.body[0].service_request_id,
    ]);
    expect(Number(rows[0].reporter_user_id)).toBe(keyed.userId);
    const audit = await pool.query(
      `select actor from audit_log where county_code = $1 and action = 'issue.report' and target = (select 'issue:' || id from issues where county_code = $1
        and code = $2)`,
      [COUNTY, first.body[0].service_request_id],
    );
    expect(audit.rows.map((r) => r.actor)).toEqual([
      (await pool.query('select username from users where county_code = $1 and id = $2', [COUNTY, keyed.userId]))
        .rows[0].username,
    ]);
  });

  it('joins an open request of the same service within 50 m instead of filing it again', async () => {
    const point = await freePoint(pool, grids.workerGrid, 'parking');
    const first = await call('POST', '/requests.json', {
      form: { service_code: 'parking', lat: String(point.lat), long: String(point.lon) },
      cookie: reporter.cookie,
    });
    expect(first.status).toBe(201);
    const near = { service_code: 'parking', lat: String(point.lat + 0.0001), long: String(point.lon), api_key: apiKey };
    const second = await call('POST', '/requests.json', { form: near });
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    expect(second.body[0].service_notice).toContain(first.body[0].service_request_id);
    const { rows } = await pool.query(
      `select i.state, d.code as joined from issues i join issues d on d.county_code = i.county_code and d.id = i.duplicate_of where i.county_code = $1
        and i.code = $2`,
      [COUNTY, second.body[0].service_request_id],
    );
    expect(rows[0]).toEqual({ state: 'duplicate', joined: first.body[0].service_request_id });
  });

  it('refuses bad requests with an Open311 error and a 4xx, writing nothing', async () => {
    const point = await freePoint(pool, grids.workerGrid, 'street_litter');
    const ok = { service_code: 'street_litter', lat: String(point.lat), long: String(point.lon) };
    const before = await issueRowCounts(pool);
    const revoked = await call('POST', '/requests.json', { form: { ...ok, api_key: 'x'.repeat(43) } });
    expectOpen311Error(revoked, 401);
    expectOpen311Error(await call('POST', '/requests.json', { form: ok }), 401);
    expectOpen311Error(await call('POST', '/requests.json', { form: ok, cookie: await demoSession('planner') }), 403);
    for (const [form, status] of [
      [{ ...ok, service_code: '' }, 400],
      [{ lat: ok.lat, long: ok.long }, 400],
      [{ ...ok, lat: 'north' }, 400],
      [{ service_code: 'street_litter', address_string: '花马池镇' }, 400],
      [{ ...ok, favourite_colour: 'red' }, 400],
      [{ ...ok, 'attribute[x]': '1' }, 400],
      // Each field is the name sent: a form parser's quirks (dropping __proto__, unwrapping [name]) let nothing through.
      [{ ...ok, ['__proto__']: '1' }, 400],
      [{ lat: ok.lat, long: ok.long, '[service_code]': ok.service_code }, 400],
      [{ ...ok, media_url: 'not a url' }, 400],
      [{ ...ok, media_url: 'javascript:alert(1)' }, 400],
      [{ ...ok, media_url: 'file:///etc/passwd' }, 400],
      [{ ...ok, lat: '0x25' }, 400],
      [{ ...ok, long: '' }, 400],
      [{ ...ok, description: '路灯\u0000不亮' }, 400],
      [{ ...ok, address_string: 'a\u0000b' }, 400],
      [{ ...ok, jurisdiction_id: 'elsewhere' }, 404],
      [{ ...ok, service_code: 'no_such_service' }, 422],
      [{ ...ok, service_code: 'city_appearance' }, 422],
      [{ ...ok, lat: '39.909', long: '116.397' }, 422],
    ] as [Record<string, string>, number][]) {
      expectOpen311Error(await call('POST', '/requests.json', { form, cookie: reporter.cookie }), status);
    }
    // JSON numbers, or decimal text: not what a lax coercion would make a number of.
    for (const lat of [true, null, [Number(ok.lat)], {}]) {
      expectOpen311Error(
        await call('POST', '/requests.json', { json: { ...ok, long: Number(ok.long), lat }, cookie: reporter.cookie }),
        400,
      );
    }
    const latin1 = await fetch(`${V2}/requests.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=iso-8859-1', cookie: reporter.cookie },
      body: new URLSearchParams(ok).toString(),
    });
    expectOpen311Error({ status: latin1.status, body: await latin1.json() }, 415);
    const malformed = await fetch(`${V2}/requests.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: reporter.cookie },
      body: '{"service_code": ',
    });
    expectOpen311Error({ status: malformed.status, body: await malformed.json() }, 400);
    // Forms over 100 kB, or of more than 30 fields.
    const huge = await fetch(`${V2}/requests.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: reporter.cookie },
      body: new URLSearchParams({ ...ok, description: 'x'.repeat(101 * 1024) }).toString(),
    });
    expectOpen311Error({ status: huge.status, body: await huge.json() }, 413);
    const many = Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`f${i}`, '1']));
    expectOpen311Error(
      await call('POST', '/requests.json', { form: { ...ok, ...many }, cookie: reporter.cookie }),
      413,
    );
    expect(await issueRowCounts(pool)).toEqual(before);
    // A revoked key stops working at once.
    expect((await api('DELETE', `/api/admin/api-keys/${apiKeyId}`, admin)).status).toBe(200);
    expectOpen311Error(await call('POST', '/requests.json', { form: { ...ok, api_key: apiKey } }), 401);
    const reissued = await api('POST', '/api/admin/api-keys', admin, { user_id: keyed.userId, name: 'the app again' });
    apiKey = reissued.body.apiKey;
    // Keys belong to reporter accounts only.
    const worker = (
      await pool.query(`select id from users where county_code = $1 and username = 'demo-grid-worker'`, [COUNTY])
    ).rows[0].id;
    expect((await api('POST', '/api/admin/api-keys', admin, { user_id: Number(worker), name: 'no' })).status).toBe(400);
  });
});

describe('Open311 GET requests', () => {
  let code: string;
  let exact: { lat: number; lon: number };
  beforeAll(async () => {
    exact = await freePoint(pool, grids.communityGrid, 'street_vending');
    const res = await call('POST', '/requests.json', {
      form: {
        service_code: 'street_vending',
        lat: String(exact.lat),
        long: String(exact.lon),
        description: '私密描述-311',
        first_name: '密',
        last_name: '赵',
        phone: '13600001234',
      },
      cookie: reporter.cookie,
    });
    code = res.body[0].service_request_id;
  });

  it('lists requests with the spec fields only, open and closed as the database has them', async () => {
    const res = await call('GET', '/requests.json');
    expect(res.status).toBe(200);
    for (const r of res.body) expect(Object.keys(r).sort()).toEqual(REQUEST_FIELDS);
    const count = async (where: string) =>
      (
        await pool.query(
          `select count(*)::int as n from issues where county_code = $1 and state not in ('void', 'duplicate')
         and created_at >= now() - interval '90 days' and ${where}`,
          [COUNTY],
        )
      ).rows[0].n;
    expect(res.body.length).toBe(Math.min(1000, await count('true')));
    const open = await call('GET', '/requests.json?status=open');
    expect(open.body.every((r: { status: string }) => r.status === 'open')).toBe(true);
    expect(open.body.length).toBe(Math.min(1000, await count(`state not in ('closed', 'rated', 'returned')`)));
    const closed = await call('GET', '/requests.json?status=closed&service_code=street_litter,parking');
    expect(closed.body.length).toBe(
      await count(`state in ('closed', 'rated', 'returned') and category_id in ('street_litter', 'parking')`),
    );
    expect(
      closed.body.every(
        (r: { status: string; service_code: string }) =>
          r.status === 'closed' && ['street_litter', 'parking'].includes(r.service_code),
      ),
    ).toBe(true);
    const window = await call('GET', '/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-12-31T23:59:59Z');
    expect(window.body.length).toBe(
      Math.min(
        1000,
        (
          await pool.query(
            `select count(*)::int as n from issues where county_code = $1 and state not in ('void', 'duplicate') and created_at between '2026-01-01T00:00:00Z'
              and '2026-12-31T23:59:59Z'`,
            [COUNTY],
          )
        ).rows[0].n,
      ),
    );
    expectOpen311Error(await call('GET', '/requests.json?status=pending'), 400);
    expectOpen311Error(await call('GET', '/requests.json?start_date=yesterday'), 400);
    expectOpen311Error(await call('GET', '/requests.json?start_date=2026-05-01&end_date=2026-04-01'), 400);
    expectOpen311Error(await call('GET', '/requests.json?description=x'), 400);
  });

  it('reads one request by id or several by service_request_id, at the heat cell for public callers', async () => {
    const one = await call('GET', `/requests/${code}.json`);
    expect(one.status).toBe(200);
    expect(one.body).toHaveLength(1);
    expect(one.body[0]).toMatchObject({
      service_request_id: code,
      status: 'open',
      status_notes: 'reported',
      service_code: 'street_vending',
    });
    const [cellLon, cellLat] = cellCentreOf(exact.lon, exact.lat);
    const snapped = { lon: cellLon, lat: cellLat };
    expect(one.body[0].lat).toBeCloseTo(snapped.lat, 6);
    expect(one.body[0].long).toBeCloseTo(snapped.lon, 6);
    expect(Math.abs(one.body[0].lat - exact.lat) + Math.abs(one.body[0].long - exact.lon)).toBeGreaterThan(1e-7);
    // The dispatcher of the community gets the exact point.
    const mine = await call('GET', `/requests/${code}.json`, { cookie: await demoSession('dispatcher') });
    expect(mine.body[0].lat).toBeCloseTo(exact.lat, 6);
    const several = await call('GET', `/requests.json?service_request_id=${code},SJ00000000-000000&status=closed`);
    expect(several.body.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([code]);
    expectOpen311Error(await call('GET', '/requests/SJ00000000-000000.json'), 404);
  });

  it('never answers a public caller with a reporter field, the description or a photo', async () => {
    for (const cookie of [undefined, await demoSession('leader'), reporter.cookie, await demoSession('dispatcher')]) {
      for (const path of ['/requests.json', `/requests/${code}.json`, `/requests.json?service_request_id=${code}`]) {
        const text = JSON.stringify((await call('GET', path, { cookie })).body);
        for (const secret of ['私密描述-311', '赵密', '13600001234']) expect(text).not.toContain(secret);
        for (const key of ['description', 'media_url', 'reporter', 'phone', 'first_name', 'last_name', 'email'])
          expect(text).not.toContain(`"${key}"`);
      }
    }
  });
});
