/**
 * The OGC collection `events` (issues) with public fields only: code, category, state, source, times,
 * overdue, grid and community. Never the reporter, the description or a photo. The location is the centre
 * of the heat cell (public-position.ts, the rule of every public issue position) for everyone but
 * the handlers whose area holds the issue (admin, dispatchers, grid workers): they get the exact point.
 * bbox filters the point the caller gets, so a public caller cannot probe the exact location with it.
 */
import type { LayerDef, LayerProperty } from './layers.ts';
import { COUNTY_WIDE, type AreaScope, type Principal } from '../../shared/roles.ts';
import { areaCondition } from './area-scope.ts';
import { RUNNING_STATES } from '../../shared/issue-states.ts';
import { publicPosition } from './public-position.ts';

const str = (sql: string): LayerProperty => ({ sql, type: 'string' });
const utc = (sql: string) => `to_char(${sql} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;

/** States the public map leaves out (as the issues tiles do): void reports and those joined to another. */
export const HIDDEN_STATES = ['void', 'duplicate'];

/** Where a caller gets the exact point of an event: admins everywhere, dispatchers and grid workers in their area. */
export function exactEventScope(principal: Principal): AreaScope | null {
  if (principal.kind !== 'user') return null;
  if (principal.role === 'admin') return COUNTY_WIDE;
  return principal.role === 'dispatcher' || principal.role === 'grid_worker' ? principal.scope : null;
}

/**
 * The collection as one caller sees it. `exactScope`: the area in which this caller gets exact points
 * (null: nowhere). The scope values become parameters $2… after the county ($1).
 */
export function eventsLayer(exactScope: AreaScope | null): LayerDef {
  const params: unknown[] = ['(county)'];
  const exact = exactScope
    ? areaCondition(
        exactScope,
        { county: 'i.county_code', grid: 'i.grid_id', community: 'i.community_id', street: 'i.street_id' },
        params,
      )
    : 'false';
  return {
    id: 'events',
    title: { zh: '事件', en: 'Events (reported issues)' },
    description:
      'Reported issues with public fields only: located at the centre of their ≈120 m cell ' +
      '(exact for the handlers of the area); never a person, description or photo',
    from: `(select i.county_code, i.code as id, i.category_id, cat.parent_id as category_major, cat.name as category_name, i.state,
              i.source, i.created_at, i.closed_at, i.updated_at, i.deadline, i.grid_id, g.code as grid_code, i.community_id, c.code as community_code,
              (i.deadline is not null and i.deadline < now() and i.state = any('{${RUNNING_STATES.join(',')}}'::text[])) as overdue,
              case when ${exact} then 'exact' else 'cell' end as precision,
              case when ${exact} then i.location else ${publicPosition('i.location')} end as geom
            from issues i
            join issue_categories cat on cat.county_code = i.county_code and cat.id = i.category_id
            join grids g on g.county_code = i.county_code and g.id = i.grid_id
            join communities c on c.county_code = i.county_code and c.id = i.community_id
            where i.state <> all('{${HIDDEN_STATES.join(',')}}'::text[])) t`,
    params: params.slice(1),
    temporal: 't.created_at',
    properties: {
      code: str('t.id'),
      category: str('t.category_id'),
      category_major: str('t.category_major'),
      category_name: str('t.category_name'),
      state: str('t.state'),
      source: str('t.source'),
      created_at: str(utc('t.created_at')),
      closed_at: str(utc('t.closed_at')),
      overdue: { sql: 't.overdue', type: 'boolean' },
      grid_id: str('t.grid_id'),
      grid_code: str('t.grid_code'),
      community_id: str('t.community_id'),
      community_code: str('t.community_code'),
      location_precision: str('t.precision'),
    },
    minzoom: 0,
    geometryType: 'point',
    ogc: true,
    live: true,
  };
}
