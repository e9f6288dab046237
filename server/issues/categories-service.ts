// An admin sets a minor category's time limit (working hours): the row and its audit row in one transaction.
import type { Pool } from '../postgres/pool.ts';
import { inTransaction } from '../postgres/pool.ts';
import { HttpError } from '../http-error.ts';
import { audit } from '../auth/audit.ts';
import type { Principal } from '../../shared/roles.ts';
import { findCategory, updateCategoryTimeLimit, type Category } from '../db/issues-categories-repo.ts';

export function setCategoryTimeLimit(
  pool: Pool,
  countyCode: string,
  caller: { principal: Principal; ip: string | undefined },
  id: string,
  hours: number,
): Promise<Category> {
  return inTransaction(pool, async (client) => {
    const before = await findCategory(client, countyCode, id);
    if (!before || before.parentId === null)
      throw new HttpError(404, `no minor category "${id}" (time limits belong to minor classes)`);
    const after = (await updateCategoryTimeLimit(client, countyCode, id, hours))!;
    await audit(client, countyCode, caller.principal, {
      action: 'issue_category.time_limit',
      target: `issue_category:${id}`,
      before: { timeLimitHours: before.timeLimitHours },
      after: { timeLimitHours: hours },
      ip: caller.ip,
    });
    return after;
  });
}
