// The community's service work (shared/community-service.ts): the figures of the synthetic demo year.

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
