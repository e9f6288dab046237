import type { PoolClient } from 'pg';
import type { Queryable } from '../postgres/pool.ts';
import { publishedSince } from './plan-publish-repo.ts';
import type { PublishedPlan, RebaseConflict, RebaseResult } from '../../shared/api/plan-publish.ts';

export type { PublishedPlan, RebaseConflict, RebaseResult };

// Published plans as history, restoring one (a copy published anew), and rebasing a draft onto the grids
// published since it began.

export async function listPublished(db: Queryable, countyCode: string): Promise<PublishedPlan[]> {
  const { rows } = await db.query<PublishedPlan>(
    `select p.id::int, p.name, a.username as author, b.username as "publishedBy",
            to_char(p.published_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "publishedAt",
            p.published_data_version::int as "dataVersion", p.restored_from::int as "restoredFrom",
            row_number() over (order by p.published_data_version desc) = 1 as current, p.publish_summary as summary
     from plans p
     join users a on a.county_code = p.county_code and a.id = p.author_id
     join users b on b.county_code = p.county_code and b.id = p.published_by
     where p.county_code = $1 and p.status = 'published'
     order by p.published_data_version desc`,
    [countyCode],
  );
  return rows;
}

/** Unit → grid when the draft began: the newest publication up to its base version, else the grids as loaded. */
async function baseAssignment(
  db: Queryable,
  countyCode: string,
  baseDataVersion: number,
): Promise<Map<string, string | null>> {
  const { rows } = await db.query<{ unit_id: string; grid: string | null }>(
    `with p as (select id from plans where county_code = $1 and status = 'published' and published_data_version <= $2
                order by published_data_version desc limit 1)
     select unit_id, grid_label as grid from plan_assignments where county_code = $1 and plan_id = (select id from p)
     union all
     select unit_id, grid_id from plan_baseline_assignments where county_code = $1 and not exists (select 1 from p)`,
    [countyCode, baseDataVersion],
  );
  return new Map(rows.map((r) => [r.unit_id, r.grid]));
}

/**
 * Re-bases a draft onto the current grids: units the draft moved (its grid differs from the grids when it began)
 * keep the draft's grid unless a later publication moved them too (a conflict: the published grid wins and is
 * reported); every other unit takes its current grid. Units gone from the data are dropped, new ones take their grid.
 */
export async function rebaseDraft(client: PoolClient, countyCode: string, id: number): Promise<RebaseResult> {
  const { rows: plan } = await client.query<{ status: string; base: string }>(
    'select status, base_data_version as base from plans where county_code = $1 and id = $2 for update',
    [countyCode, id],
  );
  if (!plan[0]) return { ok: false, reason: 'not-found' };
  if (plan[0].status !== 'draft') return { ok: false, reason: 'not-draft' };
  const oldBase = Number(plan[0].base);
  const since = await publishedSince(client, countyCode, oldBase, id);
  const base = await baseAssignment(client, countyCode, oldBase);
  const { rows } = await client.query<{
    unit: string;
    draft: string | null;
    in_draft: boolean;
    current: string | null;
    in_units: boolean;
  }>(
    `select coalesce(u.id, a.unit_id) as unit, a.grid_label as draft, a.unit_id is not null as in_draft,
            u.grid_id as current, u.id is not null as in_units
     from (select id, grid_id from plan_units where county_code = $1) u
     full join (select unit_id, grid_label from plan_assignments where county_code = $1 and plan_id = $2) a on a.unit_id = u.id
     order by 1`,
    [countyCode, id],
  );
  const next = new Map<string, string | null>();
  const conflicts: RebaseConflict[] = [];
  const dropped: string[] = [];
  let kept = 0;
  for (const r of rows) {
    if (!r.in_units) {
      dropped.push(r.unit);
      continue;
    }
    const before = base.has(r.unit) ? base.get(r.unit)! : r.current;
    const movedByDraft = r.in_draft && r.draft !== before;
    if (!movedByDraft) next.set(r.unit, r.current);
    else if (r.current === before || r.current === r.draft) {
      next.set(r.unit, r.draft);
      kept++;
    } else {
      next.set(r.unit, r.current);
      conflicts.push({ unit: r.unit, draft: r.draft, current: r.current });
    }
  }
  const units = [...next.keys()];
  await client.query('delete from plan_assignments where county_code = $1 and plan_id = $2', [countyCode, id]);
  await client.query(
    `insert into plan_assignments (county_code, plan_id, unit_id, grid_label)
     select $1, $2, unit_id, grid_label from unnest($3::text[], $4::text[]) a(unit_id, grid_label)`,
    [countyCode, id, units, units.map((u) => next.get(u) ?? null)],
  );
  const { rows: rebased } = await client.query<{ base: string }>(
    `update plans set base_data_version = coalesce((select version from data_versions where county_code = $1), 1), updated_at = now()
     where county_code = $1 and id = $2 returning base_data_version as base`,
    [countyCode, id],
  );
  return { ok: true, baseDataVersion: Number(rebased[0].base), kept, conflicts, dropped, publishedSince: since };
}

/**
 * A new draft named `name` that copies plan `sourceId` (draft or published) onto today's units — units it did not
 * know take their current grid — with its locked grids, begun at the current data version. `restoredFrom` marks a
 * restore. Undefined when there is no such plan (or, with `publishedOnly`, no such published plan).
 */
export async function insertDraftCopy(
  client: Pick<PoolClient, 'query'>,
  countyCode: string,
  sourceId: number,
  authorId: number,
  options: { name: (sourceName: string) => string; publishedOnly: boolean; restoredFrom: boolean },
): Promise<number | undefined> {
  const { rows: source } = await client.query<{ name: string }>(
    `select name from plans where county_code = $1 and id = $2 and (status = 'published' or not $3)`,
    [countyCode, sourceId, options.publishedOnly],
  );
  if (!source[0]) return undefined;
  const { rows } = await client.query<{ id: string }>(
    `insert into plans (county_code, name, author_id, base_data_version, restored_from, locked_grids)
     select county_code, $4, $3, coalesce((select version from data_versions where county_code = $1), 1), case when $5 then id end, locked_grids
     from plans where county_code = $1 and id = $2
     returning id`,
    [countyCode, sourceId, authorId, options.name(source[0].name).slice(0, 100), options.restoredFrom],
  );
  const id = Number(rows[0].id);
  // A compound the source split into buildings stays split (all its buildings named); other units as the source had them.
  await client.query(
    `insert into plan_assignments (county_code, plan_id, unit_id, grid_label)
     select u.county_code, $3::bigint, u.id, case when a.unit_id is null then u.grid_id else a.grid_label end
     from plan_units u left join plan_assignments a on a.county_code = u.county_code and a.plan_id = $2 and a.unit_id = u.id
     where u.county_code = $1
       and not exists (select 1 from plan_assignments s join buildings b on b.county_code = s.county_code and b.id = s.unit_id
                       where s.county_code = $1 and s.plan_id = $2 and b.compound_id = u.id and u.kind = 'compound')
     union all
     select s.county_code, $3::bigint, s.unit_id, s.grid_label
     from plan_assignments s join buildings b on b.county_code = s.county_code and b.id = s.unit_id
     join compounds c on c.county_code = b.county_code and c.id = b.compound_id
     join counties k on k.county_code = c.county_code and c.households <= k.max_households
     where s.county_code = $1 and s.plan_id = $2`,
    [countyCode, sourceId, id],
  );
  return id;
}

/**
 * A draft that copies a published plan onto today's units, begun at the current data version; the caller
 * publishes it in the same transaction. Undefined when no such plan.
 */
export function createRestoreDraft(
  client: PoolClient,
  countyCode: string,
  publishedId: number,
  authorId: number,
): Promise<number | undefined> {
  return insertDraftCopy(client, countyCode, publishedId, authorId, {
    name: (name) => `${name.slice(0, 90)} (restore)`,
    publishedOnly: true,
    restoredFrom: true,
  });
}
