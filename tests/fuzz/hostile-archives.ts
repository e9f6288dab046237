// Hostile uploads for the planner's file import (tests/integration/plan-files-hostile.test.ts and
// fuzz-imports.test.ts): zips written byte by byte (any name, mode, method or declared size), and GeoPackages
// whose schema is edited with SQLite (sql.js) to hold triggers, views and virtual tables reaching other files.
import { deflateRawSync, crc32 } from 'node:zlib';
import fc from 'fast-check';
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
    // The local header and the central entry share their fields from "version needed" to the name length.
    const shared = (header: Buffer, at: number) => {
      header.writeUInt16LE(20, at);
      header.writeUInt16LE(flags, at + 2);
      header.writeUInt16LE(method, at + 4);
      header.writeUInt32LE(crc >>> 0, at + 10);
      header.writeUInt32LE(body.length, at + 14);
      header.writeUInt32LE(size >>> 0, at + 18);
      header.writeUInt16LE(name.length, at + 22);
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    shared(local, 4);
    locals.push(local, name, body);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(m.mode !== undefined ? (3 << 8) | 20 : 20, 4);
    shared(entry, 6);
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
  return Buffer.from(
    `<OGRVRTDataSource><OGRVRTLayer name="units"><SrcDataSource>${esc}</SrcDataSource>${extra}</OGRVRTLayer></OGRVRTDataSource>`,
  );
}

/** The demo-accounts.txt of a data directory ("role username password" lines) read through SpatiaLite's VirtualText. */
const virtualText = (file: string) =>
  `CREATE VIRTUAL TABLE leak USING VirtualText('${file.replaceAll("'", "''")}', 'UTF-8', 0, POINT, DOUBLEQUOTE, ' ')`;

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
    db.run(
      `drop trigger if exists trigger_insert_feature_count_units; drop trigger if exists trigger_delete_feature_count_units`,
    );
    db.run(`alter table units rename to units_real`);
    db.run(`update gpkg_contents set data_type = 'attributes' where table_name = 'units'`);
    db.run(`delete from gpkg_geometry_columns where table_name = 'units'`);
    db.run('pragma writable_schema = on');
    db.run(`insert into sqlite_master (type, name, tbl_name, rootpage, sql) values (?, ?, ?, 0, ?)`, [
      type,
      name,
      name,
      sql,
    ]);
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
      db.run(
        `insert into sqlite_master (type, name, tbl_name, rootpage, sql) values ('view', 'units', 'units', 0, 'CREATE VIEW units AS SELECT * FROM leak')`,
      );
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

// ---- fast-check arbitraries for tests/integration/fuzz-imports.test.ts ----

/** One upload: the file and the form fields sent with it. */
export interface ImportCase {
  label: string;
  file: Buffer;
  fileName: string;
  fields: Record<string, string>;
}

/** Valid inputs the hostile cases are made from (a Shapefile set and a GeoPackage of units unknown to the county). */
export interface ImportSeeds {
  shapefile: Record<string, Buffer>;
  gpkg: Buffer;
  hostileGpkgs: Buffer[];
  /** A local file that must never be read (e.g. demo-accounts.txt), and a URL that must never be fetched. */
  otherFile: string;
  url: string;
}

const HOSTILE_NAMES = [
  '../units',
  '../../../../tmp/units',
  '/tmp/units',
  'C:units',
  'a\\units',
  'a/b/units',
  'a//units',
  './units',
  'uni\u0000ts',
  'uni\nts',
  '..',
  'units/..',
  '.',
];
const longString = (n: number, c = 'x') => c.repeat(n);

function zipCases(s: ImportSeeds): fc.Arbitrary<ImportCase> {
  const valid = shapefileMembers(s.shapefile, 'units');
  const member = fc.oneof(
    fc.constantFrom(...valid),
    fc
      .tuple(fc.constantFrom(...HOSTILE_NAMES), fc.constantFrom('shp', 'shx', 'dbf', 'prj', 'cpg'))
      .map(([n, ext]) => ({ name: `${n}.${ext}`, data: s.shapefile.shp })),
    fc
      .constantFrom('units.vrt', 'units.csv', 'units.gml', 'units.kml', 'units.sqlite')
      .map((name) => ({ name, data: vrt(`CSV:${s.otherFile}`) })),
    fc.constant({ name: 'units.vrt', data: vrt(`/vsicurl/${s.url}`) }),
    fc.constant({ name: 'units.dbf', data: Buffer.from(s.otherFile), mode: 0o120777, method: 0 }),
    fc.constant({ name: 'units.shp', data: Buffer.alloc(0), mode: 0o040755 }),
    fc.constant({ name: 'units.cpg', data: Buffer.alloc(16 << 20) }),
    fc
      .tuple(fc.constantFrom(...valid), fc.integer({ min: 0, max: 2 ** 32 - 1 }))
      .map(([m, size]) => ({ ...m, declaredSize: size })),
    fc.tuple(fc.constantFrom(...valid), fc.integer({ min: 0, max: 255 })).map(([m, method]) => ({ ...m, method })),
    fc.tuple(fc.constantFrom(...valid), fc.integer({ min: 0, max: 0xffff })).map(([m, flags]) => ({ ...m, flags })),
    fc.integer({ min: 256, max: 65_000 }).map((n) => ({ name: `${longString(n, 'n')}.shp`, data: Buffer.from('x') })),
    fc.uint8Array({ maxLength: 200 }).map((a) => ({ name: 'units.dbf', data: Buffer.from(a) })),
  );
  return fc
    .oneof(
      fc
        .array(member, { minLength: 0, maxLength: 8 })
        .map((members) => ({ label: `zip of ${members.map((m) => m.name.slice(0, 40)).join(', ')}`, members })),
      fc.integer({ min: 65, max: 300 }).map((n) => ({
        label: `zip of ${n} members`,
        members: [...valid, ...Array.from({ length: n }, (_, i) => ({ name: `x${i}.txt`, data: Buffer.from('x') }))],
      })),
    )
    .chain(({ label, members }) =>
      fc.oneof(
        fc.constant({ label, bytes: makeZip(members) }),
        fc.constant({ label: `${label} (ZIP64 marker)`, bytes: makeZip(members, { zip64Marker: true }) }),
        // A few bytes of the archive overwritten at random places.
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }).map((edits) => {
          const bytes = makeZip(members);
          for (const [at, v] of edits) bytes[at % bytes.length] = v;
          return { label: `${label} (damaged)`, bytes };
        }),
      ),
    )
    .map(({ label, bytes }) => ({ label, file: bytes, fileName: 'upload.zip', fields: {} }));
}

function geojsonCases(s: ImportSeeds): fc.Arbitrary<ImportCase> {
  const point = { type: 'Point', coordinates: [106.2, 38.3] };
  const feature = (properties: unknown, geometry: unknown = point) => ({ type: 'Feature', properties, geometry });
  const doc = fc.oneof(
    // Long values: field names and values of up to 300 kB, many fields.
    fc
      .tuple(fc.integer({ min: 1, max: 300_000 }), fc.integer({ min: 0, max: 300_000 }))
      .map(([k, v]) => feature({ [longString(k, 'k')]: longString(v, 'v'), unit_id: 'NOPE1', grid_label: 'G1' })),
    fc
      .integer({ min: 1, max: 3000 })
      .map((n) => feature(Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, i])))),
    fc
      .dictionary(
        fc.string({ maxLength: 30 }),
        fc.oneof(fc.string({ maxLength: 50 }), fc.double(), fc.boolean(), fc.constant(null)),
        { maxKeys: 6 },
      )
      .map((p) => feature({ ...p, unit_id: 'NOPE1', grid_label: 'G1' })),
    fc.string({ unit: 'binary', maxLength: 200 }).map((t) => feature({ unit_id: t, grid_label: t })),
    // Hostile CRS and geometries.
    fc
      .constantFrom(
        { type: 'link', properties: { href: s.url } },
        { type: 'name', properties: { name: s.url } },
        { type: 'name', properties: { name: s.otherFile } },
        { type: 'name', properties: { name: `+init=${s.otherFile}` } },
        { type: 'EPSG', properties: { code: 4326 } },
      )
      .map((crs) => ({ type: 'FeatureCollection', crs, features: [feature({ unit_id: 'NOPE1', grid_label: 'G1' })] })),
    fc
      .integer({ min: 1, max: 200 })
      .map((d) => feature({}, { type: 'Point', coordinates: JSON.parse('['.repeat(d) + '1,2' + ']'.repeat(d)) })),
    fc
      .integer({ min: 33, max: 100_000 })
      .map((d) => ({ raw: `{"type":"Feature","properties":{"a":${'['.repeat(d)}${']'.repeat(d)}},"geometry":null}` })),
    fc
      .constantFrom('Topology', 'GeometryCollection', 'Polygon', 'FeatureCollection', 'Feature', '')
      .map((type) => ({ type, features: 'x', geometries: [{ type: 'GeometryCollection', geometries: [] }] })),
    fc
      .array(fc.tuple(fc.double(), fc.double()), { maxLength: 50 })
      .map((ring) => feature({ unit_id: 'NOPE1', grid_label: 'G1' }, { type: 'Polygon', coordinates: [ring] })),
    fc.integer({ min: 1, max: 20_000 }).map((n) => ({
      type: 'FeatureCollection',
      features: Array.from({ length: n }, (_, i) => feature({ unit_id: `NOPE${i}`, grid_label: 'G1' })),
    })),
  );
  return doc.map((d) => {
    const text = 'raw' in (d as object) ? (d as { raw: string }).raw : JSON.stringify(d);
    return { label: `GeoJSON ${text.slice(0, 120)}`, file: Buffer.from(text), fileName: 'upload.geojson', fields: {} };
  });
}

function gpkgCases(s: ImportSeeds): fc.Arbitrary<ImportCase> {
  return fc
    .oneof(
      fc.constantFrom(...s.hostileGpkgs.map((b, i) => ({ label: `hostile GeoPackage ${i}`, file: b }))),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 20 }).map((edits) => {
        const file = Buffer.from(s.gpkg);
        // The 100-byte header is left alone, so that the damage reaches past the header checks.
        for (const [at, v] of edits) file[100 + (at % (file.length - 100))] = v;
        return { label: `damaged GeoPackage (${edits.length} bytes)`, file };
      }),
      fc
        .integer({ min: 16, max: 4096 })
        .map((n) => ({ label: `truncated GeoPackage (${n} bytes)`, file: s.gpkg.subarray(0, n) })),
    )
    .map((c) => ({ ...c, fileName: 'upload.gpkg', fields: {} }));
}

/** Form fields of hostile length or content sent with the valid GeoPackage (units unknown: apply cannot write). */
function fieldCases(s: ImportSeeds): fc.Arbitrary<ImportCase> {
  const value = fc.oneof(
    fc.integer({ min: 0, max: 200_000 }).map((n) => longString(n)),
    fc.string({ unit: 'binary', maxLength: 120 }),
    fc.constantFrom('true', 'false', '-oo', '--config', '../x', '\u0000'),
  );
  return fc
    .tuple(
      fc.constantFrom('unitField', 'labelField', 'householdsField', 'repair', 'gcj02', 'name', 'extra', 'file'),
      value,
    )
    .map(([k, v]) => ({
      label: `field ${k} of ${v.length} characters`,
      file: s.gpkg,
      fileName: 'upload.gpkg',
      fields: { [k]: v },
    }));
}

/** Every kind of hostile import, weighted towards archives. */
export function importCases(s: ImportSeeds): fc.Arbitrary<ImportCase> {
  return fc.oneof(
    { arbitrary: zipCases(s), weight: 4 },
    { arbitrary: geojsonCases(s), weight: 3 },
    { arbitrary: gpkgCases(s), weight: 2 },
    { arbitrary: fieldCases(s), weight: 1 },
  );
}

/** The known attacks, each sent once before the generated cases (fast-check examples). */
export function knownAttacks(s: ImportSeeds): ImportCase[] {
  const zip = (label: string, members: ZipMember[]): ImportCase => ({
    label,
    file: makeZip(members),
    fileName: 'upload.zip',
    fields: {},
  });
  const valid = shapefileMembers(s.shapefile, 'units');
  const geojson = (label: string, crs: unknown): ImportCase => ({
    label,
    fileName: 'upload.geojson',
    fields: {},
    file: Buffer.from(
      JSON.stringify({
        type: 'FeatureCollection',
        crs,
        features: [
          {
            type: 'Feature',
            properties: { unit_id: 'NOPE1', grid_label: 'G1' },
            geometry: { type: 'Point', coordinates: [106.2, 38.3] },
          },
        ],
      }),
    ),
  });
  return [
    zip('VRT reading a local file through CSV:', [
      {
        name: 'units.vrt',
        data: vrt(
          `CSV:${s.otherFile}`,
          '<OpenOptions><OOI key="HEADERS">NO</OOI></OpenOptions><SrcLayer>demo-accounts</SrcLayer>',
        ),
      },
    ]),
    zip('VRT fetching a URL', [{ name: 'units.vrt', data: vrt(`/vsicurl/${s.url}`) }]),
    zip('traversal', shapefileMembers(s.shapefile, '../units')),
    zip('symlink', [
      ...valid.filter((m) => !m.name.endsWith('.dbf')),
      { name: 'units.dbf', data: Buffer.from(s.otherFile), mode: 0o120777, method: 0 },
    ]),
    zip('bomb', [...valid, { name: 'units.cpg', data: Buffer.alloc(64 << 20) }]),
    geojson('GeoJSON crs link', { type: 'link', properties: { href: s.url, type: 'ogcwkt' } }),
    geojson('GeoJSON crs naming a URL', { type: 'name', properties: { name: s.url } }),
    ...s.hostileGpkgs.map((file, i) => ({
      label: `hostile GeoPackage ${i}`,
      file,
      fileName: 'upload.gpkg',
      fields: {},
    })),
  ];
}
