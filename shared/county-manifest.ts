// The manifest of a county package (county.json, docs/county-package.md): who the county is, its grid bounds
// (households per grid, a county setting rather than a constant), and per file its coordinate system and the
// columns that hold each field. Pure: the loader, the package reader and the client all read it from here.
import { z } from 'zod';
import { DEFAULT_GRID_BOUNDS } from './plan-rules.ts';

/** Files of a package by role; only `compounds` is required. */
export const PACKAGE_ROLES = [
  'county',
  'streets',
  'communities',
  'compounds',
  'buildings',
  'grids',
  'stations',
  'people',
  'member-units',
] as const;
export type PackageRole = (typeof PACKAGE_ROLES)[number];

/** A file's coordinate system: WGS84, the Chinese map offsets GCJ-02 / BD-09, or an EPSG code. */
export const CrsName = z.union([
  z.enum(['wgs84', 'gcj02', 'bd09']),
  z.string().regex(/^EPSG:\d{4,6}$/, 'an EPSG code such as "EPSG:4490"'),
  z.number().int().min(1024).max(999999),
]);
export type CrsName = z.infer<typeof CrsName>;

export { DEFAULT_GRID_BOUNDS };

export const GridBounds = z
  .strictObject({ min: z.number().int().min(1).max(100_000), max: z.number().int().min(1).max(100_000) })
  .refine((b) => b.min < b.max, 'bounds.min must be below bounds.max');
export type GridBounds = z.infer<typeof GridBounds>;

const fileRole = z.enum(PACKAGE_ROLES);
const column = z.string().min(1).max(64);

export const CountyManifest = z.strictObject({
  /** Version of the package format. */
  format: z.literal(1).default(1),
  name: z.string().trim().min(1).max(60),
  name_en: z.string().trim().min(1).max(60).optional(),
  /** The 6-digit administrative division code (行政区划代码). */
  code: z.string().regex(/^\d{6}$/, 'code is the 6-digit division code, e.g. "640323"'),
  bounds: GridBounds.default(DEFAULT_GRID_BOUNDS),
  /** True only for made-up data: it alone puts the demo badge on every screen. */
  synthetic: z.boolean().default(false),
  /** A file per role when its name is not the role's own (e.g. {"compounds": "小区.xlsx"}). */
  files: z.partialRecord(fileRole, z.string().regex(/^[^/\\]{1,120}$/, 'a file name inside the package')).optional(),
  crs: z.partialRecord(fileRole, CrsName).optional(),
  /** Per role: our field name → the file's column. */
  fields: z.partialRecord(fileRole, z.record(z.string().min(1).max(32), column)).optional(),
});
export type CountyManifest = z.infer<typeof CountyManifest>;
