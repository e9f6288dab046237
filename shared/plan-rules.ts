// The planning rules the planner's browser, the publish check and the balancing engine apply alike. Pure and
// free of zod: the balancing worker bundles it.

/** Households per grid: the lightest and the heaviest grid allowed. A county's own are in its manifest. */
export interface HouseholdBounds {
  readonly min: number;
  readonly max: number;
}

/** The bounds of a county whose manifest names none (and the balancing engine's default). */
export const DEFAULT_GRID_BOUNDS = { min: 300, max: 500 } as const;

/** Slack for fractional household weights (the engine accepts them), as in the engine's own comparisons. */
const EPSILON = 1e-7;

/**
 * The split-compound rule: a compound of at most `max` households stays whole (one grid); a heavier one may
 * span ⌈households / max⌉ grids, the fewest that can hold it.
 */
export function gridsAllowedForCompound(households: number, max: number): number {
  return households <= max + EPSILON ? 1 : Math.ceil(households / max - 1e-9);
}
