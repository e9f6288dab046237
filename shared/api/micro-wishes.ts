// Micro-wishes (微心愿): posted for a resident, claimed by an in-service party member, fulfilled with a note.
import { z } from 'zod';
import { WISH_STATES } from '../community-service.ts';
import { GridItem, pageOf } from './fragments.ts';

export const MicroWish = GridItem.extend({
  title: z.string(),
  description: z.string().nullable(),
  state: z.enum(WISH_STATES),
  postedAt: z.string(),
  /** Masked (张*): a person of the party register. */
  claimedBy: z.string().nullable(),
  claimedAt: z.string().nullable(),
  fulfilledAt: z.string().nullable(),
  fulfilmentNote: z.string().nullable(),
  synthetic: z.boolean(),
});
export type MicroWish = z.infer<typeof MicroWish>;

/** GET /api/micro-wishes. */
export const WishList = pageOf('wishes', MicroWish);
export type WishList = z.infer<typeof WishList>;

/** GET /api/micro-wishes/:id/members: the in-service party members a claim can be recorded for (names masked). */
export const ClaimMembers = z.object({ members: z.array(z.object({ id: z.string(), name: z.string() })) });
export type ClaimMembers = z.infer<typeof ClaimMembers>;
