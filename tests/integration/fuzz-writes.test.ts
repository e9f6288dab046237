import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { demoAccount, loginCookie } from '../helpers/auth.ts';
import { COUNTY, tableRowCounts, testPool } from '../helpers/db.ts';
import { WRITE_ENDPOINTS, type FuzzContext, type WriteEndpoint } from '../fuzz/write-endpoints.ts';
import { brokenJson, BAD_POLYGONS, hostileParam, injection, invalidValue } from '../fuzz/hostile.ts';
import { formCases, type Case } from '../fuzz/form-cases.ts';
import { freshSession } from '../helpers/issues-fixtures.ts';

/**
 * Every write endpoint (tests/fuzz/write-endpoints.ts) under malformed and hostile input, as an admin (so
 * that validation, not the role check, answers): broken JSON, wrong types, huge numbers, bad polygons,
 * coordinates out of range, 10 MB bodies, injection strings, absurd ids and tile coordinates; for endpoints
 * that take forms, hostile forms and the valid form in wrong charsets, encodings and types. Every case: a 4xx
 * with a message (in the endpoint's error format), never a 5xx; and no table gains or loses a row. FUZZ_RUNS
 * cases in all (default 1500, about 30 s; `npm run fuzz` runs 10,000).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 1500);
const TEN_MB = 10 * 1024 * 1024 + 1;
const base = inject('baseUrl');
const pool = testPool();
let ctx: FuzzContext;
let cookie: string;

afterAll(() => pool.end());

beforeAll(async () => {
  const q = async (sql: string) => (await pool.query(sql, [COUNTY])).rows[0];
  const point = await q(
    `select st_x(c) lon, st_y(c) lat from (select st_pointonsurface(geom) c from grids where county_code = $1 order by id limit 1) g`,
  );
  cookie = await loginCookie(demoAccount('admin'));
  // A draft plan to aim the assignment cases at (made before the counts are taken).
  const plan = await fetch(`${base}/api/plans`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ name: '模糊测试' }),
  });
  expect(plan.status).toBe(201);
  // An Open311 api key of a reporter account of its own (nothing else posts for it).
  const reporter = await freshSession(pool, 'reporter');
  const key = await fetch(`${base}/api/admin/api-keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ user_id: reporter.userId, name: 'fuzz 311' }),
  });
  expect(key.status).toBe(201);
  ctx = {
    issueId: (await q('select id::int id from issues where county_code = $1 order by id limit 1')).id,
    planId: (await plan.json()).id,
    categoryId: (
      await q(`select id from issue_categories where county_code = $1 and parent_id is not null order by id limit 1`)
    ).id,
    lon: point.lon,
    lat: point.lat,
    apiKey: (await key.json()).apiKey,
  };
});

function pathOf(e: WriteEndpoint, override?: [string, string]): string {
  return e.path.replace(/:(\w+)/g, (_m, name: string) =>
    override?.[0] === name ? encodeURIComponent(override[1]) : String(e.params![name](ctx)),
  );
}

const json = (label: string, path: string, body: string): Case => ({
  label,
  path,
  headers: { 'content-type': 'application/json' },
  body,
});

/** 10 MB and more: made once, sent now and then (weight 1 against 10 for every other kind of case). */
let tenMb: Buffer | undefined;
const huge = () => (tenMb ??= Buffer.alloc(TEN_MB, 0x78));
const rare = (arb: fc.Arbitrary<Case>) => ({ arbitrary: arb, weight: 1 });
const usual = (arb: fc.Arbitrary<Case>) => ({ arbitrary: arb, weight: 10 });

const memo = new Map<WriteEndpoint, fc.Arbitrary<Case>>();
const casesOf = (e: WriteEndpoint) => memo.get(e) ?? memo.set(e, makeCases(e)).get(e)!;

/** The cases of one endpoint: each breaks one thing. */
function makeCases(e: WriteEndpoint): fc.Arbitrary<Case> {
  const params = Object.keys(e.params ?? {});
  const pathCase = () =>
    fc.tuple(fc.constantFrom(...params), hostileParam, fc.option(fc.constant('{}'))).map(([name, value, body]) => ({
      label: `path ${name}=${JSON.stringify(value)}`,
      path: pathOf(e, [name, value]),
      headers: { 'content-type': 'application/json' },
      body: e.method === 'GET' ? undefined : (body ?? '{"x":1}'),
    }));
  // A DELETE or a tile aimed at an existing row would delete it or just succeed: hostile parameters only.
  if (e.method === 'DELETE' || e.method === 'GET') return pathCase();

  const path = params.length ? pathOf(e) : e.path;
  const arbs: { arbitrary: fc.Arbitrary<Case>; weight: number }[] = [];
  if (params.length) arbs.push(usual(pathCase()));
  if (e.multipart) {
    const boundary = 'fuzzboundary';
    const part = (content: string | Buffer, name = 'photo', type = 'image/jpeg') =>
      Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="x.jpg"\r\nContent-Type: ${type}\r\n\r\n`,
        ),
        Buffer.from(content),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
    const multipart = (label: string, body: Buffer, b = boundary): Case => ({
      label,
      path,
      headers: { 'content-type': `multipart/form-data; boundary=${b}` },
      body,
    });
    arbs.push(
      usual(fc.string({ maxLength: 300 }).map((s) => multipart('not an image', part(s)))),
      usual(fc.string({ maxLength: 300 }).map((s) => multipart('garbage multipart', Buffer.from(s)))),
      usual(injection.map((s) => multipart('wrong field name', part('x', s.replace(/"/g, ''))))),
      usual(
        fc.constant(
          multipart(
            'unterminated multipart',
            Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="photo"\r\n\r\nabc`),
          ),
        ),
      ),
      rare(fc.constant(null).map(() => multipart('photo over 10 MB', part(huge())))),
      usual(brokenJson.map((s) => json('JSON to an upload', path, s))),
    );
    return fc.oneof(...arbs);
  }
  if (!e.body) {
    // Only a non-empty, wrong body can be refused (e.g. logout: an empty one is fine).
    arbs.push(
      usual(
        fc
          .dictionary(
            injection.filter((k) => k !== ''),
            fc.oneof(injection, fc.integer()),
            { minKeys: 1, maxKeys: 3 },
          )
          .map((b) => json('unexpected keys', path, JSON.stringify(b))),
      ),
    );
    arbs.push(usual(fc.constantFrom('[1]', '"x"', '{"a":').map((b) => json('wrong body', path, b))));
    return fc.oneof(...arbs);
  }
  const valid = e.body.valid(ctx);
  const fields = Object.entries(e.body.fields);
  const [firstField] = fields[0];
  let big: Case | undefined;
  arbs.push(
    usual(brokenJson.map((s) => json('broken JSON', path, s))),
    usual(
      fc
        .constantFrom('[]', '[{}]', '1', '"text"', 'null', 'true', '1e999')
        .map((s) => json('body of the wrong type', path, s)),
    ),
    usual(
      fc
        .constantFrom(...fields)
        .chain(([name, field]) => invalidValue(field).map((v) => [name, v] as const))
        .map(([name, v]) =>
          json(`field ${name}=${JSON.stringify(v)?.slice(0, 80)}`, path, JSON.stringify({ ...valid, [name]: v })),
        ),
    ),
    usual(
      fc
        .tuple(
          fc.constantFrom('geometry', 'polygon', 'county_code', 'id', 'role', 'constructor'),
          fc.oneof(fc.constantFrom(...BAD_POLYGONS), injection, fc.integer()),
        )
        .map(([k, v]) => json(`extra key ${k}`, path, JSON.stringify({ ...valid, [k]: v }))),
    ),
    // The 10 MB string goes into the first field, inside an otherwise valid body.
    rare(
      fc
        .constant(null)
        .map(() => (big ??= json('10 MB body', path, `{"${firstField}":"${huge().toString('latin1')}"}`))),
    ),
    usual(
      fc.constant({
        label: 'JSON as text/plain',
        path,
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify(valid),
      }),
    ),
  );
  if (e.form) arbs.push(...formCases(path, valid, e.body.fields, huge));
  return fc.oneof(...arbs);
}

/** The message of an error answer in the endpoint's format (undefined when it is not one). */
function messageOf(e: WriteEndpoint, status: number, text: string): string | undefined {
  const body = JSON.parse(text);
  if (e.errors !== 'open311') return body.error.message;
  return Array.isArray(body) && body.length === 1 && body[0].code === status ? body[0].description : undefined;
}

const anyCase = fc.constantFrom(...WRITE_ENDPOINTS).chain((e) => casesOf(e).map((c) => ({ e, c })));

describe('fuzzing the write endpoints', () => {
  it(
    `refuses ${RUNS} malformed or hostile requests with a 4xx and a message, writing nothing`,
    { timeout: Math.max(120_000, RUNS * 60) },
    async () => {
      const before = await tableRowCounts(pool);
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(anyCase, async ({ e, c }) => {
          const res = await fetch(`${base}${c.path}`, {
            method: e.method,
            headers: { ...c.headers, cookie },
            body: c.body as BodyInit | undefined,
          });
          const text = await res.text();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          const where = `${e.method} ${c.path.slice(0, 200)} (${c.label}) → ${res.status} ${text.slice(0, 300)}`;
          expect(res.status, where).toBeGreaterThanOrEqual(400);
          expect(res.status, where).toBeLessThan(500);
          expect(messageOf(e, res.status, text), where).toBeTruthy();
        }),
        { numRuns: RUNS },
      );
      console.log(
        `fuzz: ${RUNS} cases over ${WRITE_ENDPOINTS.length} endpoints; statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
      );
      expect(await tableRowCounts(pool)).toEqual(before);
      // The session used throughout is still good: nothing logged it out.
      expect((await fetch(`${base}/api/me`, { headers: { cookie } })).status).toBe(200);
    },
  );
});
