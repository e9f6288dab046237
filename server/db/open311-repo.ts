/**
 * Open311 GeoReport v2 service requests read from the same per-caller source as the OGC collection
 * `events` (server/db/events-layer.ts): public fields only, located at the compound for public callers.
 */
import type { Queryable } from '../postgres/pool.ts';
import type { AreaScope } from '../../shared/roles.ts';
import { eventsLayer } from './events-layer.ts';
import { OPEN_STATES } from '../../shared/issue-states.ts';

/** One request as Open311 shows it; the code is its service_request_id. */
export interface PublicRequest {
  code: string;
  categoryId: string;
  categoryName: string;
  state: string;
  open: boolean;
  createdAt: Date;
  updatedAt: Date;
  deadline: Date | null;
  lon: number;
  lat: number;
}

export interface RequestFilter {
  codes?: string[];
  serviceCodes?: string[];
  open?: boolean;
  from?: Date;
  to?: Date;
  limit: number;
}

export async function listPublicRequests(
  db: Queryable,
  countyCode: string,
  exactScope: AreaScope | null,
  filter: RequestFilter,
): Promise<PublicRequest[]> {
  const layer = eventsLayer(exactScope);
  const params: unknown[] = [countyCode, ...(layer.params ?? [])];
  const add = (v: unknown) => `$${params.push(v)}`;
  const where = ['t.county_code = $1'];
  if (filter.codes) where.push(`t.id = any(${add(filter.codes)}::text[])`);
  if (filter.serviceCodes) where.push(`t.category_id = any(${add(filter.serviceCodes)}::text[])`);
  if (filter.open !== undefined) where.push(`${filter.open ? '' : 'not '}(t.state = any(${add(OPEN_STATES)}::text[]))`);
  if (filter.from) where.push(`t.created_at >= ${add(filter.from)}`);
  if (filter.to) where.push(`t.created_at <= ${add(filter.to)}`);
  const { rows } = await db.query<PublicRequest>(
    `select t.id as code, t.category_id as "categoryId", t.category_name as "categoryName", t.state,
            t.state = any(${add(OPEN_STATES)}::text[]) as open, t.created_at as "createdAt", t.updated_at as "updatedAt",
            t.deadline, st_x(t.geom) as lon, st_y(t.geom) as lat
     from ${layer.from} where ${where.join(' and ')}
     order by t.created_at desc, t.id desc limit ${add(filter.limit)}`,
    params,
  );
  return rows;
}
