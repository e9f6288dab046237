/**
 * The community's service work besides issues (domain.md figures): micro-wishes (微心愿), service activities
 * (活动) and deliberation items (议事). The vocabulary both sides use: states, kinds, steps; SQL in server/db,
 * the demo figures in server/community/service.ts.
 */

export const WISH_STATES = ['posted', 'claimed', 'fulfilled'] as const;
export type WishState = (typeof WISH_STATES)[number];

export const ACTIVITY_KINDS = [
  'volunteer',
  'elderly_care',
  'environment',
  'culture',
  'safety',
  'health',
  'policy',
] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

/** 议事: branch proposes → owners' committee discusses → party members' meeting reviews → building heads' meeting resolves. */
export const DELIBERATION_STEPS = ['proposed', 'discussed', 'reviewed', 'resolved'] as const;
export type DeliberationStep = (typeof DELIBERATION_STEPS)[number];

export const DELIBERATION_TOPICS = ['entry', 'stairs', 'parking', 'property', 'environment', 'other'] as const;
export type DeliberationTopic = (typeof DELIBERATION_TOPICS)[number];

/** The step after this one; undefined once resolved. */
export function nextStep(step: DeliberationStep): DeliberationStep | undefined {
  return DELIBERATION_STEPS[DELIBERATION_STEPS.indexOf(step) + 1];
}
