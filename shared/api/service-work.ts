// Community service work: service activities, deliberation items, and the counts per grid with micro-wishes.
import { z } from 'zod';
import { ACTIVITY_KINDS, DELIBERATION_STEPS, DELIBERATION_TOPICS } from '../community-service.ts';
import { GridItem, pageOf } from './fragments.ts';

export const ServiceActivity = GridItem.extend({
  kind: z.enum(ACTIVITY_KINDS),
  title: z.string(),
  organiserUnitId: z.string().nullable(),
  organiser: z.string(),
  participants: z.number(),
  heldOn: z.string(),
  synthetic: z.boolean(),
});
export type ServiceActivity = z.infer<typeof ServiceActivity>;

/** GET /api/service-activities. */
export const ActivityList = pageOf('activities', ServiceActivity);
export type ActivityList = z.infer<typeof ActivityList>;

const step = z.enum(DELIBERATION_STEPS);

export const DeliberationItem = GridItem.extend({
  topic: z.enum(DELIBERATION_TOPICS),
  title: z.string(),
  step,
  resolution: z.string().nullable(),
  synthetic: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  steps: z.array(z.object({ step, note: z.string().nullable(), actor: z.string(), at: z.string() })),
});
export type DeliberationItem = z.infer<typeof DeliberationItem>;

/** GET /api/deliberations. */
export const DeliberationList = pageOf('items', DeliberationItem);
export type DeliberationList = z.infer<typeof DeliberationList>;

/** Counts per grid from the view grid_service_counts. */
export const GridServiceCounts = z.object({
  gridId: z.string(),
  communityId: z.string(),
  wishesPosted: z.number(),
  wishesClaimed: z.number(),
  wishesFulfilled: z.number(),
  activities: z.number(),
  activityParticipants: z.number(),
  deliberationsOpen: z.number(),
  deliberationsResolved: z.number(),
});
export type GridServiceCounts = z.infer<typeof GridServiceCounts>;

export const ServiceTotals = GridServiceCounts.omit({ gridId: true, communityId: true });
export type ServiceTotals = z.infer<typeof ServiceTotals>;

/** GET /api/community-service/counts: the grids of an area (the caller's own; all when null) and their totals. */
export const ServiceCounts = z.object({ totals: ServiceTotals, grids: z.array(GridServiceCounts) });
export type ServiceCounts = z.infer<typeof ServiceCounts>;
