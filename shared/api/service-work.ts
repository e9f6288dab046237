// Community service work (micro-wishes, activities, deliberation items): the counts per grid.
import { z } from 'zod';

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
