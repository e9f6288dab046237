// Reads of one row: an account, a session, a token, a case or an item by its id in the county.
import type { QueryResultRow } from 'pg';
import type { Queryable } from '../postgres/pool.ts';

/** The first row `sql` answers; undefined when it answers none. */
export async function firstRow<Row extends QueryResultRow>(
  db: Queryable,
  sql: string,
  params: unknown[],
): Promise<Row | undefined> {
  const { rows } = await db.query<Row>(sql, params);
  return rows[0];
}

/** Where a row of the county is read by id: the select list and the table (or join) whose rows are named `alias`. */
export interface RowSource {
  columns: string;
  from: string;
  alias: string;
}

/** The row of `source` with this county and id; `forUpdate` locks it until the transaction ends. */
export function findInCounty<Row extends QueryResultRow>(
  db: Queryable,
  { columns, from, alias }: RowSource,
  countyCode: string,
  id: number,
  forUpdate = false,
): Promise<Row | undefined> {
  const lock = forUpdate ? ` for update of ${alias}` : '';
  return firstRow<Row>(
    db,
    `select ${columns} from ${from} where ${alias}.county_code = $1 and ${alias}.id = $2${lock}`,
    [countyCode, id],
  );
}
