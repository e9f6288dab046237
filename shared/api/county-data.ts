// The admin data page (/admin/data): a county package uploaded and checked, its report shown, the column mapping
// changed and checked again, then applied with progress lines. The manifest's fields may come from a form instead
// of a county.json; what the form gives wins over the package's county.json.
import { z } from 'zod';
import { CountyManifest, CrsName, GridBounds, PACKAGE_ROLES } from '../county-manifest.ts';
import { CountyReport } from './county-report.ts';

const role = z.enum(PACKAGE_ROLES);
/** Our fields a file's columns map to (server/county/columns.ts guesses them). */
export const PACKAGE_FIELDS = [
  'id',
  'name',
  'households',
  'lon',
  'lat',
  'community',
  'grid',
  'type',
  'address',
] as const;

/** The manifest as the page's form gives it (JSON in the multipart field "manifest", or the body of a re-check). */
export const ManifestForm = z.strictObject({
  name: z.string().trim().min(1).max(60).optional(),
  name_en: z.string().trim().min(1).max(60).optional(),
  code: z
    .string()
    .regex(/^\d{6}$/, 'code is the 6-digit division code, e.g. "640323"')
    .optional(),
  bounds: GridBounds.optional(),
  crs: z.partialRecord(role, CrsName).optional(),
  /** Per role: our field → the file's column (an empty mapping of a role: guess again). */
  fields: z.partialRecord(role, z.partialRecord(z.enum(PACKAGE_FIELDS), z.string().min(1).max(64))).optional(),
});
export type ManifestForm = z.infer<typeof ManifestForm>;

/** The answer to an upload or a re-check: the upload kept for apply (until `expiresAt`) and its report. */
export const CountyCheckAnswer = z.object({
  uploadId: z.string(),
  expiresAt: z.string(),
  /** The manifest the check used (the package's county.json with the form over it); null when it is invalid. */
  manifest: CountyManifest.nullable(),
  report: CountyReport,
});
export type CountyCheckAnswer = z.infer<typeof CountyCheckAnswer>;

/** The steps an import reports, in order (the progress bar's scale). */
export const IMPORT_STEPS = [
  'read',
  'checked',
  'replaced',
  'streets',
  'communities',
  'grid plan',
  'grids',
  'compounds',
  'buildings',
  'stations',
] as const;

/** One line of the apply stream (NDJSON). */
export const ApplyLine = z.discriminatedUnion('stage', [
  z.object({ stage: z.literal('progress'), step: z.string(), done: z.number().int(), total: z.number().int() }),
  z.object({
    stage: z.literal('done'),
    summary: z.object({
      code: z.string(),
      name: z.string(),
      rows: z.record(z.string(), z.number()),
      seconds: z.number(),
    }),
  }),
  z.object({ stage: z.literal('blocked'), report: CountyReport }),
  z.object({ stage: z.literal('failed'), status: z.number().int(), message: z.string() }),
]);
export type ApplyLine = z.infer<typeof ApplyLine>;
