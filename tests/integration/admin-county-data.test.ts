// The admin data page's API on the test server (real PostGIS): county packages made from real-world polygons
// (tests/fixtures/county-packages) uploaded as a zip or by role, their report, a re-check with another mapping,
// an apply with progress lines and its audit row; hostile or malformed uploads refused with nothing kept or written.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ApplyLine, CountyCheckAnswer } from '../../shared/api/county-data.ts';
import { badPackages, gcj02CsvPackage, projectedPackage } from '../fixtures/county-packages/build.ts';
import { makeZip } from '../fuzz/hostile-archives.ts';
import { demoAccount, loginCookie, postJson } from '../helpers/auth.ts';
import { COUNTY, testPool } from '../helpers/db.ts';
import { filesDir } from '../helpers/plan-files.ts';

const base = inject('baseUrl');
const uploadsDir = path.join(inject('dataDir'), 'county-uploads');
const pool = testPool();
const work = filesDir('admin-county-data-');
const URL = `${base}/api/admin/county-data`;
/** Codes of this file: the one applied, the blocked one (never written). */
const APPLIED = '999301';
const BLOCKED = '999001';
let admin: string;

beforeAll(async () => {
  admin = await loginCookie(demoAccount('admin'));
});
afterAll(() => pool.end());

type Files = Record<string, { name: string; bytes: Buffer }>;
const filesOf = (dir: string, roles: Record<string, string>): Files =>
  Object.fromEntries(
    Object.entries(roles).map(([field, name]) => [field, { name, bytes: fs.readFileSync(path.join(dir, name)) }]),
  );

function upload(files: Files, manifest?: object, cookie = admin): Promise<Response> {
  const form = new FormData();
  for (const [field, f] of Object.entries(files)) form.append(field, new Blob([new Uint8Array(f.bytes)]), f.name);
  if (manifest) form.append('manifest', JSON.stringify(manifest));
  return fetch(URL, { method: 'POST', body: form, headers: { cookie } });
}

async function checked(res: Response): Promise<CountyCheckAnswer> {
  const body = await res.json();
  expect(res.status, JSON.stringify(body).slice(0, 500)).toBe(200);
  return CountyCheckAnswer.parse(body);
}

async function apply(uploadId: string): Promise<{ status: number; lines: ApplyLine[]; error?: { code: string } }> {
  const res = await fetch(`${URL}/${uploadId}/apply`, { method: 'POST', headers: { cookie: admin } });
  const text = await res.text();
  if (res.status !== 200) return { status: res.status, lines: [], error: JSON.parse(text).error };
  return {
    status: 200,
    lines: text
      .trim()
      .split('\n')
      .map((l) => ApplyLine.parse(JSON.parse(l))),
  };
}

const count = async (sql: string, params: unknown[]) => (await pool.query(sql, params)).rows[0].n as number;
const compounds = (code: string) => count(`select count(*)::int n from compounds where county_code = $1`, [code]);
const imports = (code: string) =>
  count(`select count(*)::int n from audit_log where action = 'county.import' and target = $1`, [`county:${code}`]);
const kept = () => (fs.existsSync(uploadsDir) ? fs.readdirSync(uploadsDir).length : 0);

/** The GCJ-02 CSV package by role, its manifest from the form (no county.json). */
function gcjUpload(code: string, fields?: object) {
  const dir = gcj02CsvPackage(path.join(work, `gcj-${code}-${Math.random().toString(36).slice(2)}`));
  const files = filesOf(dir, { compounds: 'compounds.csv', communities: 'communities.geojson' });
  return upload(files, {
    name: '宁夏北卡',
    code,
    bounds: { min: 1, max: 30_000 },
    crs: { compounds: 'gcj02' },
    ...(fields ? { fields } : {}),
  });
}

describe('admin county data', () => {
  it('checks a whole package sent as one zip of its folder: counts, the guessed mapping and the columns', async () => {
    const dir = projectedPackage(path.join(work, 'nc'));
    execFileSync('zip', ['-q', '-r', 'nc.zip', 'pkg'], { cwd: dir.replace(/\/pkg$/, '') });
    const zip = fs.readFileSync(path.join(path.dirname(dir), 'nc.zip'));
    const answer = await checked(await upload({ package: { name: 'nc.zip', bytes: zip } }));
    const layer = answer.report.layers.find((l) => l.role === 'compounds')!;
    expect(answer.report.blocking).toBe(false);
    expect(layer).toMatchObject({ status: 'read', format: 'Shapefile', features: 100 });
    expect(layer.mapping).toMatchObject({ name: 'NAME', households: 'BIR74' });
    expect(layer.columns).toEqual(expect.arrayContaining(['NAME', 'FIPS', 'BIR74']));
    expect(answer.manifest).toMatchObject({ name: '北卡县', code: '999001' });
    // Kept for apply in a private folder.
    const folder = fs.readdirSync(uploadsDir).map((d) => path.join(uploadsDir, d));
    expect(folder.length).toBeGreaterThan(0);
    for (const f of folder) expect(fs.statSync(f).mode & 0o777).toBe(0o700);
  });

  it('takes the manifest from the form, reports the guessed mapping, and checks again with a changed one', async () => {
    const first = await checked(await gcjUpload(APPLIED));
    const layer = first.report.layers.find((l) => l.role === 'compounds')!;
    expect(layer).toMatchObject({ format: 'CSV', features: 100 });
    expect(layer.mapping).toMatchObject({ name: '小区名称', households: '户数', community: '所属社区' });
    expect(layer.columns).toEqual(['小区名称', '户数', '经度', '纬度', '所属社区', '类型']);
    const res = await postJson(
      `${URL}/${first.uploadId}/check`,
      { fields: { compounds: { name: '所属社区' } } },
      { cookie: admin },
    );
    const again = await checked(res);
    expect(again.uploadId).toBe(first.uploadId);
    expect(again.report.layers.find((l) => l.role === 'compounds')!.mapping.name).toBe('所属社区');
    expect(again.manifest?.fields).toEqual({ compounds: { name: '所属社区' } });
  });

  it('applies a package with progress lines, one audit row by the admin, and then forgets the upload', async () => {
    const answer = await checked(await gcjUpload(APPLIED));
    expect(answer.report.blocking).toBe(false);
    const before = kept();
    const { status, lines } = await apply(answer.uploadId);
    expect(status).toBe(200);
    const steps = lines.filter((l) => l.stage === 'progress').map((l) => (l as { step: string }).step);
    expect(steps).toEqual(expect.arrayContaining(['read', 'checked', 'communities', 'compounds']));
    const done = lines.at(-1)!;
    expect(done).toMatchObject({ stage: 'done', summary: { code: APPLIED, rows: { compounds: 100 } } });
    expect(await compounds(APPLIED)).toBe(100);
    const audit = await pool.query(
      `select actor from audit_log where action = 'county.import' and target = $1 order by id desc limit 1`,
      [`county:${APPLIED}`],
    );
    expect(audit.rows[0].actor).toBe(demoAccount('admin').username);
    expect(kept()).toBe(before - 1);
    expect((await apply(answer.uploadId)).status).toBe(404);
  });

  it('reports a blocking package (with positions) and refuses to apply it: nothing written', async () => {
    const dir = badPackages(path.join(work, 'bad')).heavy;
    const answer = await checked(
      await upload({ ...filesOf(dir, { compounds: 'compounds.geojson', 'county.json': 'county.json' }) }),
    );
    expect(answer.report.blocking).toBe(true);
    const heavy = answer.report.problems.find((p) => p.code === 'compound_too_heavy')!;
    expect(heavy).toMatchObject({ severity: 'block', where: { layer: 'compounds', lon: expect.any(Number) } });
    const audits = await imports(BLOCKED);
    const refused = await apply(answer.uploadId);
    expect(refused).toMatchObject({ status: 409, error: { code: 'PackageBlocked' } });
    expect(await compounds(BLOCKED)).toBe(0);
    expect(await imports(BLOCKED)).toBe(audits);
  });

  it('refuses to replace a county that holds records (409), writing nothing', async () => {
    const answer = await checked(await gcjUpload(COUNTY));
    const before = await compounds(COUNTY);
    const audits = await imports(COUNTY);
    const refused = await apply(answer.uploadId);
    expect(refused).toMatchObject({ status: 409, error: { code: 'CountyHasRecords' } });
    expect(await compounds(COUNTY)).toBe(before);
    expect(await imports(COUNTY)).toBe(audits);
  });

  it('refuses a zip with a ".." member, an unknown role, a bad manifest and a non-multipart body with a 400', async () => {
    const before = kept();
    const evil = makeZip([{ name: '../county.json', data: Buffer.from('{}') }]);
    const zipRes = await upload({ package: { name: 'evil.zip', bytes: evil } });
    expect(zipRes.status).toBe(400);
    expect((await zipRes.json()).error.message).toMatch(/"\.\."/);
    const csv = { name: 'a.csv', bytes: Buffer.from('名称,户数,经度,纬度\n甲,1,107,37\n') };
    const role = await upload({ houses: csv }, { name: '县', code: '999302' });
    expect(role.status).toBe(400);
    expect((await role.json()).error.message).toMatch(/unknown role "houses"/);
    const manifest = await upload({ compounds: csv }, { name: '县', code: '12' });
    expect(manifest.status).toBe(400);
    expect((await manifest.json()).error.message).toMatch(/code/);
    const json = await postJson(URL, {}, { cookie: admin });
    expect(json.status).toBe(400);
    expect(kept()).toBe(before);
  });

  /** The status of a multipart POST that sends only its first bytes (declaring `length`, or chunked). */
  const statusOf = (length?: number) =>
    new Promise<number>((resolve, reject) => {
      const req = request(
        URL,
        {
          method: 'POST',
          headers: {
            cookie: admin,
            'content-type': 'multipart/form-data; boundary=x',
            ...(length === undefined ? {} : { 'content-length': String(length) }),
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode!);
          req.destroy();
        },
      );
      req.on('error', reject);
      req.write('--x\r\n');
    });

  it('answers 413 to an upload declaring more than the package limit and 411 to one declaring nothing', async () => {
    expect(await statusOf(2 * 1024 * 1024 * 1024)).toBe(413);
    expect(await statusOf()).toBe(411);
  });

  it('keeps at most four uploads: a fifth forgets the oldest, whose folder is removed', async () => {
    const csv = { name: 'a.csv', bytes: Buffer.from('名称,户数,经度,纬度\n甲,1,107.3,37.8\n') };
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await checked(await upload({ compounds: csv }, { name: '县', code: '999304' }))).uploadId);
    expect(kept()).toBe(4);
    const oldest = await postJson(`${URL}/${ids[0]}/check`, {}, { cookie: admin });
    expect(oldest.status).toBe(404);
    const newest = await postJson(`${URL}/${ids[4]}/check`, {}, { cookie: admin });
    expect(newest.status).toBe(200);
  });

  it('lets only admins in', async () => {
    const planner = await loginCookie(demoAccount('planner'));
    const csv = { name: 'a.csv', bytes: Buffer.from('名称,户数,经度,纬度\n甲,1,107,37\n') };
    expect((await upload({ compounds: csv }, { name: '县', code: '999303' }, planner)).status).toBe(403);
    expect((await fetch(URL, { method: 'POST' })).status).toBe(401);
  });
});
