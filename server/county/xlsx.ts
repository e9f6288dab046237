// XLSX tables of a county package, read in Node (no GDAL): the workbook (a zip) is listed with the planner's zip
// checks — member count, names (no absolute path, no "..", no link), sizes and ratios — and only four parts are
// inflated: xl/workbook.xml, its relationships (which part the first sheet is), the shared strings and that sheet.
// They are parsed by xml.ts (no DTD, no entities); rows, columns and cell lengths are capped as for a CSV file,
// the sheet's declared dimension before its first row is read.
import { inflateMember, listZip, ZipRefused, type Entry } from '../plans/zip-extract.ts';
import { CSV_LIMITS, TableRefused, tableOf, type Table } from './csv.ts';
import { scanXml, XmlRefused, type XmlHandler } from './xml.ts';

export const XLSX_LIMITS = {
  /** Path parts of a member ("xl/worksheets/_rels/sheet1.xml.rels" has four). */
  depth: 4,
  /** Uncompressed bytes of all members. */
  totalBytes: 128 * 1024 * 1024,
  /** Uncompressed ÷ compressed size of a part over 64 KiB (sheet XML compresses ~5–20×). */
  ratio: 200,
  ratioFloor: 64 * 1024,
  sharedStrings: 1_000_000,
} as const;

const WORKBOOK = 'xl/workbook.xml';
const RELATIONSHIPS = 'xl/_rels/workbook.xml.rels';

/** The members of the workbook by lower-case name, listed and checked; nothing inflated yet. */
function listWorkbook(bytes: Buffer): Map<string, Entry> {
  let entries: Entry[];
  try {
    entries = listZip(bytes, XLSX_LIMITS.depth);
  } catch (error) {
    throw error instanceof ZipRefused ? new TableRefused(`the workbook is refused: ${error.message}`) : error;
  }
  if (entries.reduce((sum, e) => sum + e.size, 0) > XLSX_LIMITS.totalBytes)
    throw new TableRefused(`the workbook inflates to more than ${XLSX_LIMITS.totalBytes / 1024 / 1024} MB`);
  return new Map(entries.map((e) => [e.name.toLowerCase(), e]));
}

/** Inflates and decodes the parts named. */
function readParts(bytes: Buffer, members: Map<string, Entry>, names: string[]): string[] {
  return names.map((name) => {
    const e = members.get(name.toLowerCase())!;
    if (e.size > XLSX_LIMITS.ratioFloor && e.size > e.compressedSize * XLSX_LIMITS.ratio)
      throw new TableRefused(`workbook part ${JSON.stringify(e.name)} inflates more than ${XLSX_LIMITS.ratio}×`);
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(inflateMember(bytes, e));
    } catch (error) {
      if (error instanceof ZipRefused) throw new TableRefused(`the workbook is refused: ${error.message}`);
      throw new TableRefused(`workbook part ${JSON.stringify(e.name)} is not UTF-8 XML`);
    }
  });
}

function scan(part: string, xml: string, handler: Partial<XmlHandler>): void {
  try {
    scanXml(xml, { open: () => {}, close: () => {}, text: () => {}, ...handler });
  } catch (error) {
    if (error instanceof XmlRefused) throw new TableRefused(`workbook part ${part}: ${error.message}`);
    throw error;
  }
}

/** The parts of the first sheet and of the shared strings (null when the workbook has none), as member names. */
function sheetParts(workbook: string, relationships: string): { sheet: string; strings: string | null } {
  let first: string | undefined;
  scan(WORKBOOK, workbook, {
    open: (name, a) => {
      if (name === 'sheet') first ??= a.id;
    },
  });
  if (first === undefined) throw new TableRefused('the workbook has no sheet');
  const targets = new Map<string, string>();
  let strings: string | null = null;
  scan(RELATIONSHIPS, relationships, {
    open: (name, a) => {
      if (name !== 'Relationship' || !a.Target) return;
      // A target is relative to xl/ unless it starts at the package root.
      const target = a.Target.startsWith('/') ? a.Target.slice(1) : `xl/${a.Target}`;
      targets.set(a.Id, target);
      if (a.Type?.endsWith('/sharedStrings')) strings = target;
    },
  });
  const sheet = targets.get(first);
  if (!sheet) throw new TableRefused('the workbook does not say which part holds its first sheet');
  return { sheet, strings };
}

function sharedStrings(xml: string): string[] {
  const out: string[] = [];
  let current: string | null = null;
  let phonetic = 0;
  let inText = false;
  scan('sharedStrings', xml, {
    open: (name) => {
      if (name === 'si') {
        if (out.length >= XLSX_LIMITS.sharedStrings)
          throw new TableRefused(`the workbook holds more than ${XLSX_LIMITS.sharedStrings} shared strings`);
        current = '';
      } else if (name === 'rPh') phonetic++;
      else if (name === 't') inText = phonetic === 0;
    },
    close: (name) => {
      if (name === 'si' && current !== null) out.push(current);
      else if (name === 'rPh') phonetic--;
      else if (name === 't') inText = false;
    },
    // Kept to one character past the cap: a cell using a longer string is refused, an unused one does no harm.
    text: (t) => {
      if (inText && current !== null && current.length <= CSV_LIMITS.cellChars)
        current = (current + t).slice(0, CSV_LIMITS.cellChars + 1);
    },
  });
  return out;
}

/** A cell reference's column ("AB12" → 27), or -1 without letters. */
function columnOf(ref: string): number {
  let col = 0;
  let i = 0;
  for (; i < ref.length && i < 4; i++) {
    const c = ref.charCodeAt(i);
    if (c < 65 || c > 90) break;
    col = col * 26 + (c - 64);
  }
  return i === 0 ? -1 : col - 1;
}

const rowOf = (ref: string) => Number(ref.slice(ref.search(/\d/)));

/** The declared used range ("A1:F101"), refused when past the caps before any row is read. */
function checkDimension(ref: string | undefined): void {
  const end = ref?.slice(ref.indexOf(':') + 1) ?? '';
  if (columnOf(end) >= CSV_LIMITS.columns)
    throw new TableRefused(`the first sheet spans more than ${CSV_LIMITS.columns} columns (${end.slice(0, 12)})`);
  if (rowOf(end) > CSV_LIMITS.rows + 1)
    throw new TableRefused(`the first sheet has more than ${CSV_LIMITS.rows} rows (${end.slice(0, 12)})`);
}

function cellValue(type: string, value: string, shared: string[]): string {
  if (type === 's') {
    const text = /^\d{1,9}$/.test(value.trim()) ? shared[Number(value)] : undefined;
    if (text === undefined)
      throw new TableRefused(`a cell names shared string ${value.slice(0, 12)}, which is missing`);
    return text;
  }
  if (type === 'b') return value === '1' ? 'TRUE' : 'FALSE';
  return value;
}

/** The rows of a sheet with at least one value; cells placed by their reference, gaps empty. */
function sheetRows(xml: string, shared: string[]): string[][] {
  const rows: string[][] = [];
  let row: string[] | null = null;
  let cell: { col: number; type: string } | null = null;
  let value = '';
  let inValue = false;
  let phonetic = 0;
  const tooLong = () =>
    new TableRefused(`a cell is longer than ${CSV_LIMITS.cellChars} characters (row ${rows.length + 1})`);
  scan('the first sheet', xml, {
    open: (name, a) => {
      if (name === 'dimension') checkDimension(a.ref);
      else if (name === 'row') {
        if (rows.length >= CSV_LIMITS.rows + 1)
          throw new TableRefused(`the first sheet has more than ${CSV_LIMITS.rows} rows`);
        row = [];
      } else if (name === 'c' && row) {
        const col = a.r ? columnOf(a.r) : row.length;
        if (col < 0 || col >= CSV_LIMITS.columns)
          throw new TableRefused(`a row has more than ${CSV_LIMITS.columns} columns`);
        cell = { col, type: a.t ?? 'n' };
        value = '';
      } else if (name === 'rPh') phonetic++;
      else if (cell && (name === 'v' || (name === 't' && cell.type === 'inlineStr' && phonetic === 0))) inValue = true;
    },
    close: (name) => {
      if (name === 'v' || name === 't') inValue = false;
      else if (name === 'rPh') phonetic--;
      else if (name === 'c' && row && cell) {
        const text = cellValue(cell.type, value, shared);
        if (text.length > CSV_LIMITS.cellChars) throw tooLong();
        row[cell.col] = text;
        cell = null;
      } else if (name === 'row' && row) {
        if (row.some((c) => c.trim())) rows.push(Array.from(row, (c) => c ?? ''));
        row = null;
      }
    },
    text: (t) => {
      if (!inValue) return;
      value += t;
      if (value.length > CSV_LIMITS.cellChars) throw tooLong();
    },
  });
  return rows;
}

/** The first sheet of a workbook as a table, its first row the header. */
export function readXlsx(bytes: Buffer): Table {
  const members = listWorkbook(bytes);
  if (!members.has(WORKBOOK) || !members.has(RELATIONSHIPS.toLowerCase()))
    throw new TableRefused('the zip is not an XLSX workbook (no xl/workbook.xml and its relationships)');
  const [workbook, relationships] = readParts(bytes, members, [WORKBOOK, RELATIONSHIPS]);
  const parts = sheetParts(workbook, relationships);
  if (!members.has(parts.sheet.toLowerCase()))
    throw new TableRefused(`the first sheet's part ${JSON.stringify(parts.sheet.slice(0, 80))} is not in the workbook`);
  const strings = parts.strings !== null && members.has(parts.strings.toLowerCase()) ? parts.strings : null;
  const [sheet, stringsXml = ''] = readParts(bytes, members, strings ? [parts.sheet, strings] : [parts.sheet]);
  return tableOf(sheetRows(sheet, stringsXml ? sharedStrings(stringsXml) : []), 'UTF-8');
}
