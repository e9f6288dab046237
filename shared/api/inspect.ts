// The inspection API (/api/areas, /api/search, /api/coverage, /api/inspect/metrics): places and counts, and the
// people serving an area as the caller may see them.
import { z } from 'zod';
import { METRICS, METRIC_LEVELS, PEOPLE_LEVELS, SERVICE_ROLES } from '../map/area-metrics.ts';
import { idSchema } from '../ids.ts';
import { ServiceTotals } from './service-work.ts';
import { NamedThing } from './fragments.ts';

export const AREA_LEVELS = ['county', 'street', 'community', 'grid', 'compound', 'building'] as const;
export const AreaLevel = z.enum(AREA_LEVELS);
export type AreaLevel = z.infer<typeof AreaLevel>;

const bbox = z.tuple([z.number(), z.number(), z.number(), z.number()]);
const counts = z.record(z.string(), z.number());

export { NamedThing };
const nameEn = NamedThing.shape.nameEn;

export const AreaRef = NamedThing.extend({ level: AreaLevel });
export type AreaRef = z.infer<typeof AreaRef>;

export const AreaChild = NamedThing.extend({ households: z.number() });
export type AreaChild = z.infer<typeof AreaChild>;

export const NearbyStation = NamedThing.extend({
  kind: z.string(),
  /** Metres on the ellipsoid from the area's outline (0 inside). */
  distanceM: z.number(),
  inside: z.boolean(),
});
export type NearbyStation = z.infer<typeof NearbyStation>;

export const AreaFigures = z.object({
  households: z.number(),
  population: z.number(),
  communities: z.number(),
  grids: z.number(),
  compounds: z.number(),
  compoundsByType: counts,
  buildings: z.number(),
  /** People counts: null for small groups (server/community/small-groups.ts), which could point at a household. */
  redStewards: z.number().nullable(),
  buildingsWithSteward: z.number(),
  /** Share (0–1) of the area's buildings with at least one red steward; null without buildings. */
  stewardShare: z.number().nullable(),
  partyMembers: z.number().nullable(),
  inServiceMembers: z.number().nullable(),
  memberUnits: z.number(),
  /** County, street and community only (null below). */
  socialOrganisations: z.number().nullable(),
  stations: z.number(),
  stationsByKind: counts,
});
export type AreaFigures = z.infer<typeof AreaFigures>;

/** GET /api/areas/:level/:id. */
export const AreaCard = AreaRef.extend({
  code: z.string(),
  parents: z.array(AreaRef),
  bbox,
  attributes: z.record(z.string(), z.unknown()),
  children: z.object({ level: AreaLevel, items: z.array(AreaChild) }).nullable(),
  figures: AreaFigures,
  /** Grid, compound and building: stations inside or nearby, nearest first. */
  nearbyStations: z.array(NearbyStation).nullable(),
  /** Grid, compound, building: the member units (联合党委成员单位) assigned to its grids (higher levels: counted). */
  memberUnits: z.array(NamedThing.extend({ trade: z.string().nullable() })).nullable(),
  /** Social organisations of the area's communities (community level and above: counted; community: listed). */
  socialOrganisations: z.array(NamedThing.extend({ service: z.string().nullable() })).nullable(),
});
export type AreaCard = z.infer<typeof AreaCard>;

export const SearchKind = z.enum(['community', 'grid', 'compound', 'station']);
export type SearchKind = z.infer<typeof SearchKind>;

/** GET /api/search: one hit. */
export const SearchHit = NamedThing.extend({
  kind: SearchKind,
  code: z.string(),
  /** Name of the place it belongs to (community of a grid or compound, grid of a station). */
  context: z.string().nullable(),
  /** The grid a station lies in: selecting a station selects its grid. */
  gridId: z.string().nullable(),
  /** What matched: the name, the code (or id), or the pinyin initials. */
  matched: z.enum(['name', 'code', 'initials']),
});
export type SearchHit = z.infer<typeof SearchHit>;

export const UncoveredCompound = NamedThing.extend({
  type: z.string(),
  communityId: z.string(),
  gridId: z.string().nullable(),
  households: z.number(),
  /** Metres to the nearest station. */
  nearestStationM: z.number().nullable(),
});
export type UncoveredCompound = z.infer<typeof UncoveredCompound>;

export const GridCoverage = z.object({
  gridId: z.string(),
  name: z.string(),
  nameEn,
  households: z.number(),
  coveredHouseholds: z.number(),
  /** 0–1; null for a grid without households. */
  share: z.number().nullable(),
});
export type GridCoverage = z.infer<typeof GridCoverage>;

/** GET /api/coverage. */
export const Coverage = z.object({
  distanceM: z.number(),
  county: z.object({
    households: z.number(),
    coveredHouseholds: z.number(),
    share: z.number().nullable(),
    compounds: z.number(),
    uncoveredCompounds: z.number(),
  }),
  uncovered: z.array(UncoveredCompound),
  grids: z.array(GridCoverage),
});
export type Coverage = z.infer<typeof Coverage>;

export const CategoryFigures = z.object({
  id: z.string(),
  name: z.string(),
  nameEn: z.string(),
  /** Reported in the period. */
  reported: z.number(),
  open: z.number(),
});
export type CategoryFigures = z.infer<typeof CategoryFigures>;

/** GET /api/areas/:level/:id/issues. */
export const AreaIssues = z.object({
  periodDays: z.number(),
  open: z.number(),
  overdue: z.number(),
  reportedInPeriod: z.number(),
  closedInPeriod: z.number(),
  byCategory: z.array(CategoryFigures),
  /** Reports per local day (Asia/Shanghai), the last `periodDays` days, oldest first. */
  trend: z.object({ days: z.array(z.string()), counts: z.array(z.number()) }),
  /** Micro-wishes, activities and deliberation items of the area's grids now; null for compounds and buildings. */
  programmes: ServiceTotals.nullable(),
  /** Problems solved by consultation (resolved deliberation items) per topic, all time; null as programmes. */
  consultationsSolved: z.array(z.object({ topic: z.string(), solved: z.number() })).nullable(),
});
export type AreaIssues = z.infer<typeof AreaIssues>;

export const MetricRow = NamedThing.extend({
  code: z.string(),
  /** The community of a grid; the street of a community. */
  parentId: z.string(),
  /** Counts behind the rates, so a table can show both. */
  buildings: z.number(),
  issuesReported: z.number(),
  issuesClosed: z.number(),
  /** null for small groups (server/community/small-groups.ts), and then partyPer100 too. */
  partyMembers: z.number().nullable(),
  values: z.record(z.enum(METRICS), z.number().nullable()),
});
export type MetricRow = z.infer<typeof MetricRow>;

/** GET /api/inspect/metrics. */
export const AreaMetrics = z.object({
  level: z.enum(METRIC_LEVELS),
  periodDays: z.number(),
  distanceM: z.number(),
  rows: z.array(MetricRow),
  /** Ascending, without repeats. */
  breaks: z.record(z.enum(METRICS), z.array(z.number())),
});
export type AreaMetrics = z.infer<typeof AreaMetrics>;

/** A person as the API shows them: name and phone as the caller may see them. */
export const ShownPerson = z.object({
  id: z.string(),
  role: z.enum(SERVICE_ROLES),
  /** The grid served (null for a community leader). */
  gridId: z.string().nullable(),
  name: z.string(),
  phone: z.string().nullable(),
  masked: z.boolean(),
});
export type ShownPerson = z.infer<typeof ShownPerson>;

/** GET /api/areas/:level/:id/people. */
export const AreaPeople = z.object({
  level: AreaLevel,
  id: z.string(),
  masked: z.boolean(),
  people: z.array(ShownPerson),
});
export type AreaPeople = z.infer<typeof AreaPeople>;

// Requests.

export const AreaId = idSchema('an id');
/** The levels below the county (the county has its own addresses). */
export const SubCountyLevel = z.enum(['street', 'community', 'grid', 'compound', 'building']);

/** GET /api/search. */
export const SearchQuery = z.strictObject({
  q: z
    .string({ error: 'q is required' })
    .trim()
    .min(1, 'q must not be empty')
    .max(50, 'q must be at most 50 characters'),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

/** GET /api/coverage. */
export const CoverageQuery = z.strictObject({
  distance: z.coerce.number().int('distance must be whole metres').min(50).max(5000).default(500),
});

const periodDays = z.coerce.number().int('days must be whole days').min(7).max(365).default(30);
/** GET /api/areas/:level/:id/issues. */
export const AreaIssuesQuery = z.strictObject({ days: periodDays });
/** GET /api/inspect/metrics. */
export const MetricsQuery = z.strictObject({
  level: z.enum(METRIC_LEVELS).default('grid'),
  days: periodDays,
  distance: CoverageQuery.shape.distance,
});

/** GET /api/areas/:level/:id/people. */
export const PeopleParams = z.strictObject({
  level: z.enum(PEOPLE_LEVELS, { error: `people are listed for a ${PEOPLE_LEVELS.join(', ')}` }),
  id: AreaId,
});
