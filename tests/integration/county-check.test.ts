import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CountyReport } from '../../shared/api/county-report.ts';
import {
  badPackages,
  bowTiePackage,
  checksPackage,
  gbkShapefilePackage,
  gcj02CsvPackage,
  gcj02XlsxPackage,
  hostileWorkbookPackages,
  projectedPackage,
  shrunk,
  wrongPrjPackage,
} from '../fixtures/county-packages/build.ts';
import { databaseUrl, tableRowCounts, testPool } from '../helpers/db.ts';
import { processRunner } from '../helpers/processes.ts';

/** npm run county -- check on packages made from real-world polygons: the report, the exit code, nothing written. */
const { run, killAll } = processRunner();
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gridlink-county-'));
const pool = testPool();
let before: Record<string, number>;

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
  before = await tableRowCounts(pool);
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

  it('reads compounds from a workbook GDAL wrote (named in the manifest): Chinese headers map, GCJ-02 is seen', async () => {
    const { code, report, output } = await check(gcj02XlsxPackage(path.join(work, 'xlsx')));
    expect(code, output).toBe(0);
    const compounds = report.layers.find((l) => l.role === 'compounds')!;
    expect(compounds).toMatchObject({ file: '小区.xlsx', format: 'XLSX', features: 100, approximate: 100 });
    expect(compounds.mapping).toEqual({
      name: '小区名称',
      households: '户数',
      lon: '经度',
      lat: '纬度',
      community: '所属社区',
      type: '类型',
    });
    const hint = report.problems.find((p) => p.code === 'crs_gcj02_likely')!;
    expect(Number(hint.details.shift)).toBeGreaterThan(300);
    expect(Number(hint.details.shift)).toBeLessThan(700);
  });

  it('refuses a hostile workbook with a problem that says what is wrong', { timeout: 180_000 }, async () => {
    const hostile = hostileWorkbookPackages(path.join(work, 'hostile-xlsx'));
    const expected: Record<string, RegExp> = {
      doctype: /the first sheet: the XML declares a DOCTYPE/,
      rows: /more than 200000 rows \(D300000\)/,
      traversal: /"\.\.", "\." and empty path parts are not accepted/,
    };
    for (const [name, message] of Object.entries(expected)) {
      const { code, report } = await check(hostile[name]);
      expect(code, name).toBe(2);
      const refused = report.problems.filter((p) => p.code === 'file_unreadable');
      expect(refused, name).toMatchObject([{ severity: 'block', where: { layer: 'compounds' } }]);
      expect(String(refused[0].details.message), name).toMatch(message);
    }
  });

  it('honours the .cpg of a zipped Shapefile: GBK names and values are read; without it nothing maps', async () => {
    const { code, report, output } = await check(gbkShapefilePackage(path.join(work, 'cpg')));
    expect(code, output).toBe(0);
    const compounds = report.layers.find((l) => l.role === 'compounds')!;
    expect(compounds).toMatchObject({ format: 'Shapefile', features: 100 });
    expect(compounds.mapping).toEqual({ name: '小区名称', households: '户数', type: '类型' });
    expect(report.problems.find((p) => p.code === 'types_unknown')!.details).toEqual({ words: '别墅区', count: 1 });
    const without = await check(gbkShapefilePackage(path.join(work, 'no-cpg'), false));
    expect(without.code).toBe(2);
    expect(without.report.layers.find((l) => l.role === 'compounds')!.mapping).toEqual({});
    expect(codes(without.report, 'block')).toContain('columns_unmapped');
  });

  it("takes the manifest's EPSG code over a file's wrong .prj", async () => {
    const trusted = await check(wrongPrjPackage(path.join(work, 'prj-trusted'), true));
    expect(codes(trusted.report, 'block').filter((c) => c === 'compound_outside_county')).toHaveLength(100);
    const { code, report, output } = await check(wrongPrjPackage(path.join(work, 'prj')));
    expect(code, output).toBe(0);
    expect(report.layers.find((l) => l.role === 'compounds')!.crs).toMatch(
      /^EPSG:32617 \(manifest; the file says .*50N\)$/,
    );
    expect(codes(report)).not.toContain('compound_outside_county');
  });

  it('finds the problems between layers, each with its place and whether it blocks', async () => {
    const { code, report, output } = await check(checksPackage(path.join(work, 'checks')), 'zh');
    expect(code, output).toBe(2);
    const of = (c: string) => report.problems.filter((p) => p.code === c);
    const place = (p: CountyReport['problems'][number]) => [p.severity, p.where.layer, p.where.id, p.where.name];
    expect(of('compound_outside_county').map(place)).toEqual([['block', 'compounds', 'Q301', '飞地小区']]);
    expect(of('station_outside_county').map(place)).toEqual([['warn', 'stations', '3', '境外站']]);
    const duplicates = of('duplicate_name');
    expect(duplicates.map(place)).toEqual([['warn', 'compounds', 'Q201', '翠园小区']]);
    expect(duplicates[0].details.other_id).toBe('Q202');
    expect(Number(duplicates[0].details.distance)).toBeGreaterThan(40);
    expect(Number(duplicates[0].details.distance)).toBeLessThan(50);
    const people = of('person_place_unknown');
    expect(people.map(place)).toEqual([
      ['warn', 'people', 'P3', '王五'],
      ['warn', 'people', 'P4', '赵六'],
      ['warn', 'people', 'P5', '钱七'],
    ]);
    expect(people.map((p) => [p.details.grid, p.details.community])).toEqual([
      ['不存在网格', 'Wake'],
      ['', 'Randolph'],
      ['', ''],
    ]);
    expect(output).toContain('人员无法归入已知的网格或社区（所属网格“不存在网格”，所属社区“Wake”）');
    // The gap is where Randolph was left out, of its area; the overlap is Wake's with its moved copy.
    const randolph = shrunk().features.find((f) => f.properties.NAME === 'Randolph')!;
    const area = async (g: unknown) =>
      (await pool.query('select st_area(st_geomfromgeojson($1)::geography) a', [JSON.stringify(g)])).rows[0].a;
    const gaps = of('communities_gap');
    expect(gaps.map((p) => [p.severity, p.where.layer])).toEqual([['warn', 'communities']]);
    expect(Number(gaps[0].details.area) / (await area(randolph.geometry))).toBeCloseTo(1, 2);
    const wake = of('communities_overlap').find((p) => p.where.name === 'Wake' && p.details.other_name === 'Wake新区')!;
    expect(wake.severity).toBe('warn');
    expect(Number(wake.details.area)).toBeGreaterThan(
      0.5 * (await area(shrunk().features.find((f) => f.properties.NAME === 'Wake')!.geometry)),
    );
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
    expect(await tableRowCounts(pool)).toEqual(before);
  });
});
