/**
 * The community workforce (社区工作者队伍, domain.md): three teams (专职 full-time, 兼职 part-time, 辅助 auxiliary),
 * the rank sequence of three classes (正职 head, 副职 deputy, 成员 member) × 18 levels with a monthly allowance
 * per class and level, and mentors (导师帮带) for new workers. Pure: the rules, the default table, the demo figures;
 * the codes are in shared/workforce.ts.
 */
import {
  COMMITTEE_POSTS,
  MENTOR_MIN_YEARS,
  POSTS,
  type Post,
  type RankClass,
  type Team,
} from '../../shared/workforce.ts';
import { MIN_PUBLIC_GROUP } from './small-groups.ts';

/**
 * The default allowance table: a base per class plus a step per level. Level 10 pays 5,500 / 5,300 / 5,100
 * yuan a month — the report's averages — so a sequence spread evenly around level 10 reproduces them.
 */
export const DEFAULT_ALLOWANCE = { base: { head: 4780, deputy: 4580, member: 4380 }, step: 80 } as const satisfies {
  base: Record<RankClass, number>;
  step: number;
};

export function defaultAllowance(rankClass: RankClass, level: number): number {
  return DEFAULT_ALLOWANCE.base[rankClass] + DEFAULT_ALLOWANCE.step * (level - 1);
}

/**
 * The synthetic workforce (示例数据) on the demo people: the 212 community staff (full-time), the riders and
 * two retired cadres per community (part-time), the 483 auxiliary workers with the county's 1,000 yuan a
 * year; per community one head, two deputies, four committee members; 27 new workers guided by 10 mentors.
 */
export const DEMO_WORKFORCE = {
  auxiliarySubsidy: 1000,
  deputiesPerCommunity: 2,
  committeeMembersPerCommunity: 4,
  retiredCadresPerCommunity: 2,
  mentors: 10,
  newWorkers: 27,
  /** Levels spread symmetrically around this one within each class. */
  centreLevel: 10,
} as const;

/**
 * Callers who may not see staff (anonymous, wall displays, reporters) get no mean over fewer people than this:
 * the mean of a community's one head would be that person's pay.
 */
export const MIN_GROUP_FOR_PUBLIC_MEAN = MIN_PUBLIC_GROUP;

/** Mean monthly allowance from a sum and a headcount: null without anyone, or with fewer than minGroup. */
export const meanOf = (sum: number, count: number, minGroup = 1): number | null =>
  count > 0 && count >= minGroup ? Math.round(sum / count) : null;

/** What is wrong with giving a member of this team this post, class and level (undefined when nothing). */
export function staffChangeProblem(
  team: Team,
  change: { post: Post; rankClass: RankClass | null; level: number | null },
): string | undefined {
  if (POSTS[change.post] !== team)
    return `the post ${change.post} belongs to the ${POSTS[change.post]} team, not to ${team}`;
  const ranked = change.rankClass !== null && change.level !== null;
  if (team === 'full_time' && !ranked) return 'a full-time worker has a class and a level';
  if (team !== 'full_time' && (change.rankClass !== null || change.level !== null))
    return `only the full-time team has the rank sequence, not ${team}`;
  return undefined;
}

interface MentorCandidate {
  personId: string;
  communityId: string;
  team: Team;
  post: Post;
  years: number;
  mentorId: string | null;
  mentees: number;
}

/** Why this mentor cannot guide this worker (undefined when they can). */
export function mentorProblem(mentee: MentorCandidate, mentor: MentorCandidate): string | undefined {
  if (mentee.personId === mentor.personId) return 'nobody mentors themselves';
  if (mentee.team !== 'full_time') return 'mentors guide new full-time community workers';
  if (mentee.years >= MENTOR_MIN_YEARS) return `${mentee.personId} has served ${mentee.years} years: not a new worker`;
  if (mentor.team !== 'full_time') return 'a mentor is a full-time community worker';
  if (mentor.communityId !== mentee.communityId) return 'the mentor works in another community';
  if (mentor.years < MENTOR_MIN_YEARS && !COMMITTEE_POSTS.includes(mentor.post))
    return `a mentor has served ${MENTOR_MIN_YEARS} years or sits on the committee`;
  if (mentor.mentorId !== null) return `${mentor.personId} is guided by a mentor and cannot be one`;
  if (mentee.mentees > 0) return `${mentee.personId} mentors others and needs no mentor`;
  return undefined;
}
