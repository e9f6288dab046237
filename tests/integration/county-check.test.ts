import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CountyReport } from '../../shared/api/county-report.ts';
import { badPackages, bowTiePackage, gcj02CsvPackage, projectedPackage } from '../fixtures/county-packages/build.ts';
import { databaseUrl, testPool } from '../helpers/db.ts';
import { processRunner } from '../helpers/processes.ts';

/** npm run county -- check on packages made from real-world polygons: the report, the exit code, nothing written. */
const { run, killAll } = processRunner();
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gridlink-county-'));
const pool = testPool();
let before: Record<string, number>;

async function counts(): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ t: string }>(
    `select quote_ident(tablename) t from pg_tables where schemaname = current_schema() order by 1`,
  );
  const out: Record<string, number> = {};
  for (const { t } of rows) out[t] = (await pool.query(`select count(*)::int n from ${t}`)).rows[0].n;
  return out;
}

async function check(dir: string, lang = 'en') {
  const file = path.join(dir, '..', `${path.basename(dir)}-report.json`);
  const child = run('scripts/county.ts', ['check', dir, '--report', file, '--lang', lang], {
    DATABASE_URL: databaseUrl(),
  });
  const code = await child.exited;
  const report = fs.existsSync(file) ? CountyReport.parse(JSON.parse(fs.readFileSync(file, 'utf8'))) : null;
  return { code, report: report!, output: child.output() };
}

const codes = (r: CountyReport, severity?: string) =>
  r.problems.filter((p) => !severity || p.severity === severity).map((p) => p.code);

beforeAll(async () => {
  before = await counts();
});
afterAll(async () => {
  killAll();
  await pool.end();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('npm run county -- check', { timeout: 120_000 }, () => {
  it('reads a zipped Shapefile in UTM 17N with the household column named in the manifest: nothing blocks', async () => {
    const { code, report, output } = await check(projectedPackage(path.join(work, 'utm')));
    expect(code, output).toBe(0);
    const compounds = report.layers.find((l) => l.role === 'compounds')!;
    expect(compounds).toMatchObject({ status: 'read', format: 'Shapefile', features: 100 });
    expect(compounds.crs).toMatch(/UTM zone 17N/);
    expect(compounds.mapping).toMatchObject({ name: 'NAME', households: 'BIR74' });
    expect(codes(report, 'block')).toEqual([]);
    expect(report.layers.find((l) => l.role === 'communities')).toMatchObject({ status: 'derived' });
    expect(output).toContain('nothing blocks');
  });

  it('reads a GBK CSV of GCJ-02 points with Chinese headers and says the points sit off their communities', async () => {
    const { code, report, output } = await check(gcj02CsvPackage(path.join(work, 'gcj')), 'zh');
    expect(code, output).toBe(0);
    const compounds = report.layers.find((l) => l.role === 'compounds')!;
    expect(compounds).toMatchObject({ format: 'CSV', features: 100, approximate: 100 });
    expect(compounds.mapping).toMatchObject({ name: '小区名称', households: '户数', lon: '经度', lat: '纬度' });
    const hint = report.problems.find((p) => p.code === 'crs_gcj02_likely')!;
    expect(hint).toMatchObject({ severity: 'warn', where: { layer: 'compounds' } });
    expect(Number(hint.details.inside_converted)).toBeGreaterThan(Number(hint.details.inside_as_read));
    expect(Number(hint.details.shift)).toBeGreaterThan(300);
    expect(Number(hint.details.shift)).toBeLessThan(700);
    const unknown = report.problems.find((p) => p.code === 'types_unknown')!;
    expect(unknown.details).toMatchObject({ words: '别墅区', count: 1 });
    expect(output).toContain('GCJ-02');
    expect(output).toContain('没有阻断问题');
  });

  it('converts the points when the manifest says gcj02: every one lies in its community, no hint', async () => {
    const { code, report } = await check(gcj02CsvPackage(path.join(work, 'gcj-declared'), 'gcj02'));
    expect(code).toBe(0);
    expect(codes(report)).not.toContain('crs_gcj02_likely');
    expect(codes(report)).not.toContain('compound_outside_community');
  });

  it('blocks on a bow-tie and names it', async () => {
    const { code, report } = await check(bowTiePackage(path.join(work, 'bowtie')));
    expect(code).toBe(2);
    const invalid = report.problems.filter((p) => p.code === 'geometry_invalid');
    expect(invalid).toHaveLength(1);
    expect(invalid[0]).toMatchObject({ severity: 'block', where: { layer: 'compounds', name: 'Bow tie' } });
    expect(String(invalid[0].details.reason)).toMatch(/Self-intersection/);
  });

  it('blocks each bad package with the problem that says what is wrong', { timeout: 300_000 }, async () => {
    const bad = badPackages(path.join(work, 'bad'));
    const expected: Record<string, string> = {
      malformed: 'file_unreadable',
      empty: 'layer_empty',
      unmappable: 'columns_unmapped',
      encoding: 'encoding_unknown',
      heavy: 'compound_too_heavy',
    };
    for (const [name, problemCode] of Object.entries(expected)) {
      const { code, report, output } = await check(bad[name]);
      expect(code, `${name}: ${output}`).toBe(2);
      expect(codes(report, 'block'), name).toContain(problemCode);
    }
    const heavy = (await check(bad.heavy)).report.problems.filter((p) => p.code === 'compound_too_heavy');
    expect(heavy.map((p) => p.where.name)).toContain('Mecklenburg');
    expect(heavy.every((p) => Number(p.details.households) > 500)).toBe(true);
  });

  it('exits 1 on a usage error', async () => {
    expect((await check(path.join(work, 'no-such-folder'))).code).toBe(1);
  });

  it('writes nothing to the database', async () => {
    expect(await counts()).toEqual(before);
  });
});
