/**
 * The community workforce's vocabulary (社区工作者队伍, domain.md): three teams (专职 full-time, 兼职 part-time,
 * 辅助 auxiliary), the rank sequence of three classes (正职 head, 副职 deputy, 成员 member) × 18 levels, the posts
 * and who may mentor (导师帮带). The rules and the allowance table are in server/community/workforce.ts.
 */

export const TEAMS = ['full_time', 'part_time', 'auxiliary'] as const;
export type Team = (typeof TEAMS)[number];

export const RANK_CLASSES = ['head', 'deputy', 'member'] as const;
export type RankClass = (typeof RANK_CLASSES)[number];

export const LEVELS = 18;

/** Posts and their team: the rank sequence applies to the full-time team only. */
export const POSTS = {
  secretary: 'full_time',
  deputy_secretary: 'full_time',
  deputy_director: 'full_time',
  committee_member: 'full_time',
  grid_worker: 'full_time',
  rider_worker: 'part_time',
  retired_cadre: 'part_time',
  auxiliary_worker: 'auxiliary',
} as const satisfies Record<string, Team>;
export type Post = keyof typeof POSTS;
export const POST_NAMES = Object.keys(POSTS) as Post[];

/** Posts a mentor may hold without three years of service: the committee (社区“两委”干部). */
export const COMMITTEE_POSTS: readonly Post[] = [
  'secretary',
  'deputy_secretary',
  'deputy_director',
  'committee_member',
];
/** Mentors come from workers of three years or more (导师帮带库); new workers are those of fewer. */
export const MENTOR_MIN_YEARS = 3;
