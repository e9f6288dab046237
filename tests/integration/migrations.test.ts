import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '../../server/postgres/migrate.ts';
import { testPool } from '../helpers/db.ts';

const pool = testPool();
afterAll(() => pool.end());

describe('migrations', () => {
  it('are recorded and applying them again changes nothing', async () => {
    const before = await pool.query('select name from schema_migrations order by name');
    expect(before.rows.map((r) => r.name)).toContain('001_schema.sql');
    expect(await migrate(pool)).toEqual([]);
    const after = await pool.query('select name from schema_migrations order by name');
    expect(after.rows).toEqual(before.rows);
  });

  it('give every table the county code, first in its primary key', async () => {
    const { rows } = await pool.query(`
      select c.relname as name,
             (select a.attname from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
              where i.indrelid = c.oid and i.indisprimary) as first_key
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'gridlink' and c.relkind = 'r' and c.relname <> 'schema_migrations'`);
    expect(rows.length).toBeGreaterThanOrEqual(11);
    for (const r of rows) expect(r.first_key, r.name).toBe('county_code');
  });

  it('store geometry in SRID 4326 with a GiST index on each geometry column', async () => {
    const { rows } = await pool.query(`
      select f_table_name as t, f_geometry_column as c, srid from geometry_columns where f_table_schema = 'gridlink'`);
    const wgs84 = rows.filter((r) => r.c === 'geom');
    expect(wgs84.map((r) => r.t).sort()).toEqual(
      ['basemap_features', 'buildings', 'communities', 'compounds', 'grids', 'stations', 'streets'].sort(),
    );
    for (const r of wgs84) expect(r.srid, r.t).toBe(4326);
    const { rows: idx } = await pool.query(`
      select t.relname as t, a.attname as c from pg_index i
      join pg_class t on t.oid = i.indrelid join pg_class ic on ic.oid = i.indexrelid
      join pg_am am on am.oid = ic.relam join pg_attribute a on a.attrelid = t.oid and a.attnum = i.indkey[0]
      where am.amname = 'gist'`);
    for (const r of rows)
      expect(
        idx.some((i) => i.t === r.t && i.c === r.c),
        `${r.t}.${r.c}`,
      ).toBe(true);
  });

  it('loaded valid geometries only', async () => {
    for (const table of ['streets', 'communities', 'grids', 'compounds', 'buildings', 'basemap_features']) {
      const { rows } = await pool.query(`select count(*)::int as n from ${table} where not st_isvalid(geom)`);
      expect(rows[0].n, table).toBe(0);
    }
  });
});
