/**
 * The one rule for figures about people that anyone may read (anonymous callers, walls, the inspection map's
 * cards and metrics): nothing about a group smaller than MIN_PUBLIC_GROUP, and nothing from which such a group
 * can be worked out by subtraction.
 *
 * A count of people with an attribute (party members, members in service, red stewards) under 5 is null,
 * "fewer than 5"; zero is hidden with it, else a null would mean "1 to 4" and a hidden grid over four hidden
 * buildings would give each exactly 1. Every other such count is rounded to the nearest multiple of 5: an area
 * holds the same people as its buildings, compounds or grids, so with exact counts the area's total minus its
 * children's shown counts gave back a hidden 1 or 2 (a compound of 63 party members whose buildings showed 61),
 * and a grid's count before and after one person moved named that person's household. Rounded, each figure is
 * off by up to 2, and no difference of published figures is finer than 5.
 *
 * A mean (or a sum) over fewer than MIN_PUBLIC_GROUP people is null too (workforce.ts): the mean of one head's
 * allowance is that person's pay, and colleagues who know their own pay learn the others' from a mean of three.
 */
export const MIN_PUBLIC_GROUP = 5;

/** Public counts of people are multiples of this. */
export const PUBLIC_COUNT_STEP = 5;

/** Whether a group of n people (n ≥ 1) is too small for a public mean or sum over it (zero is no group). */
export const isSmallGroup = (n: number, minGroup = MIN_PUBLIC_GROUP): boolean => n > 0 && n < minGroup;

/** A count of people as the public may see it: null under MIN_PUBLIC_GROUP (0 included), else rounded. */
export const publicCount = (n: number): number | null =>
  n < MIN_PUBLIC_GROUP ? null : Math.round(n / PUBLIC_COUNT_STEP) * PUBLIC_COUNT_STEP;

/** The same rule in SQL, for figures computed from a count there (`n`: an SQL expression of a whole number ≥ 0). */
export const publicCountSql = (n: string): string =>
  `(case when (${n}) < ${MIN_PUBLIC_GROUP} then null else (round((${n})::numeric / ${PUBLIC_COUNT_STEP}) * ${PUBLIC_COUNT_STEP})::integer end)`;
