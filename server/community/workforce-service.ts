// The admins' writes to the workforce (README.md): a staff member's post, rank and level, a mentor, an allowance
// cell. Each is one transaction that announces the figures' change, with its audit row; refusals write nothing.
import type { PoolClient } from 'pg';
import type { Pool } from '../postgres/pool.ts';
import { inTransaction } from '../postgres/pool.ts';
import { announceFigures } from '../db/data-version.ts';
import { audit } from '../auth/audit.ts';
import type { AuditEntry } from '../db/audit-repo.ts';
import { HttpError } from '../http-error.ts';
import type { AreaScope, Principal } from '../../shared/roles.ts';
import type { AllowanceCell, StaffBody } from '../../shared/api/workforce.ts';
import { mentorProblem, staffChangeProblem } from './workforce.ts';
import {
  findStaff,
  lockAllowance,
  setAllowance,
  setMentor,
  updateStaff,
  type StaffMember,
} from '../db/workforce-repo.ts';

/** Who writes, inside which area, and from where (the audit row's ip). */
export interface WorkforceCaller {
  principal: Principal;
  scope: AreaScope;
  ip: string | undefined;
}

/** One write of the workforce: `change` returns the audit row's target, before and after. */
function workforceWrite(
  pool: Pool,
  county: string,
  { principal, ip }: WorkforceCaller,
  action: string,
  change: (db: PoolClient) => Promise<Pick<AuditEntry, 'target' | 'before' | 'after'>>,
): Promise<void> {
  return inTransaction(pool, async (db) => {
    await announceFigures(db, county);
    await audit(db, county, principal, { action, ...(await change(db)), ip });
  });
}

/** The staff member `id` inside `scope`, locked for the write; 404 when unknown or outside. */
async function lockedStaff(db: PoolClient, county: string, id: string, scope: AreaScope): Promise<StaffMember> {
  const member = await findStaff(db, county, id, scope, true);
  if (!member) throw new HttpError(404, `no staff member ${id}`);
  return member;
}

export function changeStaff(
  pool: Pool,
  county: string,
  caller: WorkforceCaller,
  id: string,
  body: StaffBody,
): Promise<void> {
  return workforceWrite(pool, county, caller, 'workforce.staff_update', async (db) => {
    const before = await lockedStaff(db, county, id, caller.scope);
    const change = {
      post: body.post ?? before.post,
      rankClass: body.rank_class === undefined ? before.rankClass : body.rank_class,
      level: body.level === undefined ? before.level : body.level,
    };
    const problem = staffChangeProblem(before.team, change);
    if (problem) throw new HttpError(422, problem, 'InvalidStaffChange');
    await updateStaff(db, county, id, change);
    return {
      target: `person:${id}`,
      before: { post: before.post, rankClass: before.rankClass, level: before.level },
      after: change,
    };
  });
}

export function assignMentor(
  pool: Pool,
  county: string,
  caller: WorkforceCaller,
  id: string,
  mentorId: string | null,
): Promise<void> {
  return workforceWrite(pool, county, caller, 'workforce.mentor_assign', async (db) => {
    const mentee = await lockedStaff(db, county, id, caller.scope);
    if (mentorId !== null) {
      const mentor = await findStaff(db, county, mentorId, caller.scope, true);
      if (!mentor) throw new HttpError(422, `no staff member ${mentorId} to be the mentor`, 'InvalidMentor');
      const problem = mentorProblem(mentee, mentor);
      if (problem) throw new HttpError(422, problem, 'InvalidMentor');
    }
    await setMentor(db, county, id, mentorId);
    return { target: `person:${id}`, before: { mentorId: mentee.mentorId }, after: { mentorId } };
  });
}

export function changeAllowance(
  pool: Pool,
  county: string,
  caller: WorkforceCaller,
  cell: AllowanceCell,
  monthlyYuan: number,
): Promise<void> {
  return workforceWrite(pool, county, caller, 'workforce.allowance_set', async (db) => {
    const before = await lockAllowance(db, county, cell.rankClass, cell.level);
    if (before === undefined) throw new HttpError(404, `no allowance for ${cell.rankClass} level ${cell.level}`);
    await setAllowance(db, county, cell.rankClass, cell.level, monthlyYuan);
    return {
      target: `allowance:${cell.rankClass}:${cell.level}`,
      before: { monthlyYuan: before },
      after: { monthlyYuan },
    };
  });
}
