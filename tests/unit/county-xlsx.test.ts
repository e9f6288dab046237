import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CSV_LIMITS, readCsv, TableRefused } from '../../server/county/csv.ts';
import { readXlsx, XLSX_LIMITS } from '../../server/county/xlsx.ts';
import { scanXml, XmlRefused } from '../../server/county/xml.ts';
import { workbook, worksheet } from '../fixtures/county-packages/build.ts';

const refusal = (bytes: Buffer): string => {
  try {
    readXlsx(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(TableRefused);
    return (error as Error).message;
  }
  throw new Error('the workbook was read');
};

const cell = (ref: string, value: string, type = 's') => `<c r="${ref}" t="${type}"><v>${value}</v></c>`;

describe('county XLSX tables', () => {
  it('reads a workbook GDAL wrote from a CSV to the same table as the CSV (shared strings, numbers)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'county-xlsx-'));
    try {
      const text =
        '小区名称,户数,经度,纬度,所属社区\n翠园小区,120,107.3123456,37.8123456,翠园\n"东区 ""二期""",80,107.31,37.81,东区\n';
      writeFileSync(path.join(dir, 'c.csv'), text);
      execFileSync('ogr2ogr', ['-f', 'XLSX', 'c.xlsx', 'c.csv', '-oo', 'AUTODETECT_TYPE=YES'], { cwd: dir });
      expect(readXlsx(readFileSync(path.join(dir, 'c.xlsx')))).toEqual(readCsv(Buffer.from(text)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes the first sheet where the relationships put it; inline and rich text, gaps, references, booleans', () => {
    const sheet = worksheet(
      [
        `${cell('A1', '0')}${cell('C1', '1')}<c r="D1" t="inlineStr"><is><t>备&#x6CE8;</t></is></c>`,
        '<c r="A2" s="1"/>',
        `${cell('A3', '2')}<c r="B3"><v>1.5</v></c>${cell('C3', '1', 'b')}<c r="D3" t="inlineStr"><is><t>a&amp;b</t></is></c>`,
      ],
      'A1:D3',
    );
    // Rich text in runs, with a phonetic reading that is not part of the text.
    const strings =
      '<sst><si><t>名称</t></si><si><r><t>户</t></r><r><t>数</t></r><rPh><t>こ</t></rPh></si><si><t>翠园 &lt;东&gt;</t></si></sst>';
    const table = readXlsx(
      workbook({
        sheet: '<worksheet/>',
        sheetTarget: 'worksheets/first.xml',
        members: [
          { name: 'xl/worksheets/first.xml', data: Buffer.from(sheet) },
          { name: 'xl/sharedStrings.xml', data: Buffer.from(strings) },
        ],
      }),
    );
    expect(table).toEqual({
      encoding: 'UTF-8',
      header: ['名称', '', '户数', '备注'],
      rows: [['翠园 <东>', '1.5', 'TRUE', 'a&b']],
    });
  });

  it('refuses a DOCTYPE, an entity it does not define and a tag left open, naming the part', () => {
    const doctype =
      '<!DOCTYPE x [<!ENTITY big "AAAA">]><worksheet><sheetData><row><c t="inlineStr"><is><t>&big;</t></is></c></row></sheetData></worksheet>';
    expect(refusal(workbook({ sheet: doctype }))).toMatch(/the first sheet: the XML declares a DOCTYPE/);
    const undefinedEntity = worksheet([`<c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c>`]);
    expect(refusal(workbook({ sheet: undefinedEntity }))).toMatch(/entity reference .* &xxe;/);
    expect(refusal(workbook({ sheet: '<worksheet><sheetData' }))).toMatch(/not closed/);
    const system = '<!DOCTYPE x SYSTEM "file:///etc/passwd"><sst/>';
    const strings = workbook({
      sheet: worksheet([cell('A1', '0')]),
      members: [{ name: 'xl/sharedStrings.xml', data: Buffer.from(system) }],
    });
    expect(refusal(strings)).toMatch(/sharedStrings: the XML declares a DOCTYPE/);
  });

  it('refuses too many rows or columns, by the declared dimension before a row is read, else while reading', () => {
    const declared = worksheet([cell('A1', '0')], `A1:B${CSV_LIMITS.rows + 2}`);
    expect(refusal(workbook({ sheet: declared, strings: ['名称'] }))).toMatch(/more than 200000 rows \(B200002\)/);
    const rows = Array.from({ length: CSV_LIMITS.rows + 2 }, (_, i) => `<c r="A${i + 1}"><v>${i}</v></c>`);
    expect(refusal(workbook({ sheet: worksheet(rows) }))).toMatch(/more than 200000 rows$/);
    expect(refusal(workbook({ sheet: worksheet([cell('A1', '0')], 'A1:HZ5'), strings: ['x'] }))).toMatch(/columns/);
    expect(refusal(workbook({ sheet: worksheet([`<c r="GS1"><v>1</v></c>`]) }))).toMatch(/more than 200 columns/);
    const long = `<c r="A1" t="inlineStr"><is><t>${'x'.repeat(CSV_LIMITS.cellChars + 1)}</t></is></c>`;
    expect(refusal(workbook({ sheet: worksheet([long]) }))).toMatch(/longer than 4096/);
    expect(refusal(workbook({ sheet: worksheet([cell('A1', '7')]), strings: ['a'] }))).toMatch(/shared string 7/);
  });

  it('refuses path traversal in a member name or in the relationships, links and zip bombs', () => {
    const sheet = worksheet([cell('A1', '0')]);
    const data = Buffer.from('x');
    const traversal = workbook({ sheet, members: [{ name: 'xl/worksheets/../../../etc/passwd', data }] });
    expect(refusal(traversal)).toMatch(/"\.\.", "\." and empty path parts are not accepted/);
    expect(refusal(workbook({ sheet, members: [{ name: '/etc/passwd', data }] }))).toMatch(/absolute paths/);
    const outside = workbook({ sheet, sheetTarget: '../../../../etc/passwd' });
    expect(refusal(outside)).toMatch(
      /first sheet's part "xl\/\.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd" is not in the workbook/,
    );
    const link = workbook({ sheet, members: [{ name: 'xl/worksheets/sheet1.xml', data, mode: 0o120777, method: 0 }] });
    expect(refusal(link)).toMatch(/symbolic link/);
    const deep = workbook({ sheet, members: [{ name: 'xl/a/b/c/d.xml', data }] });
    expect(refusal(deep)).toMatch(/at most 3 folder levels/);
    const bomb = `<worksheet><sheetData>${' '.repeat(XLSX_LIMITS.ratioFloor * XLSX_LIMITS.ratio)}</sheetData></worksheet>`;
    expect(refusal(workbook({ sheet: bomb }))).toMatch(/inflates more than 200×/);
    expect(refusal(Buffer.from('小区名称,户数\n'))).toMatch(/not a readable zip/);
  });

  it('scans 100 kB hostile XML in linear time', () => {
    const n = 100_000;
    const handler = { open: () => {}, close: () => {}, text: () => {} };
    for (const xml of [
      '&'.repeat(n),
      `<a b="${'>'.repeat(n)}`,
      '<a b="1" '.repeat(n / 9),
      '<a>'.repeat(n / 3),
      `<!--${'-'.repeat(n)}`,
    ]) {
      const started = performance.now();
      try {
        scanXml(xml, handler);
      } catch (error) {
        expect(error).toBeInstanceOf(XmlRefused);
      }
      expect(performance.now() - started, xml.slice(0, 12)).toBeLessThan(250);
    }
  });
});
