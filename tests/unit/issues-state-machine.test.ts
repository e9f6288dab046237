import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../shared/roles.ts';
import {
  checkTransition,
  ISSUE_STATES,
  nextStates,
  OPEN_STATES,
  TRANSITIONS,
  type IssueState,
  type TransitionRequest,
} from '../../shared/issue-states.ts';

/** The fields each transition needs, filled in, so that only the state and the role decide. */
function complete(from: IssueState, to: IssueState): TransitionRequest {
  return { to, reason: 'r', note: 'n', unitIds: ['U001'], result: to === 'rework' ? 'fail' : 'pass', duplicateOf: 1 };
}

describe('issue state machine', () => {
  it('walks the main path 上报 → 受理 → 立案 → 派遣 → 签收 → 处置 → 反馈 → 核查 → 结案 → 回访', () => {
    const path: [IssueState, Role][] = [
      ['accepted', 'grid_worker'],
      ['filed', 'dispatcher'],
      ['dispatched', 'dispatcher'],
      ['signed', 'grid_worker'],
      ['handling', 'grid_worker'],
      ['feedback', 'grid_worker'],
      ['verified', 'dispatcher'],
      ['closed', 'dispatcher'],
      ['rated', 'reporter'],
    ];
    let state: IssueState = 'reported';
    for (const [to, role] of path) {
      const check = checkTransition(state, complete(state, to), role);
      expect(check, `${state} → ${to} by ${role}`).toMatchObject({ ok: true });
      state = to;
    }
  });

  it('checks every (from, to) × role: 409 when no such transition, 403 for a role not allowed, ok otherwise', () => {
    for (const from of ISSUE_STATES) {
      for (const to of ISSUE_STATES) {
        const rule = TRANSITIONS.find((t) => t.from === from && t.to === to);
        for (const role of ROLES) {
          const check = checkTransition(from, complete(from, to), role);
          if (!rule) expect(check, `${from} → ${to} by ${role}`).toMatchObject({ ok: false, status: 409 });
          else if (role === 'admin' || rule.roles.includes(role))
            expect(check, `${from} → ${to} by ${role}`).toMatchObject({ ok: true });
          else expect(check, `${from} → ${to} by ${role}`).toMatchObject({ ok: false, status: 403 });
        }
      }
    }
  });

  it('never lets leaders, planners or reporters handle a case', () => {
    for (const t of TRANSITIONS) {
      expect(t.roles).not.toContain('leader');
      expect(t.roles).not.toContain('planner');
      if (t.roles.includes('reporter')) expect(['rated', 'reopened']).toContain(t.to);
    }
  });

  it('lets a member unit sign, handle, give feedback and send back a dispatched case — and nothing else (吹哨报到)', () => {
    const allowed = new Set(['dispatched→signed', 'dispatched→returned', 'signed→handling', 'handling→feedback']);
    const made: string[] = [];
    for (const from of ISSUE_STATES) {
      for (const to of ISSUE_STATES) {
        const check = checkTransition(from, complete(from, to), 'member_unit');
        const exists = TRANSITIONS.some((t) => t.from === from && t.to === to);
        if (check.ok) made.push(`${from}→${to}`);
        else expect(check.status, `${from} → ${to}`).toBe(exists ? 403 : 409);
      }
    }
    expect(made.sort()).toEqual([...allowed].sort());
    // Forbidden by name: the unit neither accepts, files, dispatches, verifies, closes, defers, voids nor reopens.
    for (const [from, to] of [
      ['reported', 'accepted'],
      ['accepted', 'filed'],
      ['filed', 'dispatched'],
      ['feedback', 'verified'],
      ['feedback', 'rework'],
      ['verified', 'closed'],
      ['handling', 'deferred'],
      ['reported', 'void'],
      ['closed', 'reopened'],
      ['closed', 'rated'],
    ] as [IssueState, IssueState][]) {
      expect(checkTransition(from, complete(from, to), 'member_unit'), `${from} → ${to}`).toMatchObject({
        ok: false,
        status: 403,
      });
    }
    expect(nextStates('dispatched', 'member_unit').sort()).toEqual(['returned', 'signed']);
    expect(nextStates('feedback', 'member_unit')).toEqual([]);
    // Feedback still needs its note; sending back still needs its reason.
    expect(checkTransition('handling', { to: 'feedback' }, 'member_unit')).toMatchObject({ ok: false, status: 400 });
    expect(checkTransition('dispatched', { to: 'returned' }, 'member_unit')).toMatchObject({ ok: false, status: 400 });
  });

  it('requires a reason to return, void, defer, rework and reopen', () => {
    for (const [from, to] of [
      ['reported', 'returned'],
      ['dispatched', 'returned'],
      ['reported', 'void'],
      ['handling', 'deferred'],
      ['closed', 'reopened'],
    ] as [IssueState, IssueState][]) {
      const check = checkTransition(from, { to }, 'admin');
      expect(check, `${from} → ${to}`).toMatchObject({ ok: false, status: 400 });
      expect(checkTransition(from, { to, reason: '   ' }, 'admin')).toMatchObject({ ok: false, status: 400 });
      expect(checkTransition(from, { to, reason: '不属于本辖区' }, 'admin')).toMatchObject({ ok: true });
    }
    expect(checkTransition('feedback', { to: 'rework', result: 'fail' }, 'dispatcher')).toMatchObject({
      ok: false,
      status: 400,
    });
  });

  it('requires units to dispatch, a note for feedback, and the matching verification result', () => {
    expect(checkTransition('filed', { to: 'dispatched' }, 'dispatcher')).toMatchObject({ ok: false, status: 400 });
    expect(checkTransition('filed', { to: 'dispatched', unitIds: [] }, 'dispatcher')).toMatchObject({
      ok: false,
      status: 400,
    });
    expect(checkTransition('filed', { to: 'dispatched', unitIds: ['U001', 'U002'] }, 'dispatcher')).toMatchObject({
      ok: true,
    });
    expect(checkTransition('handling', { to: 'feedback' }, 'grid_worker')).toMatchObject({ ok: false, status: 400 });
    expect(checkTransition('handling', { to: 'feedback', note: '已清理' }, 'grid_worker')).toMatchObject({ ok: true });
    expect(checkTransition('feedback', { to: 'verified' }, 'dispatcher')).toMatchObject({ ok: false, status: 400 });
    expect(checkTransition('feedback', { to: 'verified', result: 'fail' }, 'dispatcher')).toMatchObject({
      ok: false,
      status: 400,
    });
    expect(checkTransition('feedback', { to: 'verified', result: 'pass' }, 'dispatcher')).toMatchObject({ ok: true });
    expect(
      checkTransition('feedback', { to: 'rework', result: 'fail', reason: '未清理干净' }, 'dispatcher'),
    ).toMatchObject({ ok: true });
    expect(checkTransition('reported', { to: 'duplicate' }, 'grid_worker')).toMatchObject({ ok: false, status: 400 });
  });

  it('checks the state before the role: an impossible transition is 409 for anyone', () => {
    expect(checkTransition('closed', { to: 'dispatched', unitIds: ['U1'] }, 'planner')).toMatchObject({
      ok: false,
      status: 409,
    });
    expect(checkTransition('reported', { to: 'closed', note: 'x' }, 'dispatcher')).toMatchObject({
      ok: false,
      status: 409,
    });
  });

  it('loops rework back to dispatch, and reopens only from closed or rated', () => {
    expect(nextStates('rework')).toEqual(['dispatched']);
    expect(
      TRANSITIONS.filter((t) => t.to === 'reopened')
        .map((t) => t.from)
        .sort(),
    ).toEqual(['closed', 'rated']);
    expect(TRANSITIONS.find((t) => t.to === 'reopened')!.requires).toContain('reopenWindow');
  });

  it('has terminal side states and every state reachable from reported', () => {
    for (const s of ['returned', 'duplicate', 'void'] as IssueState[]) expect(nextStates(s), s).toEqual([]);
    const seen = new Set<IssueState>(['reported']);
    const queue: IssueState[] = ['reported'];
    while (queue.length)
      for (const n of nextStates(queue.shift()!))
        if (!seen.has(n)) {
          seen.add(n);
          queue.push(n);
        }
    expect([...seen].sort()).toEqual([...ISSUE_STATES].sort());
    for (const s of OPEN_STATES) expect(nextStates(s).length, s).toBeGreaterThan(0);
  });

  it('offers each role only its own next steps', () => {
    expect(nextStates('filed', 'grid_worker')).toEqual([]);
    expect(nextStates('filed', 'dispatcher').sort()).toEqual(['deferred', 'dispatched', 'void']);
    expect(nextStates('closed', 'reporter').sort()).toEqual(['rated', 'reopened']);
    expect(nextStates('reported', 'leader')).toEqual([]);
  });
});
