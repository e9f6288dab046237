// An uploaded GeoPackage is an SQLite database, and SQLite runs what its schema says: a view or a virtual table
// can read other files (SpatiaLite's VirtualText, VirtualShape…), a trigger can write. Before GDAL opens the
// file, its schema is read with SQLite compiled to WebAssembly (sql.js: no file system, no extensions) and
// refused unless it holds only tables, indexes, the GeoPackage rtree index and the standard triggers.
import initSqlJs, { type Database, type SqlJsStatic } from 'sql.js';
import { ImportRefused } from './import-errors.ts';

export const GPKG_LIMITS = { schemaObjects: 2000 } as const;

let engine: Promise<SqlJsStatic> | undefined;
const sqlite = () => (engine ??= initSqlJs());

const RTREE_TRIGGER_SUFFIXES = ['_insert', '_update1', '_update2', '_update3', '_update4', '_update5', '_update6', '_update7', '_delete'];

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
      rows = db.exec(`select type, name, tbl_name, coalesce(sql, '') from sqlite_master limit ${GPKG_LIMITS.schemaObjects + 1}`)[0]?.values ?? [];
    } catch {
      throw new ImportRefused('the GeoPackage is not a readable SQLite database');
    }
    if (rows.length > GPKG_LIMITS.schemaObjects) throw new ImportRefused(`the GeoPackage holds more than ${GPKG_LIMITS.schemaObjects} schema objects`);
    const objects = rows as [string, string, string, string][];
    const view = objects.find(([type]) => type === 'view');
    if (view) throw new ImportRefused(`the GeoPackage holds a view (${JSON.stringify(String(view[1]).slice(0, 80))}); views are not accepted: export the data as a table`);
    const tables: string[] = [];
    for (const [type, name, table, sql] of objects) {
      const shown = JSON.stringify(String(name).slice(0, 80));
      if (type === 'trigger' && !standardTrigger(name, table)) throw new ImportRefused(`the GeoPackage holds a trigger (${shown}) that is not one of the GeoPackage standard; such files are not accepted`);
      if (type !== 'table') continue;
      const declared = sql.toLowerCase().replace(/\s+/g, ' ');
      if (declared.startsWith('create virtual table')) {
        if (!String(name).toLowerCase().startsWith('rtree_') || !declared.includes(' using rtree(')) {
          throw new ImportRefused(`the GeoPackage holds a virtual table (${shown}) other than a spatial index; such files are not accepted`);
        }
      } else tables.push(name);
    }
    // A generated column is computed when it is read: none is accepted.
    for (const name of tables) {
      let columns: unknown[][];
      try {
        columns = db.exec(`pragma table_xinfo(${quoteIdent(name)})`)[0]?.values ?? [];
      } catch {
        throw new ImportRefused('the GeoPackage is not a readable SQLite database');
      }
      if (columns.some((c) => c[6] === 2 || c[6] === 3)) throw new ImportRefused(`the GeoPackage table ${JSON.stringify(name.slice(0, 80))} has generated columns; such files are not accepted`);
    }
  } finally {
    db?.close();
  }
}
