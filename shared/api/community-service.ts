// The requests of the community's service work (micro-wishes, activities, deliberation items, counts per grid): the
// schemas the routes validate with, and their inferred types.
import { z } from 'zod';
import { idSchema } from '../ids.ts';
import { pageQuery } from './fragments.ts';
import { ACTIVITY_KINDS, DELIBERATION_STEPS, DELIBERATION_TOPICS, WISH_STATES } from '../community-service.ts';

const areaId = idSchema('an area is a grid, community or street id');
const text = (max: number) => z.string().trim().min(1).max(max);
const page = pageQuery(500, 100);

/** GET /api/micro-wishes. */
export const WishQuery = z.strictObject({ state: z.enum(WISH_STATES).optional(), area: areaId.optional(), ...page });
export type WishQuery = z.output<typeof WishQuery>;
/** POST /api/micro-wishes. */
export const WishBody = z.strictObject({
  grid_id: areaId,
  title: text(100),
  description: z.string().trim().max(1000).optional(),
});
export type WishBody = z.output<typeof WishBody>;
/** POST /api/micro-wishes/:id/claim. */
export const ClaimBody = z.strictObject({ party_member_id: idSchema('a person id from the party register') });
/** POST /api/micro-wishes/:id/fulfil. */
export const FulfilBody = z.strictObject({ note: text(1000) });

/** GET /api/service-activities. */
export const ActivityQuery = z.strictObject({
  kind: z.enum(ACTIVITY_KINDS).optional(),
  area: areaId.optional(),
  ...page,
});
export type ActivityQuery = z.output<typeof ActivityQuery>;
/** POST /api/service-activities. */
export const ActivityBody = z
  .strictObject({
    grid_id: areaId,
    kind: z.enum(ACTIVITY_KINDS),
    title: text(100),
    organiser_unit_id: areaId.optional(),
    organiser: text(100).optional(),
    participants: z.number().int().min(1).max(10_000),
    held_on: z.iso.date(),
  })
  .refine((b) => b.organiser_unit_id !== undefined || b.organiser !== undefined, {
    message: 'give organiser_unit_id (a member unit) or organiser (a name)',
  });
export type ActivityBody = z.output<typeof ActivityBody>;

/** GET /api/deliberations. */
export const DeliberationQuery = z.strictObject({
  step: z.enum(DELIBERATION_STEPS).optional(),
  area: areaId.optional(),
  ...page,
});
export type DeliberationQuery = z.output<typeof DeliberationQuery>;
/** POST /api/deliberations. */
export const DeliberationBody = z.strictObject({
  grid_id: areaId,
  topic: z.enum(DELIBERATION_TOPICS),
  title: text(100),
  note: z.string().trim().max(1000).optional(),
});
export type DeliberationBody = z.output<typeof DeliberationBody>;
/** POST /api/deliberations/:id/advance. */
export const AdvanceBody = z.strictObject({
  note: z.string().trim().max(1000).optional(),
  resolution: z.string().trim().min(1).max(1000).optional(),
});
export type AdvanceBody = z.output<typeof AdvanceBody>;

/** GET /api/community-service/counts. */
export const CountsQuery = z.strictObject({ area: areaId.optional() });
