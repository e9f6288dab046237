// The files of a county package as the admin data page uploads them — one zip of the package folder, or a file
// per role plus an optional county.json — turned into a file per role under a name the server chooses
// (`<role>.<ext>`), and the manifest: the package's county.json with the page's form over it. The zip is listed
// and checked whole (the planner's zip checks) before any member is inflated, and only the members the package
// uses are inflated, each held to the package limits.
import { CountyManifest, PACKAGE_ROLES, type PackageRole } from '../../shared/county-manifest.ts';
import type { ManifestForm } from '../../shared/api/county-data.ts';
import { ZIP_LIMITS, ZipRefused, inflateMember, listZip, type Entry } from '../plans/zip-extract.ts';
import { PACKAGE_LIMITS } from './read-package.ts';

/** The multipart field of a whole package as one zip, and of its county.json. */
export const ZIP_FIELD = 'package';
export const MANIFEST_FIELD = 'county.json';
const EXTENSIONS = ['geojson', 'json', 'gpkg', 'zip', 'csv', 'xlsx'];

export interface UploadedFile {
  field: string;
  name: string;
  bytes: Buffer;
}

export interface PackageFile {
  role: PackageRole;
  /** The name the server writes it under. */
  name: string;
  bytes: Buffer;
}

/** A request that cannot be a package: answered with `status` and the message, nothing kept. */
export class UploadRefused extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: unknown = null,
  ) {
    super(message);
  }
}

const extOf = (name: string) => {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
};
const isRole = (field: string): field is PackageRole => (PACKAGE_ROLES as readonly string[]).includes(field);

/** A role's file under the server's name; `.json` is written as `.geojson` so that no role is county.json. */
function roleFile(role: PackageRole, name: string, bytes: Buffer): PackageFile {
  const ext = extOf(name);
  if (!EXTENSIONS.includes(ext))
    throw new UploadRefused(400, `${role}: "${name.slice(0, 80)}" is not one of .${EXTENSIONS.join(', .')}`);
  return { role, name: `${role}.${ext === 'json' ? 'geojson' : ext}`, bytes };
}

function parseManifestFile(bytes: Buffer): Record<string, unknown> {
  if (bytes.length > PACKAGE_LIMITS.manifestBytes)
    throw new UploadRefused(413, `county.json is larger than ${PACKAGE_LIMITS.manifestBytes / 1024} KB`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw new UploadRefused(400, `county.json is not valid JSON: ${(error as Error).message.slice(0, 200)}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new UploadRefused(400, 'county.json must hold an object');
  return json as Record<string, unknown>;
}

const basename = (name: string) => name.slice(name.lastIndexOf('/') + 1);

/** The members of a package zip (at its root or in one folder), by base name; system clutter left out. */
function zipMembers(zip: Buffer): Map<string, Entry> {
  let entries: Entry[];
  try {
    // Three levels: the package's folder, and the __MACOSX/<folder>/ copy a Mac's zip adds beside it.
    entries = listZip(zip, 3);
  } catch (error) {
    if (error instanceof ZipRefused) throw new UploadRefused(400, error.message);
    throw error;
  }
  const members = new Map<string, Entry>();
  for (const e of entries) {
    const base = basename(e.name);
    if (e.name.endsWith('/') || e.name.startsWith('__MACOSX/') || base.startsWith('.')) continue;
    if (members.has(base.toLowerCase()))
      throw new UploadRefused(400, `the zip holds "${base.slice(0, 80)}" twice (in two folders)`);
    members.set(base.toLowerCase(), e);
  }
  return members;
}

function inflate(zip: Buffer, e: Entry): Buffer {
  if (e.size > PACKAGE_LIMITS.fileBytes)
    throw new UploadRefused(
      413,
      `"${e.name.slice(0, 80)}" is larger than ${PACKAGE_LIMITS.fileBytes / 1024 / 1024} MB`,
    );
  if (e.size > ZIP_LIMITS.ratioFloor && e.size > ZIP_LIMITS.ratio * Math.max(1, e.compressedSize))
    throw new UploadRefused(400, `"${e.name.slice(0, 80)}" is compressed more than ${ZIP_LIMITS.ratio}:1`);
  try {
    return inflateMember(zip, e);
  } catch (error) {
    if (error instanceof ZipRefused) throw new UploadRefused(400, error.message);
    throw error;
  }
}

/** The package in one zip: its county.json, and per role the file its `files` names or `<role>.<ext>`. */
function unzipPackage(zip: Buffer): { manifest: Record<string, unknown> | null; files: PackageFile[] } {
  const members = zipMembers(zip);
  const manifestEntry = members.get('county.json');
  const manifest = manifestEntry ? parseManifestFile(inflate(zip, manifestEntry)) : null;
  const named = (manifest?.files ?? {}) as Record<string, unknown>;
  const files: PackageFile[] = [];
  let total = 0;
  for (const role of PACKAGE_ROLES) {
    const given = typeof named[role] === 'string' ? (named[role] as string).toLowerCase() : null;
    const entry = given
      ? members.get(given)
      : EXTENSIONS.map((ext) => members.get(`${role}.${ext}`)).find((e) => e && e !== manifestEntry);
    if (!entry) {
      if (given) throw new UploadRefused(400, `county.json names "${given.slice(0, 80)}" for ${role}: not in the zip`);
      continue;
    }
    total += entry.size;
    if (total > PACKAGE_LIMITS.totalBytes)
      throw new UploadRefused(413, `the package is larger than ${PACKAGE_LIMITS.totalBytes / 1024 / 1024} MB`);
    files.push(roleFile(role, basename(entry.name), inflate(zip, entry)));
  }
  return { manifest, files };
}

/** The role files and county.json of the uploaded files; a field that is neither a role nor known is refused. */
export function packageFiles(uploaded: UploadedFile[]): {
  manifest: Record<string, unknown> | null;
  files: PackageFile[];
} {
  const zip = uploaded.filter((f) => f.field === ZIP_FIELD);
  if (zip.length) {
    if (uploaded.length > 1) throw new UploadRefused(400, `send either one "${ZIP_FIELD}" zip or the files by role`);
    return unzipPackage(zip[0].bytes);
  }
  let manifest: Record<string, unknown> | null = null;
  const files: PackageFile[] = [];
  const seen = new Set<string>();
  for (const f of uploaded) {
    if (seen.has(f.field)) throw new UploadRefused(400, `"${f.field.slice(0, 40)}": one file per role`);
    seen.add(f.field);
    if (f.field === MANIFEST_FIELD) manifest = parseManifestFile(f.bytes);
    else if (isRole(f.field)) files.push(roleFile(f.field, f.name, f.bytes));
    else
      throw new UploadRefused(
        400,
        `unknown role "${f.field.slice(0, 40)}": the roles are ${PACKAGE_ROLES.join(', ')} (or "${ZIP_FIELD}", "${MANIFEST_FIELD}")`,
      );
  }
  if (!files.length) throw new UploadRefused(400, 'no file of the package: send at least the compounds');
  return { manifest, files };
}

/**
 * The manifest checked: the package's county.json (its `files` dropped: the server names the files) with the
 * form's fields over it. A 400 names every problem.
 */
export function mergedManifest(file: Record<string, unknown> | null, form: ManifestForm | null): CountyManifest {
  if (!file && !form) throw new UploadRefused(400, 'no county.json among the files and no manifest form');
  const merged: Record<string, unknown> = { ...(file ?? {}) };
  delete merged.files;
  for (const [key, value] of Object.entries(form ?? {})) if (value !== undefined) merged[key] = value;
  const parsed = CountyManifest.safeParse(merged);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 20).map((i) => ({ path: i.path.join('.'), message: i.message }));
  throw new UploadRefused(
    400,
    `the manifest is wrong: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`,
    issues,
  );
}
