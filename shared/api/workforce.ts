// The community workforce (/api/workforce): staff (names masked) with team, post, rank and allowance, the
// allowance table, mentors, and the figures per community.
import { z } from 'zod';
import { LEVELS, POST_NAMES, RANK_CLASSES, TEAMS, type Post } from '../workforce.ts';
import { idSchema } from '../ids.ts';
import { pageQuery } from './fragments.ts';

const rankClass = z.enum(RANK_CLASSES);

export const StaffMember = z.object({
  personId: z.string(),
  /** Masked by the route per role. */
  name: z.string(),
  communityId: z.string(),
  gridId: z.string().nullable(),
  team: z.enum(TEAMS),
  post: z.enum(POST_NAMES as [Post, ...Post[]]),
  rankClass: rankClass.nullable(),
  level: z.number().nullable(),
  monthlyAllowance: z.number().nullable(),
  yearlySubsidy: z.number().nullable(),
  hiredOn: z.string(),
  /** Whole years of service today. */
  years: z.number(),
  mentorId: z.string().nullable(),
  mentees: z.number(),
  synthetic: z.boolean(),
});
export type StaffMember = z.infer<typeof StaffMember>;

/** GET /api/workforce/staff. */
export const StaffPage = z.object({ total: z.number(), synthetic: z.boolean(), staff: z.array(StaffMember) });
export type StaffPage = z.infer<typeof StaffPage>;

export const Allowance = z.object({
  rankClass,
  level: z.number(),
  monthlyYuan: z.number(),
  /** Full-time staff at this class and level now. */
  staff: z.number(),
});
export type Allowance = z.infer<typeof Allowance>;

/** GET /api/workforce/allowances, and the answer of PUT /api/workforce/allowances/:class/:level. */
export const Allowances = z.object({ allowances: z.array(Allowance) });
export type Allowances = z.infer<typeof Allowances>;

/** Headcounts, the auxiliary subsidy and allowance means of a community (or of the sum of several). */
export const WorkforceFigures = z.object({
  fullTime: z.number(),
  partTime: z.number(),
  auxiliary: z.number(),
  /** The auxiliary team's subsidies summed; null for callers who may not see staff when the team is small. */
  auxiliarySubsidyYearly: z.number().nullable(),
  /** Mean monthly allowance per class, yuan (null without anyone in the class). */
  meanAllowance: z.record(rankClass, z.number().nullable()),
  heads: z.number(),
  deputies: z.number(),
  members: z.number(),
  mentors: z.number(),
  mentees: z.number(),
});
export type WorkforceFigures = z.infer<typeof WorkforceFigures>;

/** GET /api/workforce/figures. */
export const WorkforceFiguresAnswer = z.object({
  area: z.string().nullable(),
  synthetic: z.boolean(),
  totals: WorkforceFigures,
  communities: z.array(
    WorkforceFigures.extend({ communityId: z.string(), name: z.string(), nameEn: z.string().nullable() }),
  ),
});
export type WorkforceFiguresAnswer = z.infer<typeof WorkforceFiguresAnswer>;

// Requests.

const areaId = idSchema('an area is a community or street id');
const personId = idSchema('a person id from the register');
const level = z.number().int().min(1).max(LEVELS);

export const StaffQuery = z.strictObject({
  community: areaId.optional(),
  team: z.enum(TEAMS).optional(),
  ...pageQuery(1000, 100),
});
export const PersonParams = z.strictObject({ personId });
export const StaffBody = z
  .strictObject({
    post: z.enum(POST_NAMES).optional(),
    rank_class: z.enum(RANK_CLASSES).nullable().optional(),
    level: level.nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'give post, rank_class or level' });
export const MentorBody = z.strictObject({ mentor_id: personId.nullable() });
export const AllowanceParams = z.strictObject({
  rankClass: z.enum(RANK_CLASSES),
  level: z
    .string()
    .regex(/^\d{1,2}$/, 'a level is 1–18')
    .transform(Number)
    .pipe(level),
});
export const AllowanceBody = z.strictObject({ monthly_yuan: z.number().int().min(0).max(100_000) });
export type StaffBody = z.infer<typeof StaffBody>;
export type AllowanceCell = z.infer<typeof AllowanceParams>;
export const FiguresQuery = z.strictObject({ area: areaId.optional() });
