import type pg from 'pg';
import { COUNTY } from './db.ts';

// Publishing changes the grids of the one test server that every integration and e2e file shares: a test that
// publishes takes a snapshot first and puts the grids back afterwards, so later files see the data as loaded.

const GRID_REFERENCES = [
  ['compounds', 'id'],
  ['buildings', 'id'],
  ['people', 'id'],
  ['stations', 'id'],
  ['issues', 'id'],
  ['micro_wishes', 'id'],
  ['service_activities', 'id'],
  ['deliberation_items', 'id'],
  ['workforce_staff', 'person_id'],
] as const;

/** Takes the grids and everything that points at them; the returned function restores them and bumps the data version. */
export async function snapshotGrids(pool: pg.Pool): Promise<() => Promise<void>> {
  const references = GRID_REFERENCES.map(
    ([t, k]) => `'${t}', (select json_agg(json_build_array(${k}::text, grid_id)) from ${t} where county_code = $1)`,
  ).join(', ');
  const { rows } = await pool.query<{ grids: unknown; refs: Record<string, unknown>; members: unknown }>(
    `select (select json_agg(json_build_object('id', id, 'code', code, 'name', name, 'name_en', name_en, 'community_id', community_id,
                     'party_branch', party_branch, 'head_id', head_id, 'geom', geom::text)) from grids where county_code = $1) as grids,
            json_build_object(${references}) as refs,
            (select json_agg(json_build_array(unit_id, grid_id)) from member_unit_grids where county_code = $1) as members`,
    [COUNTY],
  );
  const snapshot = rows[0];
  return async () => {
    const client = await pool.connect();
    try {
      await client.query('begin');
      const grids = JSON.stringify(snapshot.grids);
      const fields =
        'x(id text, code text, name text, name_en text, community_id text, party_branch text, head_id text, geom text)';
      // Codes of grids made since are set aside first: a new grid may have taken the code of one it replaced.
      await client.query(
        `update grids set code = 'restoring-' || id where county_code = $1 and id not in (select id from json_to_recordset($2::json) ${fields})`,
        [COUNTY, grids],
      );
      await client.query(
        `insert into grids (county_code, id, code, name, name_en, community_id, party_branch, head_id, geom)
         select $1, id, code, name, name_en, community_id, party_branch, head_id, geom::geometry from json_to_recordset($2::json) ${fields}
         on conflict (county_code, id) do update set code = excluded.code, name = excluded.name, name_en = excluded.name_en,
           community_id = excluded.community_id, party_branch = excluded.party_branch, head_id = excluded.head_id, geom = excluded.geom`,
        [COUNTY, grids],
      );
      for (const [table, key] of GRID_REFERENCES) {
        await client.query(
          `update ${table} t set grid_id = s.grid_id from json_to_recordset((select json_agg(json_build_object('k', e->>0, 'grid_id', e->>1))
            from json_array_elements($2::json) e)) s(k text, grid_id text)
           where t.county_code = $1 and t.${key}::text = s.k and t.grid_id is distinct from s.grid_id`,
          [COUNTY, JSON.stringify(snapshot.refs[table] ?? [])],
        );
      }
      await client.query('delete from member_unit_grids where county_code = $1', [COUNTY]);
      await client.query(
        `insert into member_unit_grids (county_code, unit_id, grid_id) select $1, e->>0, e->>1 from json_array_elements($2::json) e`,
        [COUNTY, JSON.stringify(snapshot.members ?? [])],
      );
      await client.query(`delete from grids where county_code = $1 and code like 'restoring-%'`, [COUNTY]);
      await client.query(
        `with v as (update data_versions set version = version + 1, updated_at = now() where county_code = $1 returning version)
         select pg_notify('gridlink_data', json_build_object('county', $1::text, 'version', version)::text) from v`,
        [COUNTY],
      );
      await client.query('commit');
    } catch (error) {
      await client.query('rollback');
      throw error;
    } finally {
      client.release();
    }
  };
}
