// The work queue of dispatchers and grid workers (/api/issues): the issues inside the caller's area and one
// issue's detail with its lifecycle, summoned units, photos and rating.
import { z } from 'zod';
import { ISSUE_SOURCES, ISSUE_STATES } from '../issue-states.ts';
import { pageOf } from './fragments.ts';

const state = z.enum(ISSUE_STATES);
const photoKind = z.enum(['report', 'after']);

export const Issue = z.object({
  id: z.number(),
  code: z.string(),
  categoryId: z.string(),
  categoryName: z.string(),
  source: z.enum(ISSUE_SOURCES),
  description: z.string(),
  lon: z.number(),
  lat: z.number(),
  gridId: z.string(),
  communityId: z.string(),
  streetId: z.string(),
  compoundId: z.string().nullable(),
  state,
  severity: z.number().nullable(),
  deadline: z.string().nullable(),
  overdue: z.boolean(),
  reporterUserId: z.number().nullable(),
  /** Member units summoned to it (吹哨); a member-unit account reaches only these cases. */
  unitIds: z.array(z.string()),
  duplicateOf: z.number().nullable(),
  reworkCount: z.number(),
  synthetic: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  filedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
});
export type Issue = z.infer<typeof Issue>;

export const IssueEvent = z.object({
  id: z.number(),
  fromState: state.nullable(),
  toState: state,
  /** Who acted, as readers may see it: a display name or a member unit's name, else null (the role says it).
   * Never a username: a login name is half of a credential. */
  actorName: z.string().nullable(),
  role: z.string().nullable(),
  reason: z.string().nullable(),
  fields: z.record(z.string(), z.unknown()),
  at: z.string(),
});
export type IssueEvent = z.infer<typeof IssueEvent>;

export const Assignment = z.object({
  unitId: z.string(),
  name: z.string(),
  trade: z.string().nullable(),
  dispatchedAt: z.string(),
  signedAt: z.string().nullable(),
});
export type Assignment = z.infer<typeof Assignment>;

export const Rating = z.object({
  rating: z.enum(['satisfied', 'basically_satisfied', 'unsatisfied']),
  comment: z.string().nullable(),
  createdAt: z.string(),
});
export type Rating = z.infer<typeof Rating>;

export const IssuePhoto = z.object({
  id: z.number(),
  kind: photoKind,
  mediaType: z.string(),
  width: z.number(),
  height: z.number(),
  bytes: z.number(),
  createdAt: z.string(),
});
export type IssuePhoto = z.infer<typeof IssuePhoto>;

/** GET /api/issues. */
export const QueuePage = pageOf('issues', Issue);
export type QueuePage = z.infer<typeof QueuePage>;

/** GET /api/issues/:id. */
export const IssueDetail = Issue.extend({
  reporter: z.object({ name: z.string(), phone: z.string().nullable(), masked: z.boolean() }).nullable(),
  events: z.array(IssueEvent),
  assignments: z.array(Assignment),
  photos: z.array(IssuePhoto),
  rating: Rating.nullable(),
  /** The states the caller's role may move this issue to (the server checks again). */
  nextStates: z.array(state),
  suggestedUnits: z.array(
    z.object({ unitId: z.string(), name: z.string(), trade: z.string().nullable(), inGrid: z.boolean() }),
  ),
});
export type IssueDetail = z.infer<typeof IssueDetail>;
