// The figures of an area computed directly from the tables, independently of server/db/inspect-*.ts.
import { expect } from 'vitest';
import type pg from 'pg';
import { COUNTY } from '../helpers/db.ts';
import { publicCount } from '../../server/community/small-groups.ts';

export function directSql(pool: pg.Pool) {
  async function one(sql: string, args: unknown[]): Promise<Record<string, number>> {
    const { rows } = await pool.query(sql, [COUNTY, ...args]);
    return Object.fromEntries(Object.entries(rows[0]).map(([k, v]) => [k, Number(v)]));
  }

  /** The figures of an area whose buildings are `where` (SQL over `b`), computed independently. */
  async function truth(where: string, args: unknown[]) {
    const people = await one(
      `select count(*) filter (where p.red_steward) as red, count(distinct p.building_id) filter (where p.red_steward) as red_buildings,
         count(*) filter (where p.party_member) as party, count(*) filter (where p.in_service) as in_service
       from people p join buildings b on b.county_code = p.county_code and b.id = p.building_id
       left join grids g on g.county_code = b.county_code and g.id = b.grid_id
       left join communities c on c.county_code = g.county_code and c.id = g.community_id
       where p.county_code = $1 and ${where}`,
      args,
    );
    const buildings = await one(
      `select count(*) as n, sum(b.households) as households, sum(b.population) as population,
         count(distinct b.compound_id) as compounds, count(distinct b.grid_id) as grids
       from buildings b left join grids g on g.county_code = b.county_code and g.id = b.grid_id
       left join communities c on c.county_code = g.county_code and c.id = g.community_id
       where b.county_code = $1 and ${where}`,
      args,
    );
    const units = await one(
      `select count(distinct m.unit_id) as n from member_unit_grids m where m.county_code = $1 and m.grid_id in (
         select b.grid_id from buildings b left join grids g on g.county_code = b.county_code and g.id = b.grid_id
         left join communities c on c.county_code = g.county_code and c.id = g.community_id where b.county_code = $1 and ${where})`,
      args,
    );
    return { people, buildings, units: units.n };
  }

  function expectFigures(figures: Record<string, unknown>, t: Awaited<ReturnType<typeof truth>>) {
    expect(figures.households).toBe(t.buildings.households);
    expect(figures.population).toBe(t.buildings.population);
    expect(figures.buildings).toBe(t.buildings.n);
    expect(figures.redStewards).toBe(publicCount(t.people.red));
    expect(figures.buildingsWithSteward).toBe(t.people.red_buildings);
    expect(figures.stewardShare).toBeCloseTo(t.people.red_buildings / t.buildings.n, 10);
    expect(figures.partyMembers).toBe(publicCount(t.people.party));
    expect(figures.inServiceMembers).toBe(publicCount(t.people.in_service));
    expect(figures.memberUnits).toBe(t.units);
  }

  async function compoundsByType(sql: string, args: unknown[]): Promise<Record<string, number>> {
    const { rows } = await pool.query(
      `select type, count(*)::integer as n from compounds where county_code = $1 and id in (${sql}) group by type`,
      [COUNTY, ...args],
    );
    const all = { commercial_residential: 0, old: 0, transitional: 0, work_unit: 0 } as Record<string, number>;
    for (const r of rows) all[r.type] = r.n;
    return all;
  }

  return { one, truth, expectFigures, compoundsByType };
}
