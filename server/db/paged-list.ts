// The paged lists of the work screens (issues, micro-wishes, activities, deliberations, staff): filters become
// numbered parameters, and one query answers a page with the count of every matching row.
import type { Queryable } from '../postgres/pool.ts';

/** Appends a value to `params` and returns its placeholder (`$n`). */
export const placeholderIn =
  (params: unknown[]) =>
  (value: unknown): string => (params.push(value), `$${params.length}`);

export interface ListQuery {
  /** The select list (without the count). */
  columns: string;
  from: string;
  /** Conditions, joined with `and`. */
  where: string[];
  orderBy: string;
}

/** A page (`limit` rows from `offset`) of the rows `q` selects, and how many there are in all (a window count). */
export async function queryPage<Row>(
  db: Queryable,
  q: ListQuery,
  params: unknown[],
  page: { limit: number; offset: number },
): Promise<{ total: number; rows: Row[] }> {
  const add = placeholderIn(params);
  const { rows } = await db.query<Row & { total: number }>(
    `select ${q.columns}, count(*) over ()::int as total from ${q.from} where ${q.where.join(' and ')}
     order by ${q.orderBy} limit ${add(page.limit)} offset ${add(page.offset)}`,
    params,
  );
  return { total: rows[0]?.total ?? 0, rows: rows.map(({ total: _t, ...r }) => r as Row) };
}
