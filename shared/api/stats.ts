// GET /api/stats: the issue KPIs of an area and a period, counts only — never a person.
import { z } from 'zod';
import { idSchema } from '../ids.ts';
import { NamedThing } from './fragments.ts';

/** The longest period asked for by dates: two years, so a year can be set against the year before. */
export const STATS_MAX_DAYS = 731;
const DAY_MS = 86_400_000;

/** A calendar day (YYYY-MM-DD) that exists, as the instant it starts in Beijing (UTC+8, no daylight saving). */
const beijingDay = z.iso.date('a date is YYYY-MM-DD').transform((s, ctx) => {
  const start = new Date(`${s}T00:00:00+08:00`);
  if (Number.isNaN(start.getTime()) || new Date(start.getTime() + 8 * 3_600_000).toISOString().slice(0, 10) !== s) {
    ctx.addIssue({ code: 'custom', message: `${s} is not a calendar day` });
    return z.NEVER;
  }
  return start;
});

/** The last `days` days, or the Beijing calendar days `from` … `to` (both included); `area` narrows the scope. */
export const StatsQuery = z
  .strictObject({
    area: idSchema('an area is a grid, community or street id').optional(),
    days: z.coerce.number().int('days must be whole days').min(1).max(366).optional(),
    from: beijingDay.optional(),
    to: beijingDay.optional(),
  })
  // zod runs these even when a field failed: they only judge days that parsed.
  .refine((q) => (q.from === undefined) === (q.to === undefined), { message: 'from and to go together', path: ['to'] })
  .refine((q) => q.days === undefined || q.from === undefined, {
    message: 'give either days or from and to',
    path: ['days'],
  })
  .refine((q) => !(q.from instanceof Date && q.to instanceof Date) || q.from <= q.to, {
    message: 'from must not be after to',
    path: ['to'],
  })
  .refine(
    (q) =>
      !(q.from instanceof Date && q.to instanceof Date) ||
      (q.to.getTime() - q.from.getTime()) / DAY_MS + 1 <= STATS_MAX_DAYS,
    { message: `a period is at most ${STATS_MAX_DAYS} days`, path: ['to'] },
  );

/** A share with what it divides: null when there is nothing to divide by. */
export const Rate = z.object({ value: z.number().nullable(), numerator: z.number(), denominator: z.number() });
export type Rate = z.infer<typeof Rate>;

export const AreaVolume = z.object({ id: z.string(), name: z.string(), reports: z.number() });
export type AreaVolume = z.infer<typeof AreaVolume>;

export const MemberUnitRank = NamedThing.extend({
  rank: z.number(),
  trade: z.string().nullable(),
  /** Issues it was summoned to that were closed in the period (小微实事 solved). */
  solved: z.number(),
  /** Of those, closed by their deadline. */
  onTime: z.number(),
  /** Summoned in the period. */
  assigned: z.number(),
});
export type MemberUnitRank = z.infer<typeof MemberUnitRank>;

export const ServiceInPeriod = z.object({
  wishesPosted: z.number(),
  wishesClaimed: z.number(),
  wishesFulfilled: z.number(),
  /** Activities held in the period (an activity counts from the start of its Beijing day). */
  activities: z.number(),
  activityParticipants: z.number(),
  /** Deliberation items resolved in the period (consultation problems solved). */
  consultationsResolved: z.number(),
});
export type ServiceInPeriod = z.infer<typeof ServiceInPeriod>;

export const StatsBreakdowns = z.object({
  /** The period's reports per grid and per compound, most first (areas without reports left out). */
  byGrid: z.array(AreaVolume),
  byCompound: z.array(AreaVolume),
  /** Issues closed in the period to which a member unit had been summoned (counted once). */
  solvedByMemberUnits: z.number(),
  memberUnitRanking: z.array(MemberUnitRank),
  service: ServiceInPeriod,
});
export type StatsBreakdowns = z.infer<typeof StatsBreakdowns>;

const counts = z.record(z.string(), z.number());

/** The answer of GET /api/stats. */
export const IssueStats = StatsBreakdowns.extend({
  area: z.string().nullable(),
  /** Length of the period in days (fractional when it is not whole days). */
  days: z.number(),
  from: z.string(),
  to: z.string(),
  /** Reported in the period. */
  reports: z.number(),
  openNow: z.number(),
  overdueNow: z.number(),
  /** Member-unit assignments dispatched in the period that are signed. */
  responseRate: Rate,
  /** Reported in the period (not returned, duplicate or void) and closed or rated. */
  resolutionRate: Rate,
  /** Ratings given in the period that are satisfied or basically satisfied. */
  satisfactionRate: Rate,
  /** Closed in the period with a deadline, within it. */
  onTimeClosureRate: Rate,
  /** Closed in the period that went through rework. */
  reworkRate: Rate,
  /** Issues with a closure in the period that were reopened after it. */
  reopenRate: Rate,
  /** Reports of the period that were accepted, closed at acceptance (自行处置 / 就地解决). */
  onTheSpotRate: Rate,
  /** Hours from report to closure, averaged over the issues closed in the period (null when none). */
  averageHandlingHours: z.number().nullable(),
  /** The median of the same (null when none). */
  medianHandlingHours: z.number().nullable(),
  /** The period's reports by current state, major category, minor category (non-zero) and source. */
  byState: counts,
  byCategory: z.array(z.object({ id: z.string(), name: z.string(), nameEn: z.string(), reports: z.number() })),
  byMinorCategory: counts,
  bySource: counts,
});
export type IssueStats = z.infer<typeof IssueStats>;
