// The command-centre wall (/api/wall/*): figures of every programme, the ticker's events, the map's issue
// points and grid metrics. Counts and places only — never a person.
import { z } from 'zod';
import { WorkforceFigures } from './workforce.ts';
import { NamedThing } from './fragments.ts';

const counts = z.record(z.string(), z.number());

export const WallFigure = z.object({
  /** Count, or a share 0–1 for rates (null: nothing to divide by). */
  value: z.number().nullable(),
  /** The same figure for the previous period; null for registers without history. */
  previous: z.number().nullable(),
});
export type WallFigure = z.infer<typeof WallFigure>;

export const StaticFigures = z.object({
  compounds: z.number(),
  compoundsByType: counts,
  grids: z.number(),
  redStewards: z.number(),
  stations: z.number(),
  stationsByKind: counts,
  partyMembers: z.number(),
  inServiceMembers: z.number(),
  memberUnits: z.number(),
  socialOrganisations: z.number(),
  communityStaff: z.number(),
  /** 辅助网格员: the auxiliary team (retired party members, residents, property staff, volunteers). */
  auxiliaryWorkers: z.number(),
  /** 兼职网格员: the part-time team's retired community cadres (riders are counted apart). */
  retiredCadres: z.number(),
  riderWorkers: z.number(),
});
export type StaticFigures = z.infer<typeof StaticFigures>;

/** All time up to now, in the period [now - days, now) and in the one before. */
export const PeriodCount = z.object({ total: z.number(), recent: z.number(), previousRecent: z.number() });
export type PeriodCount = z.infer<typeof PeriodCount>;

export const IssueFigures = z.object({
  /** Snap reports by riders, all time; `recent` and `previousRecent`: in the last period and the one before. */
  riderReports: PeriodCount,
  /** Reports of any source in the period. */
  reports: WallFigure,
  /** Open now / open at the start of the period. */
  openIssues: WallFigure,
  /** Past the deadline in a running state now / at the start of the period. */
  overdueIssues: WallFigure,
  /** Issues closed in the period within their deadline / all closed in the period with a deadline. */
  onTimeClosureRate: WallFigure,
  /** 签收: member-unit assignments dispatched in the period and signed / all dispatched in the period. */
  responseRate: WallFigure,
  /** Issues reported in the period (not returned, duplicate or void) that are closed / all of them. */
  resolutionRate: WallFigure,
  /** Ratings given in the period that are satisfied or basically satisfied / all ratings in the period. */
  satisfactionRate: WallFigure,
});
export type IssueFigures = z.infer<typeof IssueFigures>;

export const MemberUnitRank = NamedThing.extend({
  /** Issues it was summoned to that are closed (closed or rated). */
  solved: z.number(),
  /** Issues it was summoned to. */
  assigned: z.number(),
});
export type MemberUnitRank = z.infer<typeof MemberUnitRank>;

export const CategoryTrend = z.object({
  /** Beijing calendar days, oldest first (YYYY-MM-DD). */
  days: z.array(z.string()),
  /** One series per major category, reports per day. */
  series: z.array(z.object({ id: z.string(), name: z.string(), nameEn: z.string(), counts: z.array(z.number()) })),
});
export type CategoryTrend = z.infer<typeof CategoryTrend>;

export const ServiceFigures = z.object({ wishesClaimed: PeriodCount, activities: PeriodCount });
export type ServiceFigures = z.infer<typeof ServiceFigures>;

/** What the wall's ticker shows of an issue: its code, category, place and state — never the reporter. */
export const IssueTickerItem = z.object({
  id: z.number(),
  code: z.string().nullable(),
  state: z.string(),
  source: z.string().nullable(),
  categoryId: z.string().nullable(),
  categoryName: z.string().nullable(),
  categoryNameEn: z.string().nullable(),
  communityId: z.string().nullable(),
  communityName: z.string().nullable(),
  communityNameEn: z.string().nullable(),
  gridId: z.string().nullable(),
  /** The centre of the heat cell it was reported in, never the exact point; null when it is not there. */
  lon: z.number().nullable(),
  lat: z.number().nullable(),
  at: z.string(),
  /** A summoned unit signed after another moved the case on (fields.lateSignature): `state` did not change. */
  lateSignature: z.boolean(),
  /** From the stream only: a photo was added and nothing else changed. */
  photo: z.boolean().optional(),
});
export type IssueTickerItem = z.infer<typeof IssueTickerItem>;

export const WallCommunity = NamedThing.extend({
  /** [west, south, east, north] */
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]),
});
export type WallCommunity = z.infer<typeof WallCommunity>;

/** GET /api/wall/figures. */
export const WallFigures = z.object({
  generatedAt: z.string(),
  periodDays: z.number(),
  /** The loaded data set is made up (its manifest says so): the wall shows the demo badge. */
  synthetic: z.boolean(),
  registers: StaticFigures,
  /** Null where the issue tables do not exist (yet). */
  issues: IssueFigures.nullable(),
  memberUnitRanking: z.array(MemberUnitRank).nullable(),
  /** Micro-wishes claimed and service activities held (null where their tables do not exist). */
  service: ServiceFigures.nullable(),
  /** The community workforce: headcounts by team, mean allowance per class, mentors. */
  workforce: WorkforceFigures,
  issuesByCategory: CategoryTrend.nullable(),
  /** The latest lifecycle events, newest first: what the ticker starts with. */
  recentEvents: z.array(IssueTickerItem),
  /** The communities the tour flies through. */
  communities: z.array(WallCommunity),
});
export type WallFigures = z.infer<typeof WallFigures>;

/** GET /api/wall/issue-points. */
export const WallIssuePoints = z.object({
  generatedAt: z.string(),
  /** Start of the points: the playback's first day minus one heat window. */
  from: z.string(),
  windowDays: z.number(),
  playbackDays: z.number(),
  /** Major categories, referred to by index in `points`. */
  categories: z.array(NamedThing),
  /** [longitude, latitude, seconds since `from`, category index], oldest first; the position is the heat cell's centre. */
  points: z.array(z.tuple([z.number(), z.number(), z.number(), z.number()])),
});
export type WallIssuePoints = z.infer<typeof WallIssuePoints>;

export const WALL_METRICS = ['issuesPer100Households', 'overdue', 'partyMembersPer100Households'] as const;
export type WallMetric = (typeof WALL_METRICS)[number];

export const WallGridMetric = z.object({
  id: z.string(),
  households: z.number(),
  /** Issues reported in the last period (not duplicates or void). */
  reports: z.number(),
  /** Past the deadline in a running state now. */
  overdue: z.number(),
  /** null for small groups (server/community/small-groups.ts). */
  partyMembers: z.number().nullable(),
  /** null: a grid without households (or a small group of party members, for the party rate). */
  issuesPer100Households: z.number().nullable(),
  partyMembersPer100Households: z.number().nullable(),
});
export type WallGridMetric = z.infer<typeof WallGridMetric>;

/** GET /api/wall/grid-metrics. */
export const WallGridMetrics = z.object({
  generatedAt: z.string(),
  periodDays: z.number(),
  grids: z.array(WallGridMetric),
});
export type WallGridMetrics = z.infer<typeof WallGridMetrics>;
