// XLSX tables of a county package: the workbook (a zip) is listed in Node with the planner's zip checks — member
// count, names, no links — and its declared sizes capped, then GDAL's XLSX driver (the only reader GDAL may use
// in that call) writes the first sheet as a UTF-8 CSV of strings, which csv.ts reads.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Driver } from '../plans/gdal-env.ts';
import { layerNamesOf } from '../plans/ogr-listing.ts';
import { ogr, OgrFailed } from '../plans/ogr.ts';
import { listZip, ZipRefused } from '../plans/zip-extract.ts';
import { readCsv, TableRefused, type Table } from './csv.ts';

export const XLSX_LIMITS = {
  /** Uncompressed bytes of all members of the workbook. */
  totalBytes: 128 * 1024 * 1024,
  /** Uncompressed ÷ compressed size of a member over 64 KiB (sheet XML compresses ~5–20×). */
  ratio: 200,
  ratioFloor: 64 * 1024,
} as const;

// The planner's driver list has no spreadsheet: GDAL_SKIP takes any driver name, this call names these two.
const XLSX_DRIVERS = ['XLSX', 'CSV'] as unknown as Driver[];

function checkWorkbook(bytes: Buffer): void {
  let entries;
  try {
    entries = listZip(bytes);
  } catch (error) {
    throw error instanceof ZipRefused ? new TableRefused(`the workbook is refused: ${error.message}`) : error;
  }
  let total = 0;
  for (const e of entries) {
    total += e.size;
    if (e.size > XLSX_LIMITS.ratioFloor && e.size > e.compressedSize * XLSX_LIMITS.ratio)
      throw new TableRefused(`workbook member ${JSON.stringify(e.name)} inflates more than ${XLSX_LIMITS.ratio}×`);
  }
  if (total > XLSX_LIMITS.totalBytes)
    throw new TableRefused(`the workbook inflates to more than ${XLSX_LIMITS.totalBytes / 1024 / 1024} MB`);
  if (!entries.some((e) => e.name === 'xl/workbook.xml')) throw new TableRefused('the zip is not an XLSX workbook');
}

/** The first sheet of a workbook as a table; `dir` is a private temp dir the caller removes. */
export async function readXlsx(dir: string, bytes: Buffer): Promise<Table> {
  checkWorkbook(bytes);
  const file = path.join(dir, 'table.xlsx');
  await writeFile(file, bytes, { flag: 'wx', mode: 0o600 });
  const config = ['--config', 'OGR_XLSX_HEADERS', 'FORCE', '--config', 'OGR_XLSX_FIELD_TYPES', 'STRING'];
  try {
    const sheets = layerNamesOf(await ogr('ogrinfo', [...config, '-ro', '-q', file], { drivers: XLSX_DRIVERS, dir }));
    if (!sheets.length) throw new TableRefused('the workbook has no sheet');
    if (sheets[0].startsWith('-')) throw new TableRefused('the first sheet has a name that reads as an option');
    const out = path.join(dir, 'table.csv');
    await ogr('ogr2ogr', [...config, '-f', 'CSV', out, file, sheets[0]], { drivers: XLSX_DRIVERS, dir });
    return readCsv(await readFile(out));
  } catch (error) {
    if (error instanceof OgrFailed) throw new TableRefused(`GDAL cannot read the workbook: ${error.message}`);
    throw error;
  }
}
