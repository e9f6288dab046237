/**
 * The community's service work besides issues (domain.md figures): micro-wishes (微心愿), service activities
 * (活动) and deliberation items (议事). Pure: states, kinds, steps and the demo figures; SQL in server/db.
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

/**
 * The synthetic twelve months (示例数据), sized to the seed's figures: 2,200+ micro-wishes claimed, 2,600+
 * activities, 230+ consultation problems solved (resolved deliberation items about entry, stairs, parking …).
 */
export const DEMO_SERVICE = {
  days: 365,
  wishes: 2320,
  /** Every n-th wish is still waiting for someone to claim it: 2,320 − 80 = 2,240 claimed. */
  unclaimedEvery: 29,
  /** Of the claimed wishes, those with hash % 10 = 0 are not fulfilled yet (about a tenth). */
  activities: 2640,
  deliberations: 256,
  /** Items 1 … resolved are resolved; the rest are at an earlier step. */
  resolved: 236,
} as const;
