import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { compoundTypeOf, guessMapping, householdsOf } from '../../server/county/columns.ts';
import { bd09ToGcj02, crsPlan } from '../../server/county/crs.ts';
import { CSV_LIMITS, decodeCsv, parseCsv, readCsv, TableRefused } from '../../server/county/csv.ts';

const gbk = (text: string) => execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GBK'], { input: text });

describe('county CSV tables', () => {
  it('reads UTF-8 with and without BOM, and GBK, to the same table', () => {
    const text = '小区名称,户数\r\n"翠园, 东区",120\r\n';
    const plain = readCsv(Buffer.from(text));
    expect(plain).toEqual({ encoding: 'UTF-8', header: ['小区名称', '户数'], rows: [['翠园, 东区', '120']] });
    expect(readCsv(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])).header).toEqual(plain.header);
    expect(readCsv(gbk(text))).toEqual({ ...plain, encoding: 'GB18030' });
  });

  it('refuses UTF-16 and binary bytes as an unknown encoding', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b', 'utf16le')]);
    for (const bytes of [utf16, Buffer.from([0x61, 0x00, 0x62]), Buffer.from([0x61, 0xff, 0x80])])
      expect(() => decodeCsv(bytes)).toThrow(expect.objectContaining({ code: 'encoding_unknown' }));
  });

  it('parses quotes, doubled quotes, newlines in quotes and tabs in one pass', () => {
    expect(parseCsv('a,b\n"x ""y""","1\n2"\n')).toEqual([
      ['a', 'b'],
      ['x "y"', '1\n2'],
    ]);
    expect(parseCsv('a\tb\n1\t2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(() => parseCsv('a,"b')).toThrow(TableRefused);
  });

  it('caps columns and cell length, and a long run of quotes takes linear time', () => {
    expect(() =>
      parseCsv(
        Array(CSV_LIMITS.columns + 1)
          .fill('c')
          .join(','),
      ),
    ).toThrow(/columns/);
    expect(() => parseCsv('x'.repeat(CSV_LIMITS.cellChars + 1))).toThrow(/longer/);
    const started = Date.now();
    parseCsv(`"${'""'.repeat(2000)}"\n`.repeat(50));
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('county columns', () => {
  it('guesses fields from Chinese and English names, units in brackets ignored; the manifest wins', () => {
    const m = guessMapping(['小区名称', '户数（户）', '经度', '纬度', '所属社区', '小区类型', 'HH'], {
      households: 'HH',
    });
    expect(m.fields).toEqual({
      name: '小区名称',
      households: 'HH',
      lon: '经度',
      lat: '纬度',
      community: '所属社区',
      type: '小区类型',
    });
    expect(guessMapping(['Name', 'Longitude', 'LAT'], { community: 'WARD' })).toEqual({
      fields: { name: 'Name', lon: 'Longitude', lat: 'LAT' },
      missing: ['WARD'],
    });
  });

  it('maps a people table: person name, grid and community', () => {
    expect(guessMapping(['编号', '姓名', '所属网格', '所属社区', '电话']).fields).toEqual({
      id: '编号',
      name: '姓名',
      grid: '所属网格',
      community: '所属社区',
    });
  });

  it('maps the type words of a file to the four compound types and knows when it cannot', () => {
    expect(['商品房', '老旧小区', '单位家属院', '安置小区'].map(compoundTypeOf)).toEqual([
      'commercial_residential',
      'old',
      'work_unit',
      'transitional',
    ]);
    expect(compoundTypeOf('别墅区')).toBeNull();
  });

  it('reads household counts as counties write them', () => {
    expect(['1,234', '120户', ' 85 ', '', 'many'].map(householdsOf)).toEqual([1234, 120, 85, null, Number.NaN]);
  });
});

describe('county coordinates', () => {
  it("takes the manifest's CRS over the file's own, the file's over none, and stages a file without one in the code", () => {
    const utm50 = 'WGS 84 / UTM zone 50N';
    expect(crsPlan('EPSG:32617', utm50)).toEqual({
      srid: 4326,
      offset: null,
      label: `EPSG:32617 (manifest; the file says ${utm50})`,
    });
    expect(crsPlan('wgs84', utm50).label).toBe(`EPSG:4326 (manifest; the file says ${utm50})`);
    expect(crsPlan(undefined, utm50)).toEqual({ srid: 4326, offset: null, label: `${utm50} (file)` });
    expect(crsPlan(4526, null)).toEqual({ srid: 4526, offset: null, label: 'EPSG:4526' });
    expect(crsPlan('gcj02', utm50)).toEqual({ srid: 4326, offset: 'gcj02', label: 'gcj02' });
  });

  it('takes a BD-09 point back to GCJ-02 within a metre (Baidu’s forward offset as published)', () => {
    const gcj: [number, number] = [107.4, 37.78];
    const z = Math.sqrt(gcj[0] ** 2 + gcj[1] ** 2) + 0.00002 * Math.sin((gcj[1] * Math.PI * 3000) / 180);
    const t = Math.atan2(gcj[1], gcj[0]) + 0.000003 * Math.cos((gcj[0] * Math.PI * 3000) / 180);
    const back = bd09ToGcj02([z * Math.cos(t) + 0.0065, z * Math.sin(t) + 0.006]);
    expect(Math.abs(back[0] - gcj[0])).toBeLessThan(1e-5);
    expect(Math.abs(back[1] - gcj[1])).toBeLessThan(1e-5);
  });
});
