/**
 * The one rule for figures about people that anyone may read (anonymous callers, walls, the inspection map's
 * cards and metrics): no figure of a group smaller than MIN_PUBLIC_GROUP. A count of people with an attribute
 * (party members, members in service, red stewards) of 1 or 2 is given as null, "fewer than three": in a
 * building or a small grid it would point at a household. A mean over fewer people is null too (workforce.ts):
 * the mean of one head's allowance is that person's pay. Zero stays zero.
 */
export const MIN_PUBLIC_GROUP = 3;

/** A count of people as the public may see it: null for 1 … MIN_PUBLIC_GROUP − 1. */
export const publicCount = (n: number, minGroup = MIN_PUBLIC_GROUP): number | null =>
  n > 0 && n < minGroup ? null : n;

/** The same rule in SQL, for figures computed from a count there (`n`: an SQL expression). */
export const publicCountSql = (n: string): string =>
  `(case when (${n}) > 0 and (${n}) < ${MIN_PUBLIC_GROUP} then null else (${n}) end)`;
