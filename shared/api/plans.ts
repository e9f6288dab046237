// The planner's draft plans (/api/plans): the requests the routes validate and the answers the client reads.
import { z } from 'zod';
import { idSchema, labelSchema } from '../ids.ts';

const unitId = idSchema('a unit id');
const gridLabel = labelSchema('a grid label');

/** POST /api/plans. `copyOf`: the new draft copies that plan (a published one is read-only: this is how it is edited further). */
export const CreatePlanBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  copyOf: z.number().int().positive().optional(),
});

/** PUT /api/plans/:id/assignments: the whole assignment, every unit of GET /api/plan/units → its grid label
 * (null: no grid); with `locks`, the locked grids too (left out: they stay as they were). */
export const PlanAssignmentsBody = z.strictObject({
  assignments: z.record(unitId, gridLabel.nullable()),
  locks: z.array(gridLabel).max(5000).optional(),
});

export const PlanSummary = z.object({
  id: z.number(),
  name: z.string(),
  author: z.string(),
  baseDataVersion: z.number(),
  status: z.enum(['draft', 'published']),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** When a published plan was published (null for a draft): published plans are read-only. */
  publishedAt: z.string().nullable(),
  units: z.number(),
  grids: z.number(),
});
export type PlanSummary = z.infer<typeof PlanSummary>;

export const PlanDetail = PlanSummary.extend({
  /** Unit id → grid label (null: no grid). */
  assignments: z.record(z.string(), z.string().nullable()),
  /** Grid labels the planner locked: neither painting nor balancing touches them, and publishing keeps their polygon. */
  locks: z.array(z.string()),
});
export type PlanDetail = z.infer<typeof PlanDetail>;

/** GET /api/plans. */
export const PlanList = z.object({ plans: z.array(PlanSummary) });
export type PlanList = z.infer<typeof PlanList>;

/** GET /api/plans/:id/export. */
export const PlanExportQuery = z.strictObject({
  format: z.enum(['geojson', 'gpkg', 'shp']),
  layer: z.enum(['units', 'grids']).default('units'),
});
export type PlanExportQuery = z.output<typeof PlanExportQuery>;

const flag = z
  .enum(['true', 'false'])
  .default('false')
  .transform((v) => v === 'true');
const fieldName = z.string().min(1).max(100).optional();
/** The form fields of POST /api/plan-files/preview and /apply (multipart: every value is text). */
export const PlanImportBody = z.strictObject({
  unitField: fieldName,
  labelField: fieldName,
  householdsField: fieldName,
  repair: flag,
  gcj02: flag,
  name: z.string().trim().min(1).max(100).optional(),
});
export type PlanImportBody = z.output<typeof PlanImportBody>;
