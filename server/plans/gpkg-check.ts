// An uploaded GeoPackage is an SQLite database, and SQLite runs what its schema says: a view or a virtual table
// can read other files (SpatiaLite's VirtualText, VirtualShape…), a trigger can write. Before GDAL opens the
// file, its schema is read with SQLite compiled to WebAssembly (sql.js: no file system, no extensions) and
// refused unless it holds only tables, indexes, the GeoPackage rtree index and the standard triggers.
import initSqlJs, { type Database, type SqlJsStatic } from 'sql.js';
import { ImportRefused } from './import-errors.ts';

export const GPKG_LIMITS = { schemaObjects: 2000 } as const;

let engine: Promise<SqlJsStatic> | undefined;
const sqlite = () => (engine ??= initSqlJs());

const RTREE_TRIGGER_SUFFIXES = [
  '_insert',
  '_update1',
  '_update2',
  '_update3',
  '_update4',
  '_update5',
  '_update6',
  '_update7',
  '_delete',
];

/** Triggers the GeoPackage standard and GDAL create: rtree index upkeep, GDAL's feature counts, gpkg_* checks. */
function standardTrigger(name: string, table: string): boolean {
  const n = name.toLowerCase();
  const t = table.toLowerCase();
  if (n.startsWith(`rtree_${t}_`)) return RTREE_TRIGGER_SUFFIXES.some((s) => n.endsWith(s));
  if (n === `trigger_insert_feature_count_${t}` || n === `trigger_delete_feature_count_${t}`) return true;
  return t.startsWith('gpkg_') && n.startsWith(`${t}_`);
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Throws ImportRefused for a GeoPackage whose schema could run code or reach anything outside the file. */
export async function checkGeoPackage(bytes: Buffer): Promise<void> {
  const SQL = await sqlite();
  let db: Database | undefined;
  try {
    try {
      // A copy: sql.js may keep the array it is given as the database file itself.
      db = new SQL.Database(new Uint8Array(bytes));
    } catch {
      throw new ImportRefused('the GeoPackage is not a readable SQLite database');
    }
    let rows: unknown[][];
    try {
      rows =
        db.exec(
          `select coalesce(cast(type as text), ''), coalesce(cast(name as text), ''),
                  coalesce(cast(tbl_name as text), ''), coalesce(cast(sql as text), '')
           from sqlite_master limit ${GPKG_LIMITS.schemaObjects + 1}`,
        )[0]?.values ?? [];
    } catch {
      throw new ImportRefused('the GeoPackage is not a readable SQLite database');
    }
    if (rows.length > GPKG_LIMITS.schemaObjects)
      throw new ImportRefused(`the GeoPackage holds more than ${GPKG_LIMITS.schemaObjects} schema objects`);
    const objects = rows as [string, string, string, string][];
    // What an entry is, by its type and by its SQL text alike (SQLite runs the text).
    const kind = ([type, , , sql]: [string, string, string, string]) => {
      const declared = sql.trimStart().slice(0, 40).toLowerCase().replace(/\s+/g, ' ');
      if (type === 'view' || /^create (temp |temporary )?view/.test(declared)) return 'view';
      if (declared.startsWith('create virtual table')) return 'virtual';
      if (type === 'trigger' || /^create (temp |temporary )?trigger/.test(declared)) return 'trigger';
      return type === 'table' ? 'table' : 'other';
    };
    const view = objects.find((o) => kind(o) === 'view');
    if (view)
      throw new ImportRefused(
        `the GeoPackage holds a view (${JSON.stringify(view[1].slice(0, 80))}); views are not accepted: export the data as a table`,
      );
    const tables: string[] = [];
    const rtrees = new Set<string>();
    for (const object of objects) {
      const [, name, table, sql] = object;
      const shown = JSON.stringify(name.slice(0, 80));
      const what = kind(object);
      if (what === 'trigger' && !standardTrigger(name, table))
        throw new ImportRefused(
          `the GeoPackage holds a trigger (${shown}) that is not one of the GeoPackage standard; such files are not accepted`,
        );
      if (what === 'virtual') {
        const declared = sql.toLowerCase().replace(/\s+/g, ' ');
        if (!name.toLowerCase().startsWith('rtree_') || !declared.includes(' using rtree(')) {
          throw new ImportRefused(
            `the GeoPackage holds a virtual table (${shown}) other than a spatial index; such files are not accepted`,
          );
        }
        rtrees.add(name);
      } else if (what === 'table') tables.push(name);
    }
    // The same question put to SQLite's parsed schema, which does not trust the type column of sqlite_master.
    let parsed: unknown[][];
    try {
      parsed = db.exec('pragma table_list')[0]?.values ?? [];
    } catch {
      throw new ImportRefused('the GeoPackage is not a readable SQLite database');
    }
    for (const [schema, name, type] of parsed.map((r) => r.map(String))) {
      if (schema !== 'main' && schema !== 'temp') throw new ImportRefused('the GeoPackage attaches another database');
      if (type === 'view' || (type === 'virtual' && !rtrees.has(name)))
        throw new ImportRefused(
          `the GeoPackage holds a ${type === 'view' ? 'view' : 'virtual table'} (${JSON.stringify(name.slice(0, 80))}); such files are not accepted`,
        );
    }
    // A generated column is computed when it is read: none is accepted.
    for (const name of tables) {
      let columns: unknown[][];
      try {
        columns = db.exec(`pragma table_xinfo(${quoteIdent(name)})`)[0]?.values ?? [];
      } catch {
        throw new ImportRefused('the GeoPackage is not a readable SQLite database');
      }
      if (columns.some((c) => c[6] === 2 || c[6] === 3))
        throw new ImportRefused(
          `the GeoPackage table ${JSON.stringify(name.slice(0, 80))} has generated columns; such files are not accepted`,
        );
    }
  } finally {
    db?.close();
  }
}
