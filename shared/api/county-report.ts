// The validation report of a county package (`npm run county -- check`, later the admin data page): what was read
// per role and every problem found, each with a code, whether it blocks the import, and where it is. The text of a
// problem is made from its code and figures in the reader's language; nothing here is prose.
import { z } from 'zod';
import { PACKAGE_ROLES } from '../county-manifest.ts';

export const PROBLEM_CODES = [
  'manifest_missing',
  'manifest_invalid',
  'file_missing',
  'file_refused',
  'file_unreadable',
  'encoding_unknown',
  'layer_empty',
  'columns_unmapped',
  'column_missing',
  'coordinates_missing',
  'coordinates_out_of_range',
  'geometry_malformed',
  'geometry_invalid',
  'compounds_overlap',
  'compound_outside_community',
  'community_unknown',
  'compound_outside_county',
  'compound_far_away',
  'duplicate_name',
  'households_missing',
  'households_invalid',
  'households_zero',
  'compound_too_heavy',
  'community_too_light',
  'communities_overlap',
  'communities_gap',
  'station_outside_county',
  'person_place_unknown',
  'types_unknown',
  'crs_gcj02_likely',
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

export const Severity = z.enum(['block', 'warn']);
export type Severity = z.infer<typeof Severity>;

export const PackageRoleName = z.enum(PACKAGE_ROLES);

export const ProblemPlace = z.object({
  layer: PackageRoleName.nullable(),
  /** The feature's id in its file (or its row number), its name, and a point on it in WGS84. */
  id: z.string().nullable(),
  name: z.string().nullable(),
  lon: z.number().nullable(),
  lat: z.number().nullable(),
});
export type ProblemPlace = z.infer<typeof ProblemPlace>;

export const Problem = z.object({
  code: z.enum(PROBLEM_CODES),
  severity: Severity,
  where: ProblemPlace,
  /** Figures and words the text of the problem shows (areas in m², distances in m, a GDAL or parser message…). */
  details: z.record(z.string(), z.union([z.string(), z.number()])),
});
export type Problem = z.infer<typeof Problem>;

export const LayerReport = z.object({
  role: PackageRoleName,
  /** The file read, or null when the package has none for this role. */
  file: z.string().nullable(),
  status: z.enum(['read', 'missing', 'derived', 'failed']),
  format: z.enum(['GeoJSON', 'GeoPackage', 'Shapefile', 'CSV', 'XLSX']).nullable(),
  features: z.number().int(),
  /** The coordinate system the features were read in ("EPSG:4326", "gcj02", "EPSG:32617 (file)"…). */
  crs: z.string().nullable(),
  /** Our field → the file's column, guessed from the column names or given by the manifest. */
  mapping: z.record(z.string(), z.string()),
  /** The file's own columns (its table header or its features' attributes), for changing the mapping. */
  columns: z.array(z.string()).optional(),
  /** Points given a square footprint of approximate size (marked approximate in the data). */
  approximate: z.number().int(),
  /** What will be done instead when the role is missing (e.g. communities from their compounds). */
  derivation: z.string().nullable(),
});
export type LayerReport = z.infer<typeof LayerReport>;

export const CountyReport = z.object({
  format: z.literal(1),
  county: z.object({ name: z.string(), code: z.string(), min: z.number(), max: z.number() }).nullable(),
  layers: z.array(LayerReport),
  problems: z.array(Problem),
  /** Problems of a code past the per-code cap are counted here, not listed. */
  omitted: z.record(z.string(), z.number().int()),
  blocking: z.boolean(),
});
export type CountyReport = z.infer<typeof CountyReport>;
