// Publishing plans: publish a draft, rebase a stale one, the history of published plans, restore one.
import { z } from 'zod';

export const PublishedSince = z.object({
  id: z.number(),
  name: z.string(),
  author: z.string(),
  publishedAt: z.string(),
});
export type PublishedSince = z.infer<typeof PublishedSince>;

export const PublishSummary = z.object({
  unitsMoved: z.number(),
  householdsMoved: z.number(),
  gridsCreated: z.array(z.string()),
  gridsRetired: z.array(z.string()),
  /** Grids whose polygon was derived anew (every grid of the communities that changed). */
  gridsRedrawn: z.array(z.string()),
  communities: z.array(z.string()),
  /** Grid label of the draft → grid id it became (labels that were already grid ids are left out). */
  newIds: z.record(z.string(), z.string()),
});
export type PublishSummary = z.infer<typeof PublishSummary>;

/** POST /api/plans/:id/publish and /restore. */
export const PublishResult = z.object({
  planId: z.number(),
  dataVersion: z.number(),
  publishedAt: z.string(),
  summary: PublishSummary,
});
export type PublishResult = z.infer<typeof PublishResult>;

export const GeometryProblem = z.object({
  check: z.enum(['invalid', 'outside-community', 'overlap', 'unit-outside-grid']),
  grid: z.string(),
  other: z.string().optional(),
  squareMetres: z.number().optional(),
});
export type GeometryProblem = z.infer<typeof GeometryProblem>;

/** The details of a refused publish (404, 409 stale or read-only, 422 invalid). */
export const PublishRefusal = z.discriminatedUnion('reason', [
  z.object({ reason: z.literal('not-found') }),
  z.object({ reason: z.literal('not-draft') }),
  z.object({ reason: z.literal('stale'), baseDataVersion: z.number(), publishedSince: z.array(PublishedSince) }),
  z.object({ reason: z.literal('units'), unknown: z.array(z.string()), missing: z.array(z.string()) }),
  z.object({ reason: z.literal('scope'), communities: z.array(z.string()) }),
  z.object({
    reason: z.literal('invalid'),
    violations: z.array(
      z.object({
        kind: z.string(),
        message: z.string(),
        grid: z.string().optional(),
        parent: z.string().optional(),
        unitIds: z.array(z.string()).optional(),
      }),
    ),
  }),
  z.object({ reason: z.literal('geometry'), problems: z.array(GeometryProblem) }),
]);
export type PublishRefusal = z.infer<typeof PublishRefusal>;

/** GET /api/plan/history: one published plan. */
export const PublishedPlan = z.object({
  id: z.number(),
  name: z.string(),
  author: z.string(),
  publishedBy: z.string(),
  publishedAt: z.string(),
  dataVersion: z.number(),
  restoredFrom: z.number().nullable(),
  /** The plan the grids are now: the newest publication. */
  current: z.boolean(),
  summary: PublishSummary.nullable(),
});
export type PublishedPlan = z.infer<typeof PublishedPlan>;

export const PlanHistory = z.object({ plans: z.array(PublishedPlan) });
export type PlanHistory = z.infer<typeof PlanHistory>;

export const RebaseConflict = z.object({
  unit: z.string(),
  /** Where this draft had put the unit. */
  draft: z.string().nullable(),
  /** Where the plans published since put it: the rebased draft keeps this. */
  current: z.string().nullable(),
});
export type RebaseConflict = z.infer<typeof RebaseConflict>;

/** POST /api/plans/:id/rebase: what the rebased draft kept and which of its moves gave way. */
export const Rebased = z.object({
  ok: z.literal(true),
  baseDataVersion: z.number(),
  kept: z.number(),
  conflicts: z.array(RebaseConflict),
  dropped: z.array(z.string()),
  publishedSince: z.array(PublishedSince),
});
export type Rebased = z.infer<typeof Rebased>;

export type RebaseResult = Rebased | { ok: false; reason: 'not-found' | 'not-draft' };
