// Hostile uploads for the planner's file import (tests/integration/plan-files-hostile.test.ts and
// fuzz-imports.test.ts): zips written byte by byte (any name, mode, method or declared size), and GeoPackages
// whose schema is edited with SQLite (sql.js) to hold triggers, views and virtual tables reaching other files.
import { deflateRawSync, crc32 } from 'node:zlib';
import initSqlJs from 'sql.js';

export interface ZipMember {
  name: string;
  data: Buffer;
  /** Unix file mode (e.g. 0o120777 for a symlink); the host is then Unix. */
  mode?: number;
  /** 0 stored, 8 deflate (default), anything else as given. */
  method?: number;
  /** Sizes and CRC written in the headers instead of the true ones. */
  declaredSize?: number;
  declaredCrc?: number;
  flags?: number;
}

/** A zip archive of the members as given, names unchecked. */
export function makeZip(members: ZipMember[], options: { zip64Marker?: boolean } = {}): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const m of members) {
    const name = Buffer.from(m.name, 'utf8');
    const method = m.method ?? 8;
    const body = method === 8 ? deflateRawSync(m.data) : m.data;
    const crc = m.declaredCrc ?? crc32(m.data);
    const size = m.declaredSize ?? m.data.length;
    const flags = (m.flags ?? 0) | 0x800;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size >>> 0, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, body);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(m.mode !== undefined ? (3 << 8) | 20 : 20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(flags, 8);
    entry.writeUInt16LE(method, 10);
    entry.writeUInt32LE(crc >>> 0, 16);
    entry.writeUInt32LE(body.length, 20);
    entry.writeUInt32LE(size >>> 0, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(m.mode !== undefined ? (m.mode << 16) >>> 0 : 0, 38);
    entry.writeUInt32LE(offset, 42);
    central.push(entry, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(options.zip64Marker ? 0xffff : members.length, 8);
  end.writeUInt16LE(options.zip64Marker ? 0xffff : members.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** The members of a Shapefile set (`{ shp, shx, dbf, prj? }`) under `base` (e.g. "units" or "../units"). */
export const shapefileMembers = (set: Record<string, Buffer>, base: string, mode?: number): ZipMember[] =>
  Object.entries(set).map(([ext, data]) => ({ name: `${base}.${ext}`, data, mode }));

/** An OGR VRT that reads `source` (any GDAL datasource name: CSV:…, PG:…, /vsicurl/…) as layer "units". */
export function vrt(source: string, extra = ''): Buffer {
  const esc = source.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('"', '&quot;');
  return Buffer.from(`<OGRVRTDataSource><OGRVRTLayer name="units"><SrcDataSource>${esc}</SrcDataSource>${extra}</OGRVRTLayer></OGRVRTDataSource>`);
}

/** The demo-accounts.txt of a data directory ("role username password" lines) read through SpatiaLite's VirtualText. */
const virtualText = (file: string) => `CREATE VIRTUAL TABLE leak USING VirtualText('${file.replaceAll("'", "''")}', 'UTF-8', 0, POINT, DOUBLEQUOTE, ' ')`;

export type GpkgAttack = 'trigger' | 'virtual-table' | 'view' | 'generated-column';

/**
 * A copy of a valid GeoPackage (with a feature table "units") made hostile:
 * - trigger: a trigger that would write (delete every unit) on any insert;
 * - virtual-table: the layer "units" replaced by a VirtualText table over `otherFile`;
 * - view: the layer "units" replaced by a view selecting from such a virtual table (a view over another file);
 * - generated-column: a column of "units" computed on read.
 */
export async function hostileGpkg(valid: Buffer, attack: GpkgAttack, otherFile: string): Promise<Buffer> {
  const SQL = await initSqlJs();
  const db = new SQL.Database(new Uint8Array(valid));
  const hijackUnits = (type: 'table' | 'view', name: string, sql: string) => {
    // The real table is renamed away and "units" becomes a table without geometry (an attributes layer).
    db.run(`drop trigger if exists trigger_insert_feature_count_units; drop trigger if exists trigger_delete_feature_count_units`);
    db.run(`alter table units rename to units_real`);
    db.run(`update gpkg_contents set data_type = 'attributes' where table_name = 'units'`);
    db.run(`delete from gpkg_geometry_columns where table_name = 'units'`);
    db.run('pragma writable_schema = on');
    db.run(`insert into sqlite_master (type, name, tbl_name, rootpage, sql) values (?, ?, ?, 0, ?)`, [type, name, name, sql]);
    db.run('pragma writable_schema = off');
  };
  switch (attack) {
    case 'trigger':
      db.run(`create trigger evil after insert on gpkg_contents begin delete from units; end`);
      break;
    case 'virtual-table':
      hijackUnits('table', 'units', virtualText(otherFile).replace('leak', 'units'));
      break;
    case 'view':
      hijackUnits('table', 'leak', virtualText(otherFile));
      db.run('pragma writable_schema = on');
      db.run(`insert into sqlite_master (type, name, tbl_name, rootpage, sql) values ('view', 'units', 'units', 0, 'CREATE VIEW units AS SELECT * FROM leak')`);
      db.run('pragma writable_schema = off');
      break;
    case 'generated-column':
      db.run(`alter table units add column secret text generated always as (upper(grid_label)) virtual`);
      break;
  }
  const out = Buffer.from(db.export());
  db.close();
  return out;
}
