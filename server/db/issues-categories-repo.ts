import type { Queryable } from '../postgres/pool.ts';
import { firstRow } from './one-row.ts';
import { CALENDAR_SEEDS, CATEGORY_SEEDS, type CategorySeed } from '../issues/categories.ts';
import { withExceptions, type WorkingCalendar } from '../issues/working-hours.ts';

/** A category as stored: the fields of its seed, the time limit as an admin last set it. */
export type Category = CategorySeed;

const COLUMNS = `id, parent_id as "parentId", name, name_en as "nameEn", time_limit_hours as "timeLimitHours",
  responsible_trade as "responsibleTrade"`;

/** Seeds the category taxonomy and the holiday calendar of a county; rows already there (edited) stay. */
export async function seedIssueReferenceData(db: Queryable, countyCode: string): Promise<void> {
  await db.query(
    `insert into issue_categories (county_code, id, parent_id, name, name_en, time_limit_hours, responsible_trade, sort)
     select $1, c->>'id', c->>'parentId', c->>'name', c->>'nameEn', (c->>'timeLimitHours')::numeric, c->>'responsibleTrade', o::int
     from json_array_elements($2::json) with ordinality as t(c, o)
     on conflict (county_code, id) do nothing`,
    [countyCode, JSON.stringify(CATEGORY_SEEDS)],
  );
  await db.query(
    `insert into working_calendar (county_code, day, workday, name)
     select $1, (d->>'day')::date, (d->>'workday')::boolean, d->>'name' from json_array_elements($2::json) d
     on conflict (county_code, day) do nothing`,
    [countyCode, JSON.stringify(CALENDAR_SEEDS)],
  );
}

/** Every category, majors first each followed by its minors. */
export async function listCategories(db: Queryable, countyCode: string): Promise<Category[]> {
  const { rows } = await db.query<Category>(
    `select ${COLUMNS} from issue_categories c where county_code = $1
     order by coalesce((select p.sort from issue_categories p where p.county_code = c.county_code and p.id = c.parent_id), sort),
              parent_id nulls first, sort`,
    [countyCode],
  );
  return rows;
}

export const findCategory = (db: Queryable, countyCode: string, id: string) =>
  firstRow<Category>(db, `select ${COLUMNS} from issue_categories where county_code = $1 and id = $2`, [
    countyCode,
    id,
  ]);

/** Sets a minor class's time limit (working hours); undefined when there is no such minor class. */
export const updateCategoryTimeLimit = (db: Queryable, countyCode: string, id: string, hours: number) =>
  firstRow<Category>(
    db,
    `update issue_categories set time_limit_hours = $3
     where county_code = $1 and id = $2 and parent_id is not null returning ${COLUMNS}`,
    [countyCode, id, hours],
  );

/** The configured weekly pattern with the county's holidays and exchanged working days. */
export async function loadCalendar(
  db: Queryable,
  countyCode: string,
  weekly: WorkingCalendar,
): Promise<WorkingCalendar> {
  const { rows } = await db.query<{ day: string; workday: boolean }>(
    `select to_char(day, 'YYYY-MM-DD') as day, workday from working_calendar where county_code = $1`,
    [countyCode],
  );
  return withExceptions(weekly, rows);
}
