/**
 * The lifecycle of an issue (事件), domain.md: 上报 → 受理 → 立案 → 派遣 → 签收 → 处置 → 反馈 → 核查 → 结案 | 返工,
 * then 回访 (rated) and reopening within 7 days; side states returned, duplicate, deferred, void.
 * Pure: which transition exists, which roles may make it, and which fields it needs. Area scope and the
 * facts only the database knows (an after photo, the reopen window) are checked by the caller.
 */
import type { Role } from './roles.ts';

export const ISSUE_STATES = [
  'reported', // 上报
  'accepted', // 受理
  'filed', // 立案
  'dispatched', // 派遣
  'signed', // 签收
  'handling', // 处置
  'feedback', // 反馈
  'verified', // 核查 passed
  'closed', // 结案
  'rework', // 返工
  'rated', // 回访
  'reopened', // 重新打开
  'returned', // 退回
  'duplicate', // 重复
  'deferred', // 延期/挂账
  'void', // 作废
] as const;
export type IssueState = (typeof ISSUE_STATES)[number];

/** States in which an issue still waits for someone: duplicates join these, deadlines run in these. */
export const OPEN_STATES: readonly IssueState[] = [
  'reported',
  'accepted',
  'filed',
  'dispatched',
  'signed',
  'handling',
  'feedback',
  'verified',
  'rework',
  'reopened',
  'deferred',
];
/** Open states whose deadline counts (a deferred issue's clock is stopped by its approval). */
export const RUNNING_STATES: readonly IssueState[] = OPEN_STATES.filter((s) => s !== 'deferred');

export const ISSUE_SOURCES = ['resident', 'rider', 'grid_worker', 'party_member'] as const;
export type IssueSource = (typeof ISSUE_SOURCES)[number];
/** What a reporter account may report as besides a resident (users.reports_as, set when the account is made). */
export const REPORTER_KINDS = ['rider', 'party_member'] as const satisfies readonly IssueSource[];
export type ReporterKind = (typeof REPORTER_KINDS)[number];
export const isReporterKind = (v: string): v is ReporterKind => (REPORTER_KINDS as readonly string[]).includes(v);

export const VERIFICATION_RESULTS = ['pass', 'fail'] as const;
export type VerificationResult = (typeof VERIFICATION_RESULTS)[number];

/** What a transition needs besides the target state. */
export type Requirement =
  /** A written reason (return, void, defer, rework, reopen). */
  | 'reason'
  /** One or more member units to summon. */
  | 'units'
  /** A note of what was done. */
  | 'note'
  /** The verification result, which must match the target (pass → verified, fail → rework). */
  | 'result'
  /** An after photo uploaded for the issue (checked in the database). */
  | 'afterPhoto'
  /** The issue to join (duplicate). */
  | 'duplicateOf'
  /** Only within the reopen window after closure (checked against closed_at). */
  | 'reopenWindow'
  /** Only the reporter of the issue (or an admin). */
  | 'ownReport';

export interface TransitionRule {
  from: IssueState;
  to: IssueState;
  /** Roles that may make it; admin may make every transition. */
  roles: readonly Role[];
  requires: readonly Requirement[];
}

const HANDLERS: readonly Role[] = ['dispatcher', 'grid_worker'];
const DISPATCH: readonly Role[] = ['dispatcher'];
/** 报到: the summoned member unit signs, handles and gives feedback itself (or a handler does it for the unit). */
const UNIT_DUTY: readonly Role[] = [...HANDLERS, 'member_unit'];

const rule = (
  from: IssueState,
  to: IssueState,
  roles: readonly Role[],
  requires: readonly Requirement[] = [],
): TransitionRule => ({ from, to, roles, requires });

/** Every allowed transition. Anything not here is refused with 409. */
export const TRANSITIONS: readonly TransitionRule[] = [
  rule('reported', 'accepted', HANDLERS),
  rule('reported', 'returned', HANDLERS, ['reason']),
  rule('reported', 'duplicate', HANDLERS, ['duplicateOf']),
  rule('reported', 'void', DISPATCH, ['reason']),
  // 自行处置: a small matter fixed on the spot closes at acceptance.
  rule('accepted', 'closed', HANDLERS, ['note']),
  rule('accepted', 'filed', DISPATCH),
  rule('accepted', 'returned', HANDLERS, ['reason']),
  rule('accepted', 'duplicate', HANDLERS, ['duplicateOf']),
  rule('accepted', 'void', DISPATCH, ['reason']),
  rule('filed', 'dispatched', DISPATCH, ['units']),
  rule('filed', 'void', DISPATCH, ['reason']),
  // 吹哨报到: the summoned unit reports for duty; a unit that is not responsible sends it back.
  rule('dispatched', 'signed', UNIT_DUTY),
  rule('dispatched', 'returned', UNIT_DUTY, ['reason']),
  rule('signed', 'handling', UNIT_DUTY),
  rule('handling', 'feedback', UNIT_DUTY, ['note', 'afterPhoto']),
  rule('feedback', 'verified', HANDLERS, ['result']),
  rule('feedback', 'rework', HANDLERS, ['result', 'reason']),
  rule('verified', 'closed', DISPATCH),
  rule('rework', 'dispatched', DISPATCH),
  // 延期/挂账: approved by the dispatcher, with the reason; the issue resumes where it can be worked.
  rule('filed', 'deferred', DISPATCH, ['reason']),
  rule('dispatched', 'deferred', DISPATCH, ['reason']),
  rule('signed', 'deferred', DISPATCH, ['reason']),
  rule('handling', 'deferred', DISPATCH, ['reason']),
  rule('deferred', 'dispatched', DISPATCH),
  rule('deferred', 'handling', DISPATCH),
  rule('closed', 'reopened', ['reporter', 'dispatcher'], ['reason', 'reopenWindow']),
  rule('rated', 'reopened', ['reporter', 'dispatcher'], ['reason', 'reopenWindow']),
  rule('reopened', 'dispatched', DISPATCH),
  // 回访: the reporter's rating (POST /api/issues/:id/rating makes this transition).
  rule('closed', 'rated', ['reporter'], ['ownReport']),
];

/**
 * 报到 of a cross-department case: a summoned unit that has not signed yet may still sign after another unit
 * moved the case on to these states; the case stays where it is, only the unit's signature is recorded.
 */
export const LATE_SIGNING_STATES: readonly IssueState[] = ['signed', 'handling'];

/** How long after closure the reporter may reopen (days). */
export const REOPEN_WINDOW_DAYS = 7;

export function findRule(from: IssueState, to: IssueState): TransitionRule | undefined {
  return TRANSITIONS.find((t) => t.from === from && t.to === to);
}

/** Where an issue can go from a state (for the work queue's action buttons). */
export function nextStates(from: IssueState, role?: Role): IssueState[] {
  return TRANSITIONS.filter((t) => t.from === from && (role === undefined || mayMake(role, t))).map((t) => t.to);
}

export function mayMake(role: Role, rule: TransitionRule): boolean {
  return role === 'admin' || rule.roles.includes(role);
}

/** A transition asked for, with its fields as the caller sent them. */
export interface TransitionRequest {
  to: IssueState;
  reason?: string;
  unitIds?: string[];
  note?: string;
  result?: VerificationResult;
  duplicateOf?: number;
}

export type TransitionCheck =
  | { ok: true; rule: TransitionRule }
  /** 409: no such transition from this state. 403: not for this role. 400: a required field missing or wrong. */
  | { ok: false; status: 400 | 403 | 409; message: string };

/**
 * Checks a transition against the state machine, the caller's role and the fields it needs. Order: an
 * impossible transition is 409 whoever asks; then the role (403); then the fields (400).
 */
export function checkTransition(from: IssueState, request: TransitionRequest, role: Role): TransitionCheck {
  const found = findRule(from, request.to);
  if (!found) {
    const possible = nextStates(from);
    return {
      ok: false,
      status: 409,
      message:
        `an issue in state "${from}" cannot go to "${request.to}"` +
        (possible.length ? ` (possible: ${possible.join(', ')})` : ' (no transition from this state)'),
    };
  }
  if (!mayMake(role, found)) {
    return {
      ok: false,
      status: 403,
      message: `a ${role} may not move an issue from "${from}" to "${request.to}" (allowed: ${found.roles.join(', ')}, admin)`,
    };
  }
  const missing: string[] = [];
  for (const need of found.requires) {
    if (need === 'reason' && !request.reason?.trim()) missing.push('reason');
    if (need === 'note' && !request.note?.trim()) missing.push('note');
    if (need === 'units' && !request.unitIds?.length) missing.push('unit_ids (at least one member unit)');
    if (need === 'duplicateOf' && request.duplicateOf === undefined) missing.push('duplicate_of');
    if (need === 'result') {
      const expected: VerificationResult = request.to === 'verified' ? 'pass' : 'fail';
      if (request.result !== expected) missing.push(`result "${expected}"`);
    }
  }
  if (missing.length)
    return { ok: false, status: 400, message: `going from "${from}" to "${request.to}" needs ${missing.join(', ')}` };
  return { ok: true, rule: found };
}
