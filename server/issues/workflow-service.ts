/**
 * The writes of the issue lifecycle, each in one transaction with its event row and a NOTIFY (delivered at
 * commit): a report, a transition, a rating, a photo. Checks against the state machine
 * (shared/issue-states.ts), the caller's role and area; refusals throw HttpError and write nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import type { Pool, Queryable } from '../postgres/pool.ts';
import { inTransaction } from '../postgres/pool.ts';
import { findReportsAs } from '../db/users-repo.ts';
import { HttpError } from '../http-error.ts';
import { requireArea } from '../auth/area.ts';
import { actorLabel, type Principal } from '../../shared/roles.ts';
import { audit } from '../auth/audit.ts';
import {
  checkTransition,
  findRule,
  LATE_SIGNING_STATES,
  mayMake,
  OPEN_STATES,
  REOPEN_WINDOW_DAYS,
  type IssueSource,
  type IssueState,
  type TransitionRequest,
} from '../../shared/issue-states.ts';
import { addWorkingHours, type WorkingCalendar } from './working-hours.ts';
import { MAX_PHOTOS_PER_ISSUE, type ProcessedPhoto } from './photos.ts';
import { findCategory, loadCalendar } from '../db/issues-categories-repo.ts';
import {
  assignUnits,
  countRecentReports,
  DUPLICATE_PROBE_ACTION,
  existingUnits,
  findIdByIdempotencyKey,
  findIssue,
  findOpenNearby,
  insertEvent,
  insertIssue,
  isInsideCounty,
  notifyIssue,
  redispatchUnits,
  signUnits,
  transactionNow,
  updateState,
  upsertRating,
  type DuplicateCandidate,
  type Issue,
  type StatePatch,
} from '../db/issues-repo.ts';
import {
  countPhotos,
  findPhotoByKey,
  hasAfterPhotoSinceDispatch,
  insertPhoto,
  type IssuePhoto,
} from '../db/issues-photos-repo.ts';

export type UserPrincipal = Extract<Principal, { kind: 'user' }>;

/** Open reports of the same category closer than this are offered as duplicates to join. */
export const DUPLICATE_RADIUS_METRES = 50;

/** The issue as its caller may reach it: reporters their own, everyone else inside their area; 404 otherwise. */
export function requireIssueAccess(principal: UserPrincipal, issue: Issue): void {
  if (principal.role === 'reporter') {
    if (issue.reporterUserId !== principal.userId) throw new HttpError(404, `no issue ${issue.id}`);
    return;
  }
  if (principal.role === 'member_unit') {
    if (!principal.scope.memberUnitId || !issue.unitIds.includes(principal.scope.memberUnitId))
      throw new HttpError(404, `no issue ${issue.id}`);
    return;
  }
  try {
    requireArea(principal, { streetId: issue.streetId, communityId: issue.communityId, gridId: issue.gridId });
  } catch {
    throw new HttpError(404, `no issue ${issue.id}`);
  }
}

export interface ReportInput {
  categoryId: string;
  description: string;
  lon: number;
  lat: number;
  idempotencyKey: string | null;
  contact: { name: string; phone: string | null } | null;
  /** false: file it even though an open report of the category is near. */
  join: boolean | undefined;
  /** Join this open report instead of filing a new one. */
  duplicateOf: number | undefined;
  /** Join the nearest open report of the category instead of offering it (callers that cannot ask back: Open311). */
  joinNearest?: boolean;
}

export type ReportOutcome = { kind: 'created' | 'replayed' | 'joined'; issue: Issue };

/** The 409 of a report near an open one: that one exists nearby, its code, category and cell, never a distance. */
function possibleDuplicate(candidates: DuplicateCandidate[]): HttpError {
  const c = candidates[0];
  return new HttpError(
    409,
    `an open report of the same category (${c.code}, ${c.categoryId}) is within ${DUPLICATE_RADIUS_METRES} m: ` +
      `join it (duplicate_of: ${c.id}) or send join: false if yours is a different problem`,
    'PossibleDuplicate',
    { candidates },
  );
}

/** Whom a report is from, by the account that sends it, never by a field of the request. */
async function sourceOf(db: Queryable, countyCode: string, principal: UserPrincipal): Promise<IssueSource> {
  if (principal.role === 'grid_worker') return 'grid_worker';
  if (principal.role === 'reporter') return (await findReportsAs(db, countyCode, principal.userId)) ?? 'resident';
  return 'resident';
}

export async function submitReport(
  pool: Pool,
  countyCode: string,
  principal: UserPrincipal,
  input: ReportInput,
  reportsPerHour: number,
): Promise<ReportOutcome> {
  const result = await inTransaction(pool, async (db) => {
    // A retried report (same key from the same account) is the report already made.
    if (input.idempotencyKey) {
      const existing = await findIdByIdempotencyKey(db, countyCode, principal.userId, input.idempotencyKey);
      if (existing !== undefined) return { kind: 'replayed' as const, id: existing };
    }
    const category = await findCategory(db, countyCode, input.categoryId);
    if (!category)
      throw new HttpError(422, `no category "${input.categoryId}" (GET /api/categories lists them)`, 'UnknownCategory');
    if (category.parentId === null)
      throw new HttpError(
        422,
        `"${input.categoryId}" is a major class: choose one of its minor classes`,
        'UnknownCategory',
      );
    if ((await countRecentReports(db, countyCode, principal.userId)) >= reportsPerHour) {
      throw new HttpError(
        429,
        `at most ${reportsPerHour} reports an hour per account; try again later`,
        'TooManyRequests',
        { retryAfterSeconds: 600 },
      );
    }
    if (!(await isInsideCounty(db, countyCode, input.lon, input.lat))) {
      throw new HttpError(
        422,
        `the location ${input.lon}, ${input.lat} is outside the county: no grid contains it`,
        'OutsideCounty',
      );
    }
    let duplicateOf: number | null = null;
    if (input.duplicateOf !== undefined) {
      const target = await findIssue(db, countyCode, input.duplicateOf);
      if (!target || !OPEN_STATES.includes(target.state) || target.duplicateOf !== null) {
        throw new HttpError(422, `issue ${input.duplicateOf} is not an open report that can be joined`, 'CannotJoin');
      }
      duplicateOf = target.id;
    } else if (input.join !== false) {
      const candidates = await findOpenNearby(
        db,
        countyCode,
        input.categoryId,
        input.lon,
        input.lat,
        DUPLICATE_RADIUS_METRES,
      );
      if (candidates.length && input.joinNearest) duplicateOf = candidates[0].id;
      else if (candidates.length) {
        // Committed with the answer: the offer spends the account's report budget (countRecentReports).
        await audit(db, countyCode, principal, {
          action: DUPLICATE_PROBE_ACTION,
          target: `issue:${candidates[0].id}`,
          after: { categoryId: input.categoryId, candidates: candidates.map((c) => c.id) },
        });
        return { kind: 'offered' as const, candidates };
      }
    }
    const state: IssueState = duplicateOf === null ? 'reported' : 'duplicate';
    const source = await sourceOf(db, countyCode, principal);
    const id = await insertIssue(db, countyCode, {
      categoryId: input.categoryId,
      source,
      description: input.description,
      lon: input.lon,
      lat: input.lat,
      reporterUserId: principal.userId,
      reporterName: input.contact?.name ?? null,
      reporterPhone: input.contact?.phone ?? null,
      idempotencyKey: input.idempotencyKey,
      state,
      duplicateOf,
    });
    if (id === undefined) {
      // The same key committed by a concurrent request of the same account in the meantime.
      const raced = input.idempotencyKey
        ? await findIdByIdempotencyKey(db, countyCode, principal.userId, input.idempotencyKey)
        : undefined;
      if (raced === undefined) throw new HttpError(409, 'the report could not be stored; send it again', 'Conflict');
      return { kind: 'replayed' as const, id: raced };
    }
    await insertEvent(db, countyCode, id, {
      fromState: null,
      toState: state,
      actorUserId: principal.userId,
      actor: actorLabel(principal),
      role: principal.role,
      fields: { source, ...(duplicateOf !== null ? { duplicateOf } : {}) },
    });
    // The audit row names the place and category, never the reporter's contact or description.
    await audit(db, countyCode, principal, {
      action: 'issue.report',
      target: `issue:${id}`,
      after: {
        state,
        categoryId: input.categoryId,
        source,
        ...(duplicateOf !== null ? { duplicateOf } : {}),
      },
    });
    await notifyIssue(db, countyCode, id, state);
    return { kind: duplicateOf === null ? ('created' as const) : ('joined' as const), id };
  });
  if (result.kind === 'offered') throw possibleDuplicate(result.candidates);
  return { kind: result.kind, issue: (await findIssue(pool, countyCode, result.id))! };
}

export interface TransitionInput extends TransitionRequest {
  severity?: number;
}

/** Moves an issue to another state, with its event row, in one transaction. */
export async function applyTransition(
  pool: Pool,
  countyCode: string,
  principal: UserPrincipal,
  issueId: number,
  input: TransitionInput,
  weekly: WorkingCalendar,
): Promise<Issue> {
  if (input.to === 'rated') throw new HttpError(400, 'a rating is given with POST /api/issues/:id/rating');
  await inTransaction(pool, async (db) => {
    const issue = await findIssue(db, countyCode, issueId, true);
    if (!issue) throw new HttpError(404, `no issue ${issueId}`);
    requireIssueAccess(principal, issue);
    if (input.to === 'signed' && LATE_SIGNING_STATES.includes(issue.state)) {
      await lateSignature(db, countyCode, principal, issue, input.unitIds);
      return;
    }
    const check = checkTransition(issue.state, input, principal.role);
    if (!check.ok)
      throw new HttpError(check.status, check.message, check.status === 409 ? 'InvalidTransition' : undefined);
    const patch: StatePatch = {};
    const fields: Record<string, unknown> = {};
    if (input.note) fields.note = input.note;
    if (input.result) fields.result = input.result;

    // The transaction's time, as the filed_at and event rows get it.
    const now = await transactionNow(db);
    if (check.rule.requires.includes('reopenWindow')) {
      const closedAt = issue.closedAt ? new Date(issue.closedAt).getTime() : 0;
      if (now.getTime() - closedAt > REOPEN_WINDOW_DAYS * 86_400_000) {
        throw new HttpError(
          409,
          `an issue can be reopened within ${REOPEN_WINDOW_DAYS} days of its closure only`,
          'InvalidTransition',
        );
      }
    }
    if (check.rule.requires.includes('afterPhoto') && !(await hasAfterPhotoSinceDispatch(db, countyCode, issueId))) {
      throw new HttpError(
        400,
        'feedback needs an after photo: upload it first (POST /api/issues/:id/photos with kind=after)',
      );
    }
    if (input.unitIds?.length) {
      const unitIds = [...new Set(input.unitIds)].sort();
      const known = await existingUnits(db, countyCode, unitIds);
      const unknown = unitIds.filter((u) => !known.includes(u));
      if (unknown.length) throw new HttpError(400, `no member unit ${unknown.join(', ')}`);
      fields.unitIds = unitIds;
    }
    if (input.to === 'duplicate') {
      const target = input.duplicateOf === issueId ? undefined : await findIssue(db, countyCode, input.duplicateOf!);
      if (!target || !OPEN_STATES.includes(target.state) || target.duplicateOf !== null) {
        throw new HttpError(400, `issue ${input.duplicateOf} is not another open issue to link to`);
      }
      patch.duplicateOf = target.id;
      fields.duplicateOf = target.id;
    }
    if (input.to === 'filed') {
      const category = (await findCategory(db, countyCode, issue.categoryId))!;
      const calendar = await loadCalendar(db, countyCode, weekly);
      patch.filed = true;
      patch.severity = input.severity ?? 2;
      patch.deadline = addWorkingHours(now, category.timeLimitHours ?? 7, calendar);
      Object.assign(fields, {
        severity: patch.severity,
        deadline: patch.deadline.toISOString(),
        timeLimitHours: category.timeLimitHours,
      });
    }
    if (input.to === 'dispatched') {
      if (fields.unitIds) await assignUnits(db, countyCode, issueId, fields.unitIds as string[]);
      else {
        const again = await redispatchUnits(db, countyCode, issueId);
        if (!again.length) throw new HttpError(400, 'no member unit was summoned before: give unit_ids');
        fields.unitIds = again;
      }
      if (issue.state === 'reopened') {
        // A reopened case gets a new time limit from now.
        const category = (await findCategory(db, countyCode, issue.categoryId))!;
        patch.deadline = addWorkingHours(now, category.timeLimitHours ?? 7, await loadCalendar(db, countyCode, weekly));
        fields.deadline = patch.deadline.toISOString();
      }
    }
    if (input.to === 'signed' && principal.role === 'member_unit') {
      // A member unit signs for itself only.
      const own = principal.scope.memberUnitId!;
      if (input.unitIds?.some((u) => u !== own))
        throw new HttpError(403, `a member unit signs for itself (${own}) only`);
      fields.unitIds = [own];
    }
    if (input.to === 'signed') {
      const signed = await signUnits(db, countyCode, issueId, fields.unitIds as string[] | undefined);
      if (!signed.length) throw new HttpError(400, 'no summoned member unit is waiting to sign (check unit_ids)');
      fields.unitIds = signed;
    }
    if (input.to === 'closed') patch.closed = true;
    if (input.to === 'rework') patch.rework = true;

    await updateState(db, countyCode, issueId, input.to, patch);
    await insertEvent(db, countyCode, issueId, {
      fromState: issue.state,
      toState: input.to,
      actorUserId: principal.userId,
      actor: actorLabel(principal),
      role: principal.role,
      reason: input.reason?.trim() || null,
      fields,
    });
    await audit(db, countyCode, principal, {
      action: 'issue.transition',
      target: `issue:${issueId}`,
      before: { state: issue.state },
      after: { state: input.to, ...(input.reason?.trim() ? { reason: input.reason.trim() } : {}), ...fields },
    });
    await notifyIssue(db, countyCode, issueId, input.to);
  });
  return (await findIssue(pool, countyCode, issueId))!;
}

/** A summoned unit signs after another one moved the case on: its signature, an event and an audit row; the state stays. */
async function lateSignature(
  db: Pick<Pool, 'query'>,
  countyCode: string,
  principal: UserPrincipal,
  issue: Issue,
  unitIds: string[] | undefined,
): Promise<void> {
  if (!mayMake(principal.role, findRule('dispatched', 'signed')!))
    throw new HttpError(403, `a ${principal.role} may not sign for a member unit`);
  let units = unitIds;
  if (principal.role === 'member_unit') {
    const own = principal.scope.memberUnitId!;
    if (units?.some((u) => u !== own)) throw new HttpError(403, `a member unit signs for itself (${own}) only`);
    units = [own];
  }
  const signed = await signUnits(db, countyCode, issue.id, units);
  if (!signed.length)
    throw new HttpError(
      409,
      `the case is "${issue.state}" and no summoned unit${units ? ` of ${units.join(', ')}` : ''} is waiting to sign`,
      'InvalidTransition',
    );
  const fields = { unitIds: signed, lateSignature: true };
  await insertEvent(db, countyCode, issue.id, {
    fromState: issue.state,
    toState: issue.state,
    actorUserId: principal.userId,
    actor: actorLabel(principal),
    role: principal.role,
    fields,
  });
  await audit(db, countyCode, principal, {
    action: 'issue.sign',
    target: `issue:${issue.id}`,
    before: { state: issue.state },
    after: { state: issue.state, ...fields },
  });
  await notifyIssue(db, countyCode, issue.id, issue.state, { lateSignature: true });
}

export type RatingValue = 'satisfied' | 'basically_satisfied' | 'unsatisfied';

/** 回访: the reporter rates a closed issue (closed → rated). */
export async function rateIssue(
  pool: Pool,
  countyCode: string,
  principal: UserPrincipal,
  issueId: number,
  rating: RatingValue,
  comment: string | null,
): Promise<Issue> {
  await inTransaction(pool, async (db) => {
    const issue = await findIssue(db, countyCode, issueId, true);
    if (!issue) throw new HttpError(404, `no issue ${issueId}`);
    requireIssueAccess(principal, issue);
    if (principal.role !== 'admin' && issue.reporterUserId !== principal.userId)
      throw new HttpError(403, 'only the reporter rates an issue');
    const check = checkTransition(issue.state, { to: 'rated' }, principal.role);
    if (!check.ok)
      throw new HttpError(
        check.status,
        check.status === 409 ? `only a closed issue can be rated (this one is "${issue.state}")` : check.message,
        check.status === 409 ? 'InvalidTransition' : undefined,
      );
    await upsertRating(db, countyCode, issueId, principal.userId, rating, comment);
    await updateState(db, countyCode, issueId, 'rated');
    await insertEvent(db, countyCode, issueId, {
      fromState: issue.state,
      toState: 'rated',
      actorUserId: principal.userId,
      actor: actorLabel(principal),
      role: principal.role,
      fields: { rating, ...(comment ? { comment } : {}) },
    });
    await audit(db, countyCode, principal, {
      action: 'issue.rate',
      target: `issue:${issueId}`,
      before: { state: issue.state },
      after: { state: 'rated', rating },
    });
    await notifyIssue(db, countyCode, issueId, 'rated');
  });
  return (await findIssue(pool, countyCode, issueId))!;
}

/**
 * Stores a checked, re-encoded photo and its thumbnail under uploadsDir, and its row; the files are
 * removed again when the row cannot be written, so a refusal leaves nothing behind.
 */
export async function addPhoto(
  pool: Pool,
  countyCode: string,
  principal: UserPrincipal,
  issueId: number,
  kind: 'report' | 'after' | undefined,
  idempotencyKey: string | null,
  uploadsDir: string,
  load: () => Promise<ProcessedPhoto>,
): Promise<{ photo: IssuePhoto; replayed: boolean }> {
  const issue = await findIssue(pool, countyCode, issueId);
  if (!issue) throw new HttpError(404, `no issue ${issueId}`);
  requireIssueAccess(principal, issue);
  const photoKind = kind ?? (principal.role === 'reporter' ? 'report' : 'after');
  if (principal.role === 'reporter' && photoKind !== 'report')
    throw new HttpError(403, 'a reporter adds photos of the problem (kind=report) only');
  // A retried upload (same key) is the photo already stored: nothing is decoded or written again.
  const earlier = idempotencyKey ? await findPhotoByKey(pool, countyCode, issueId, idempotencyKey) : undefined;
  if (earlier) return { photo: earlier, replayed: true };
  const photo = await load();
  const dir = path.join(countyCode, String(issueId));
  const name = crypto.randomUUID();
  const relative = {
    image: path.join(dir, `${name}.${photo.extension}`),
    thumbnail: path.join(dir, `${name}.thumb.jpg`),
  };
  fs.mkdirSync(path.join(uploadsDir, dir), { recursive: true });
  const written: string[] = [];
  try {
    for (const [rel, bytes] of [
      [relative.image, photo.image],
      [relative.thumbnail, photo.thumbnail],
    ] as const) {
      fs.writeFileSync(path.join(uploadsDir, rel), bytes, { flag: 'wx', mode: 0o640 });
      written.push(path.join(uploadsDir, rel));
    }
    const stored = await inTransaction(pool, async (db) => {
      const locked = await findIssue(db, countyCode, issueId, true);
      if (!locked) throw new HttpError(404, `no issue ${issueId}`);
      // The same key committed by a concurrent upload while this one was being decoded.
      const raced = idempotencyKey ? await findPhotoByKey(db, countyCode, issueId, idempotencyKey) : undefined;
      if (raced) return { photo: raced, replayed: true };
      if ((await countPhotos(db, countyCode, issueId)) >= MAX_PHOTOS_PER_ISSUE)
        throw new HttpError(409, `an issue has at most ${MAX_PHOTOS_PER_ISSUE} photos`);
      const row = await insertPhoto(db, countyCode, issueId, {
        kind: photoKind,
        path: relative.image,
        thumbnailPath: relative.thumbnail,
        mediaType: photo.mediaType,
        width: photo.width,
        height: photo.height,
        bytes: photo.image.length,
        uploadedBy: principal.userId,
        idempotencyKey,
      });
      if (!row) throw new HttpError(409, 'the photo could not be stored; send it again', 'Conflict');
      await audit(db, countyCode, principal, {
        action: 'issue.photo',
        target: `issue:${issueId}`,
        after: { photoId: row.id, kind: photoKind, bytes: row.bytes, mediaType: row.mediaType },
      });
      await notifyIssue(db, countyCode, issueId, locked.state, { photo: true });
      return { photo: row, replayed: false };
    });
    if (stored.replayed) for (const file of written) fs.rmSync(file, { force: true });
    return stored;
  } catch (e) {
    for (const file of written) fs.rmSync(file, { force: true });
    throw e;
  }
}
