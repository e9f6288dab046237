import { describe, expect, it } from 'vitest';
import { LEVELS, POSTS, RANK_CLASSES } from '../../shared/workforce.ts';
import {
  defaultAllowance,
  DEMO_WORKFORCE,
  meanOf,
  mentorProblem,
  staffChangeProblem,
} from '../../server/community/workforce.ts';

describe('the rank sequence', () => {
  it('pays the report averages (5,500 / 5,300 / 5,100) at the centre level, and more at every level up', () => {
    expect(RANK_CLASSES.map((c) => defaultAllowance(c, DEMO_WORKFORCE.centreLevel))).toEqual([5500, 5300, 5100]);
    for (const c of RANK_CLASSES) {
      for (let level = 2; level <= LEVELS; level++)
        expect(defaultAllowance(c, level)).toBeGreaterThan(defaultAllowance(c, level - 1));
    }
    // A head earns more than a deputy, a deputy more than a member, at the same level.
    expect(defaultAllowance('head', 1)).toBeGreaterThan(defaultAllowance('deputy', 1));
    expect(defaultAllowance('deputy', 18)).toBeGreaterThan(defaultAllowance('member', 18));
  });

  it('means round to the yuan and are null for nobody', () => {
    expect(meanOf(11001, 2)).toBe(5501);
    expect(meanOf(0, 0)).toBeNull();
  });
});

describe('staff changes', () => {
  it('keep the post in the team and the rank sequence to the full-time team', () => {
    expect(staffChangeProblem('full_time', { post: 'grid_worker', rankClass: 'member', level: 3 })).toBeUndefined();
    expect(staffChangeProblem('full_time', { post: 'grid_worker', rankClass: null, level: 3 })).toMatch(
      /class and a level/,
    );
    expect(staffChangeProblem('full_time', { post: 'rider_worker', rankClass: 'member', level: 3 })).toMatch(
      /part_time team/,
    );
    expect(staffChangeProblem('auxiliary', { post: 'auxiliary_worker', rankClass: null, level: null })).toBeUndefined();
    expect(staffChangeProblem('auxiliary', { post: 'auxiliary_worker', rankClass: 'head', level: 1 })).toMatch(
      /only the full-time/,
    );
    for (const [post, team] of Object.entries(POSTS))
      expect(
        staffChangeProblem(team, {
          post: post as keyof typeof POSTS,
          rankClass: team === 'full_time' ? 'member' : null,
          level: team === 'full_time' ? 1 : null,
        }),
      ).toBeUndefined();
  });
});

describe('mentors', () => {
  const worker = {
    personId: 'P1',
    communityId: 'C01',
    team: 'full_time' as const,
    post: 'grid_worker' as const,
    years: 0,
    mentorId: null,
    mentees: 0,
  };
  const senior = { ...worker, personId: 'P2', years: 8 };
  it('are full-time workers of three years or more (or on the committee) of the same community, guiding new full-time workers', () => {
    expect(mentorProblem(worker, senior)).toBeUndefined();
    expect(mentorProblem(worker, { ...senior, years: 1, post: 'committee_member' })).toBeUndefined();
    expect(mentorProblem(worker, { ...senior, years: 2 })).toMatch(/3 years/);
    expect(mentorProblem(worker, { ...senior, communityId: 'C02' })).toMatch(/another community/);
    expect(mentorProblem(worker, { ...senior, team: 'auxiliary', post: 'auxiliary_worker' })).toMatch(/full-time/);
    expect(mentorProblem({ ...worker, years: 5 }, senior)).toMatch(/not a new worker/);
    expect(mentorProblem({ ...worker, team: 'part_time', post: 'rider_worker' }, senior)).toMatch(/new full-time/);
    expect(mentorProblem(worker, worker)).toMatch(/themselves/);
    expect(mentorProblem(worker, { ...senior, mentorId: 'P9' })).toMatch(/cannot be one/);
    expect(mentorProblem({ ...worker, mentees: 2 }, senior)).toMatch(/mentors others/);
  });
});
