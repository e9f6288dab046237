// Reads an uploaded zip in Node (never through GDAL's /vsizip/): the central directory is checked whole first —
// member count, names, symlinks, declared sizes and compression ratios — and only the members of one Shapefile
// (.shp .shx .dbf, with .prj and .cpg if present) are inflated, each stopped at its declared size, and written
// under fixed names into the caller's private directory.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';

export const ZIP_LIMITS = {
  /** Entries of any kind in the archive (files, folders, skipped files). */
  members: 64,
  /** Uncompressed bytes of the members extracted. */
  totalBytes: 256 * 1024 * 1024,
  /** Uncompressed ÷ compressed size of one extracted member over 64 KiB (a Shapefile compresses ~10–30×). */
  ratio: 200,
  ratioFloor: 64 * 1024,
} as const;

export class ZipRefused extends Error {}

const LAYER_PARTS = ['shp', 'shx', 'dbf', 'prj', 'cpg'] as const;
type Part = (typeof LAYER_PARTS)[number];
const REQUIRED: Part[] = ['shp', 'shx', 'dbf'];

export interface Entry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

export interface ExtractedShapefile {
  /** Path of the extracted .shp (`layer.shp` in the directory given). */
  shp: string;
  /** The basenames of every .shp in the archive; the one extracted is `chosen`. */
  layers: string[];
  chosen: string;
}

const u16 = (b: Buffer, o: number) => b.readUInt16LE(o);
const u32 = (b: Buffer, o: number) => b.readUInt32LE(o);

/** Finds the end-of-central-directory record (its comment may be up to 65,535 bytes long). */
function endRecord(zip: Buffer): number {
  const stop = Math.max(0, zip.length - 22 - 0xffff);
  for (let i = zip.length - 22; i >= stop; i--)
    if (u32(zip, i) === 0x06054b50 && i + 22 + u16(zip, i + 20) === zip.length) return i;
  throw new ZipRefused('not a readable zip: no end of central directory');
}

/** A member name is refused unless it is a plain relative path of at most `depth` parts (one folder level). */
function checkName(raw: Buffer, utf8: boolean, depth: number): string {
  if (raw.length === 0 || raw.length > 255) throw new ZipRefused('a zip member has an empty or over-long name');
  if (raw.includes(0)) throw new ZipRefused('a zip member name holds a NUL byte');
  const name = raw.toString(utf8 ? 'utf8' : 'latin1');
  const shown = JSON.stringify(name.slice(0, 80));
  if (name.includes('\\')) throw new ZipRefused(`zip member ${shown}: backslashes are not accepted`);
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name))
    throw new ZipRefused(`zip member ${shown}: absolute paths are not accepted`);
  const parts = name.endsWith('/') ? name.slice(0, -1).split('/') : name.split('/');
  if (parts.some((p) => p === '..' || p === '.' || p === ''))
    throw new ZipRefused(`zip member ${shown}: "..", "." and empty path parts are not accepted`);
  if (parts.length > depth)
    throw new ZipRefused(
      `zip member ${shown}: at most ${depth === 2 ? 'one folder level is' : `${depth - 1} folder levels are`} accepted`,
    );
  for (const c of name)
    if (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)
      throw new ZipRefused(`zip member ${shown}: control characters are not accepted`);
  return name;
}

/**
 * Lists the archive from its central directory, checking every entry; nothing is inflated. `depth`: the parts a
 * member's path may have (2, one folder level, for a zipped Shapefile; a workbook nests deeper).
 */
export function listZip(zip: Buffer, depth = 2): Entry[] {
  if (zip.length < 22) throw new ZipRefused('not a readable zip: too short');
  const end = endRecord(zip);
  if (u16(zip, end + 4) !== 0 || u16(zip, end + 6) !== 0) throw new ZipRefused('multi-part zips are not accepted');
  const count = u16(zip, end + 10);
  const cdSize = u32(zip, end + 12);
  const cdOffset = u32(zip, end + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff)
    throw new ZipRefused('ZIP64 archives are not accepted');
  if (count !== u16(zip, end + 8)) throw new ZipRefused('not a readable zip: inconsistent entry counts');
  if (count > ZIP_LIMITS.members)
    throw new ZipRefused(`the zip holds ${count} entries; at most ${ZIP_LIMITS.members} are accepted`);
  if (cdOffset + cdSize > end) throw new ZipRefused('not a readable zip: central directory out of bounds');
  const entries: Entry[] = [];
  let at = cdOffset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || u32(zip, at) !== 0x02014b50)
      throw new ZipRefused('not a readable zip: broken central directory');
    const madeBy = u16(zip, at + 4) >> 8;
    const flags = u16(zip, at + 8);
    const method = u16(zip, at + 10);
    const nameLength = u16(zip, at + 28);
    const next = at + 46 + nameLength + u16(zip, at + 30) + u16(zip, at + 32);
    if (next > end) throw new ZipRefused('not a readable zip: broken central directory');
    const name = checkName(zip.subarray(at + 46, at + 46 + nameLength), (flags & 0x800) !== 0, depth);
    const external = u32(zip, at + 38);
    // Unix hosts (3) keep the file mode in the high 16 bits: only regular files and folders are accepted.
    const type = madeBy === 3 ? (external >>> 16) & 0o170000 : 0;
    if (type === 0o120000)
      throw new ZipRefused(`zip member ${JSON.stringify(name)} is a symbolic link; links are not accepted`);
    if (type !== 0 && type !== 0o100000 && type !== 0o040000)
      throw new ZipRefused(`zip member ${JSON.stringify(name)} is not a regular file`);
    if (flags & 0x1) throw new ZipRefused('encrypted zips are not accepted');
    entries.push({
      name,
      method,
      flags,
      crc: u32(zip, at + 16),
      compressedSize: u32(zip, at + 20),
      size: u32(zip, at + 24),
      localOffset: u32(zip, at + 42),
    });
    at = next;
  }
  const names = new Set<string>();
  for (const e of entries) {
    const key = e.name.toLowerCase();
    if (names.has(key)) throw new ZipRefused(`zip member ${JSON.stringify(e.name)} appears twice`);
    names.add(key);
  }
  return entries;
}

function extOf(name: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}
const stem = (name: string) => name.slice(0, name.length - extOf(name).length - 1);

/** Inflates one member, never past its declared size, and checks its length and CRC. */
export function inflateMember(zip: Buffer, e: Entry): Buffer {
  const at = e.localOffset;
  if (at + 30 > zip.length || u32(zip, at) !== 0x04034b50)
    throw new ZipRefused(`zip member ${JSON.stringify(e.name)}: broken local header`);
  const start = at + 30 + u16(zip, at + 26) + u16(zip, at + 28);
  if (start + e.compressedSize > zip.length)
    throw new ZipRefused(`zip member ${JSON.stringify(e.name)}: data out of bounds`);
  const data = zip.subarray(start, start + e.compressedSize);
  let out: Buffer;
  if (e.method === 0) {
    if (e.compressedSize !== e.size) throw new ZipRefused(`zip member ${JSON.stringify(e.name)}: sizes disagree`);
    out = data;
  } else if (e.method === 8) {
    try {
      // maxOutputLength stops the inflater as soon as the real output passes the declared size.
      out = inflateRawSync(data, { maxOutputLength: Math.max(1, e.size) });
    } catch {
      throw new ZipRefused(`zip member ${JSON.stringify(e.name)}: its data does not inflate to its declared size`);
    }
  } else {
    throw new ZipRefused(
      `zip member ${JSON.stringify(e.name)}: compression method ${e.method} is not accepted (stored or deflate only)`,
    );
  }
  if (out.length !== e.size)
    throw new ZipRefused(`zip member ${JSON.stringify(e.name)}: its data does not inflate to its declared size`);
  if (crc32(out) >>> 0 !== e.crc >>> 0) throw new ZipRefused(`zip member ${JSON.stringify(e.name)}: checksum mismatch`);
  return out;
}

/**
 * Extracts the one Shapefile of a zip into `dir` as layer.shp, layer.shx, layer.dbf (+ layer.prj, layer.cpg).
 * With several, the one named "units" is taken (a plan exported by gridlink holds units and grids); otherwise
 * the zip is refused. Other members (.xml metadata, read-me files…) are listed and checked but never extracted.
 */
export async function extractShapefile(zip: Buffer, dir: string): Promise<ExtractedShapefile> {
  const entries = listZip(zip).filter((e) => !e.name.endsWith('/'));
  const shps = entries.filter((e) => extOf(e.name) === 'shp');
  if (!shps.length) throw new ZipRefused('the zip holds no .shp file: send a zipped Shapefile (.shp, .shx, .dbf)');
  const layers = shps.map((e) => stem(e.name).slice(stem(e.name).lastIndexOf('/') + 1));
  let chosenShp = shps[0];
  if (shps.length > 1) {
    const units = shps.filter((e, i) => layers[i].toLowerCase() === 'units');
    if (units.length !== 1)
      throw new ZipRefused(
        `the zip holds ${shps.length} Shapefiles (${layers.slice(0, 5).join(', ')}); send one, or name the one to import "units"`,
      );
    chosenShp = units[0];
  }
  const base = stem(chosenShp.name).toLowerCase();
  const parts = new Map<Part, Entry>();
  for (const e of entries) {
    const ext = extOf(e.name) as Part;
    if (LAYER_PARTS.includes(ext) && stem(e.name).toLowerCase() === base) parts.set(ext, e);
  }
  const missing = REQUIRED.filter((p) => !parts.has(p));
  if (missing.length)
    throw new ZipRefused(
      `the Shapefile ${JSON.stringify(layers[shps.indexOf(chosenShp)])} lacks its ${missing.map((m) => `.${m}`).join(', ')}`,
    );
  const total = [...parts.values()].reduce((sum, e) => sum + e.size, 0);
  if (total > ZIP_LIMITS.totalBytes)
    throw new ZipRefused(`the Shapefile is larger than ${ZIP_LIMITS.totalBytes / 1024 / 1024} MB uncompressed`);
  for (const e of parts.values()) {
    if (e.size > ZIP_LIMITS.ratioFloor && e.size > ZIP_LIMITS.ratio * Math.max(1, e.compressedSize)) {
      throw new ZipRefused(
        `zip member ${JSON.stringify(e.name)} is compressed more than ${ZIP_LIMITS.ratio}:1; such archives are not accepted`,
      );
    }
  }
  for (const [ext, e] of parts)
    await writeFile(path.join(dir, `layer.${ext}`), inflateMember(zip, e), { flag: 'wx', mode: 0o600 });
  return { shp: path.join(dir, 'layer.shp'), layers, chosen: layers[shps.indexOf(chosenShp)] };
}
