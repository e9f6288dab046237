// CSV tables of a county package: the bytes are decoded as UTF-8 (with or without BOM) when strict UTF-8 decoding
// succeeds, else as GB18030 (a superset of GBK, what Excel on a Chinese Windows saves), else refused. The parser is
// one pass over the characters (RFC 4180 quoting, comma or tab), with caps on rows, columns and cell length.

export const CSV_LIMITS = {
  rows: 200_000,
  columns: 200,
  cellChars: 4096,
} as const;

export class TableRefused extends Error {
  constructor(
    message: string,
    readonly code: 'encoding_unknown' | 'file_unreadable' = 'file_unreadable',
  ) {
    super(message);
  }
}

export interface Table {
  encoding: 'UTF-8' | 'GB18030';
  header: string[];
  rows: string[][];
}

/** The text of a CSV file, and the encoding it was in. */
export function decodeCsv(bytes: Buffer): { text: string; encoding: Table['encoding'] } {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    throw new TableRefused('the file is in UTF-16: save it as CSV in UTF-8 or GBK', 'encoding_unknown');
  if (bytes.includes(0)) throw new TableRefused('the file holds NUL bytes: it is not a text CSV', 'encoding_unknown');
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { text, encoding: 'UTF-8' };
  } catch {
    // not UTF-8: the Chinese legacy encoding is tried next
  }
  try {
    return { text: new TextDecoder('gb18030', { fatal: true }).decode(bytes), encoding: 'GB18030' };
  } catch {
    throw new TableRefused('the file is neither UTF-8 nor GBK/GB18030 text', 'encoding_unknown');
  }
}

/** Splits CSV text into rows of cells in one pass; a quote opens a quoted cell only at the cell's start. */
export function parseCsv(text: string): string[][] {
  const firstLine = text.slice(0, Math.max(0, text.indexOf('\n')) || text.length);
  const sep = !firstLine.includes(',') && firstLine.includes('\t') ? '\t' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let cellStart = true;
  const endCell = () => {
    if (row.length >= CSV_LIMITS.columns) throw new TableRefused(`a row has more than ${CSV_LIMITS.columns} columns`);
    row.push(cell);
    cell = '';
    cellStart = true;
  };
  const endRow = () => {
    endCell();
    if (row.length > 1 || row[0] !== '') {
      if (rows.length >= CSV_LIMITS.rows + 1) throw new TableRefused(`the file has more than ${CSV_LIMITS.rows} rows`);
      rows.push(row);
    }
    row = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cellStart) {
      quoted = true;
      cellStart = false;
    } else if (c === sep) endCell();
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRow();
    } else {
      cell += c;
      cellStart = false;
    }
    if (cell.length > CSV_LIMITS.cellChars)
      throw new TableRefused(`a cell is longer than ${CSV_LIMITS.cellChars} characters (row ${rows.length + 1})`);
  }
  if (quoted) throw new TableRefused('a quoted cell is not closed before the end of the file');
  if (cell !== '' || row.length) endRow();
  return rows;
}

/** Rows of cells as a table: the first row the header, cells trimmed, short rows padded. */
export function tableOf(cells: string[][], encoding: Table['encoding']): Table {
  const [header = [], ...rows] = cells;
  const names = header.map((h) => h.trim());
  if (!names.some(Boolean)) throw new TableRefused('the file has no header row');
  return {
    encoding,
    header: names,
    rows: rows.map((r) => names.map((_, i) => (r[i] ?? '').trim())),
  };
}

/** A CSV file as a header and rows of trimmed cells (short rows padded). */
export function readCsv(bytes: Buffer): Table {
  const { text, encoding } = decodeCsv(bytes);
  return tableOf(parseCsv(text), encoding);
}
