import { existsSync, readFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { PoolConfig } from 'pg';
import { DEMO_ACCOUNTS_FILE } from '../../server/auth/accounts.ts';
import { ZIP_LIMITS } from '../../server/plans/zip-extract.ts';
import { demoAccount, demoAccounts, loginCookie } from '../helpers/auth.ts';
import { testPool } from '../helpers/db.ts';
import { exportPlan, filesDir, gdal, newPlan, shapefileSet } from '../helpers/plan-files.ts';
import {
  hostileGpkg,
  makeZip,
  shapefileMembers,
  vrt,
  type GpkgAttack,
  type ZipMember,
} from '../fuzz/hostile-archives.ts';

// The planner's file import under hostile files. A zip, GeoJSON or GeoPackage must not make GDAL read
// other local files (the demo passwords), fetch URLs, or open the database; archives that traverse, link, bomb
// or overflow are refused; one import runs at a time. Every refusal is a 400 (or 429) and writes nothing.

const base = inject('baseUrl');
const dataDir = inject('dataDir');
const db = inject('db') as PoolConfig;
const pool = testPool();
const dir = filesDir('plan-files-hostile-');
const accountsFile = path.join(dataDir, DEMO_ACCOUNTS_FILE);
const passwords = () => demoAccounts().map((a) => a.password);
let planner: string;
/** A valid Shapefile set (units of the demo county) and a valid GeoPackage, made by ogr2ogr from an export. */
let shapefile: Record<string, Buffer>;
let gpkg: Buffer;
/** A local HTTP server that counts the requests it gets (none must come). */
let http: Server;
let hits: string[] = [];
let httpBase: string;

function upload(route: 'preview' | 'apply', bytes: Buffer, fileName: string): Promise<Response> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), fileName);
  return fetch(`${base}/api/plan-files/${route}`, { method: 'POST', body: form, headers: { cookie: planner } });
}

async function counts(): Promise<number[]> {
  const { rows } = await pool.query(
    `select (select count(*)::int from plans) p, (select count(*)::int from plan_assignments) a, (select count(*)::int from audit_log) l`,
  );
  return [rows[0].p, rows[0].a, rows[0].l];
}

/**
 * Sends the file to preview and apply: both must answer 400 with a message matching `message`, no response may
 * hold a demo password or `secret`, and nothing is written.
 */
async function refused(bytes: Buffer, fileName: string, message: RegExp, secret?: string): Promise<void> {
  const before = await counts();
  for (const route of ['preview', 'apply'] as const) {
    const res = await upload(route, bytes, fileName);
    const text = await res.text();
    for (const p of passwords()) expect(text, `${route} leaks a password`).not.toContain(p);
    if (secret) expect(text, `${route} leaks ${secret}`).not.toContain(secret);
    expect(res.status, `${route}: ${text.slice(0, 500)}`).toBe(400);
    expect(JSON.parse(text).error.message).toMatch(message);
  }
  expect(await counts()).toEqual(before);
}

beforeAll(async () => {
  planner = await loginCookie(demoAccount('planner'));
  const id = await newPlan(planner, 'hostile files source');
  const exported = await exportPlan(planner, id, 'format=gpkg', path.join(dir, 'export.gpkg'));
  gdal('ogr2ogr', '-f', 'ESRI Shapefile', path.join(dir, 'units.shp'), exported, 'units');
  shapefile = shapefileSet(dir, 'units');
  // Without the spatial index: SQLite compiled to WebAssembly has no rtree module to edit the schema around it.
  gdal('ogr2ogr', '-f', 'GPKG', path.join(dir, 'units.gpkg'), exported, 'units', '-lco', 'SPATIAL_INDEX=NO');
  gpkg = readFileSync(path.join(dir, 'units.gpkg'));
  http = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.end('unit_id,grid_label\nX,Y\n');
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  httpBase = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => http.close(resolve));
  await pool.end();
});

describe('a zip is listed in Node; only one Shapefile set is extracted, and GDAL never sees anything else', () => {
  it('accepts the valid Shapefile set (the baseline the refusals below differ from)', async () => {
    const res = await upload('preview', makeZip(shapefileMembers(shapefile, 'units')), 'units.zip');
    const body = await res.json();
    expect(res.status, JSON.stringify(body).slice(0, 300)).toBe(200);
    expect(body).toMatchObject({ format: 'Shapefile', layer: 'units' });
    expect(body.features).toBeGreaterThan(50);
  });

  it('a VRT reading demo-accounts.txt through CSV: — refused, no password in any answer', async () => {
    const zip = makeZip([
      {
        name: 'units.vrt',
        data: vrt(
          `CSV:${accountsFile}`,
          '<OpenOptions><OOI key="HEADERS">NO</OOI></OpenOptions><SrcLayer>demo-accounts</SrcLayer>',
        ),
      },
    ]);
    await refused(zip, 'accounts.zip', /no \.shp/);
  });

  it('a VRT reading a URL through /vsicurl/ — refused, and the server gets no request', async () => {
    hits = [];
    await refused(
      makeZip([{ name: 'units.vrt', data: vrt(`/vsicurl/${httpBase}/units.csv`) }]),
      'remote.zip',
      /no \.shp/,
    );
    expect(hits).toEqual([]);
  });

  it('a VRT opening the database through PG: — refused, no account name or hash in any answer', async () => {
    const host = db.host ?? '127.0.0.1';
    const source = `PG:host=${host} port=${db.port ?? 5432} dbname=${db.database} user=${db.user}${db.password ? ` password=${db.password}` : ''}`;
    const { rows } = await pool.query(`select username, password_hash from users order by id limit 1`);
    const zip = makeZip([
      {
        name: 'units.vrt',
        data: vrt(source, `<SrcSQL>select username as unit_id, password_hash as grid_label from users</SrcSQL>`),
      },
    ]);
    await refused(zip, 'database.zip', /no \.shp/, rows[0].password_hash);
  });

  it('member names with "..", absolute paths or backslashes — refused, nothing extracted outside', async () => {
    const outside = path.join(tmpdir(), `gridlink-escaped-${process.pid}`);
    await refused(makeZip(shapefileMembers(shapefile, `../${path.basename(outside)}`)), 'traversal.zip', /"\.\."/);
    await refused(makeZip(shapefileMembers(shapefile, `${outside}/units`)), 'absolute.zip', /absolute/);
    await refused(makeZip(shapefileMembers(shapefile, 'dir\\units')), 'backslash.zip', /backslash/);
    await refused(makeZip(shapefileMembers(shapefile, 'a/b/units')), 'deep.zip', /one folder level/);
    expect(existsSync(`${outside}.shp`)).toBe(false);
  });

  it('a symbolic link (to demo-accounts.txt) — refused', async () => {
    const members: ZipMember[] = [
      ...shapefileMembers(shapefile, 'units').filter((m) => !m.name.endsWith('.dbf')),
      { name: 'units.dbf', data: Buffer.from(accountsFile), mode: 0o120777, method: 0 },
    ];
    await refused(makeZip(members), 'link.zip', /symbolic link/);
  });

  it('a zip bomb (a member inflating over 200 times its size) — refused before inflating', async () => {
    const bomb = makeZip([
      ...shapefileMembers(shapefile, 'units'),
      { name: 'units.cpg', data: Buffer.alloc(64 << 20) },
    ]);
    expect(bomb.length).toBeLessThan(1 << 20);
    await refused(bomb, 'bomb.zip', new RegExp(`more than ${ZIP_LIMITS.ratio}:1`));
  });

  it('a member whose data inflates past its declared size — refused', async () => {
    const members = shapefileMembers(shapefile, 'units').map((m) =>
      m.name.endsWith('.dbf') ? { ...m, declaredSize: 100 } : m,
    );
    await refused(makeZip(members), 'liar.zip', /declared size/);
  });

  it(`more than ${ZIP_LIMITS.members} members — refused`, async () => {
    const filler = Array.from({ length: ZIP_LIMITS.members }, (_, i) => ({
      name: `readme-${i}.txt`,
      data: Buffer.from('x'),
    }));
    await refused(makeZip([...shapefileMembers(shapefile, 'units'), ...filler]), 'many.zip', /entries/);
  });
});

describe('GeoJSON is rewritten in Node: nothing in it can make GDAL fetch or read', () => {
  const collection = (extra: Record<string, unknown>, geometryExtra: Record<string, unknown> = {}) =>
    Buffer.from(
      JSON.stringify({
        type: 'FeatureCollection',
        ...extra,
        features: [
          {
            type: 'Feature',
            properties: { unit_id: 'X', grid_label: 'G' },
            geometry: { type: 'Point', coordinates: [106.2, 38.3], ...geometryExtra },
          },
        ],
      }),
    );

  it('a "crs" linking to a URL — refused, and the server gets no request', async () => {
    hits = [];
    await refused(
      collection({ crs: { type: 'link', properties: { href: `${httpBase}/crs.wkt`, type: 'ogcwkt' } } }),
      'link.geojson',
      /crs/,
    );
    await refused(
      collection({ crs: { type: 'name', properties: { name: `${httpBase}/crs-name` } } }),
      'name.geojson',
      /crs/,
    );
    await refused(collection({ crs: { type: 'name', properties: { name: accountsFile } } }), 'file.geojson', /crs/);
    expect(hits).toEqual([]);
  });

  it('a "crs" on a geometry is dropped, never fetched', async () => {
    hits = [];
    const res = await upload(
      'preview',
      collection({}, { crs: { type: 'name', properties: { name: `${httpBase}/geometry-crs` } } }),
      'g.geojson',
    );
    expect(res.status).toBe(200);
    expect(hits).toEqual([]);
  });

  it('a VRT disguised as .geojson — refused as not geodata', async () => {
    await refused(vrt(`CSV:${accountsFile}`), 'units.geojson', /not a geodata file/);
  });

  it('field names of 100 kB — refused with a clear message', async () => {
    await refused(
      Buffer.from(
        JSON.stringify({
          type: 'FeatureCollection',
          features: [{ type: 'Feature', properties: { ['n'.repeat(100_000)]: 1, unit_id: 'X' }, geometry: null }],
        }),
      ),
      'long.geojson',
      /field name is longer/,
    );
  });
});

describe('a GeoPackage whose schema could run code or reach other files is refused before GDAL opens it', () => {
  it.each([
    ['trigger', /trigger/],
    ['virtual-table', /virtual table/],
    ['view', /view/],
    ['generated-column', /generated/],
  ] as [GpkgAttack, RegExp][])('%s', async (attack, message) => {
    await refused(await hostileGpkg(gpkg, attack, accountsFile), `${attack}.gpkg`, message);
  });

  it('the valid GeoPackage they were made from is accepted', async () => {
    const res = await upload('preview', gpkg, 'units.gpkg');
    expect(res.status).toBe(200);
    expect((await res.json()).layer).toBe('units');
  });
});

describe('one import at a time', () => {
  it('a second import while one is being received gets 429 with Retry-After; the first then goes on', async () => {
    const url = new URL(`${base}/api/plan-files/preview`);
    const boundary = 'gridlinkboundary';
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="slow.geojson"\r\nContent-Type: application/json\r\n\r\n`;
    const file = '{"type":"FeatureCollection","features":[]}';
    const tail = `\r\n--${boundary}--\r\n`;
    /** Starts an upload that sends its headers and the start of its body, and then waits. */
    const startSlow = () => {
      const slow = request({
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: {
          cookie: planner,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': Buffer.byteLength(head + file + tail),
        },
      });
      const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
        slow.on('response', (res) => {
          let body = '';
          res
            .setEncoding('utf8')
            .on('data', (c: string) => (body += c))
            .on('end', () => resolve({ status: res.statusCode!, body }));
        });
        slow.on('error', reject);
      });
      slow.write(head);
      return { slow, answer };
    };
    // The slow upload must have reached the server before the second is sent: on a busy machine it may not
    // have after the pause, and then the second takes the slot — that try is abandoned and made again.
    let first = startSlow();
    let second: Response | undefined;
    for (let attempt = 1; attempt <= 5; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 300 * attempt));
      second = await upload('preview', Buffer.from(file), 'second.geojson');
      if (second.status === 429) break;
      first.slow.destroy();
      await first.answer.catch(() => undefined);
      first = startSlow();
    }
    expect(second!.status).toBe(429);
    expect(second!.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await second!.json()).error.message).toMatch(/another file/);
    first.slow.end(file + tail);
    const answered = await first.answer;
    expect(answered.status, answered.body).toBe(400);
    expect(JSON.parse(answered.body).error.message).toMatch(/no features/);
    // Once the first has answered, the next one is taken.
    expect((await upload('preview', Buffer.from(file), 'third.geojson')).status).toBe(400);
  });
});
