// /api/areas, /api/search and /api/coverage against direct SQL on the test database.
import { afterAll, describe, expect, it } from 'vitest';
import { COUNTY, get, testPool } from '../helpers/db.ts';
import { errorMessage } from './inspect-api-error.ts';
import { directSql } from './inspect-truth.ts';
import { publicCount } from '../../server/community/small-groups.ts';

const pool = testPool();
afterAll(() => pool.end());

/** Every body the API answered in this file, checked at the end for personal data. */
const bodies: unknown[] = [];

async function json(path: string, status = 200) {
  const res = await get(path);
  const body = await res.json();
  expect(res.status, `${path} → ${res.status} ${errorMessage(body)}`).toBe(status);
  if (status === 200) bodies.push(body);
  return body;
}

const { one, truth, expectFigures, compoundsByType } = directSql(pool);

describe('GET /api/areas', () => {
  it('county: the whole county, its streets, and the seed figures the demo data reproduces', async () => {
    const card = await json('/api/areas/county');
    expect(card).toMatchObject({ level: 'county', id: COUNTY, code: COUNTY, name: '盐池县', parents: [] });
    expectFigures(card.figures, await truth('true', []));
    expect(card.figures.compounds).toBe(185);
    expect(card.figures.grids).toBe(116);
    expect(card.figures.redStewards).toBe(publicCount(841));
    expect(card.figures.memberUnits).toBe(124);
    expect(card.figures.socialOrganisations).toBe(85);
    const stations = await one('select count(*) as n from stations where county_code = $1', []);
    expect(card.figures.stations).toBe(stations.n);
    const { rows } = await pool.query('select id from streets where county_code = $1 order by id', [COUNTY]);
    expect(card.children.level).toBe('street');
    expect(card.children.items.map((c: { id: string }) => c.id)).toEqual(rows.map((r) => r.id));
    const [x0, y0, x1, y1] = card.bbox;
    expect(x0).toBeLessThan(x1);
    expect(y0).toBeLessThan(y1);
  });

  it('street: its communities and figures', async () => {
    const card = await json('/api/areas/street/S01');
    expect(card.parents.map((p: { level: string }) => p.level)).toEqual(['county']);
    expectFigures(card.figures, await truth('c.street_id = $2', ['S01']));
    const children = await pool.query(
      'select id from communities where county_code = $1 and street_id = $2 order by id',
      [COUNTY, 'S01'],
    );
    expect(card.children.items.map((c: { id: string }) => c.id)).toEqual(children.rows.map((r) => r.id));
  });

  it('community: figures, grids with households, social organisations', async () => {
    const card = await json('/api/areas/community/C01');
    expect(card).toMatchObject({ level: 'community', id: 'C01', name: '振兴社区' });
    expect(card.parents.map((p: { level: string }) => p.level)).toEqual(['county', 'street']);
    expectFigures(card.figures, await truth('g.community_id = $2', ['C01']));
    expect(card.figures.compoundsByType).toEqual(
      await compoundsByType('select id from compounds where community_id = $2', ['C01']),
    );
    const orgs = await one(
      'select count(*) as n from social_organisations where county_code = $1 and community_id = $2',
      ['C01'],
    );
    expect(card.figures.socialOrganisations).toBe(orgs.n);
    expect(card.socialOrganisations).toHaveLength(orgs.n);
    const grids = await pool.query(
      'select grid_id as id, households from grid_totals t join grids g on g.id = t.grid_id where g.county_code = $1 and g.community_id = $2 order by g.id',
      [COUNTY, 'C01'],
    );
    expect(card.children.items.map((c: { id: string; households: number }) => [c.id, c.households])).toEqual(
      grids.rows.map((r) => [r.id, r.households]),
    );
  });

  it('grid: figures, compounds by type, stations in it and within 300 m, member units', async () => {
    const card = await json('/api/areas/grid/G012');
    const head = await pool.query(
      'select code, name, community_id, party_branch from grids where county_code = $1 and id = $2',
      [COUNTY, 'G012'],
    );
    expect(card).toMatchObject({ level: 'grid', id: 'G012', code: head.rows[0].code, name: head.rows[0].name });
    expect(card.attributes.partyBranch).toBe(head.rows[0].party_branch);
    expect(card.parents.map((p: { level: string }) => p.level)).toEqual(['county', 'street', 'community']);
    expect(card.parents[2].id).toBe(head.rows[0].community_id);
    expectFigures(card.figures, await truth('b.grid_id = $2', ['G012']));
    expect(card.figures.compoundsByType).toEqual(
      await compoundsByType('select compound_id from buildings where grid_id = $2', ['G012']),
    );
    const inGrid = await one('select count(*) as n from stations where county_code = $1 and grid_id = $2', ['G012']);
    expect(card.figures.stations).toBe(inGrid.n);
    const near = await pool.query(
      `select s.id from stations s, grids g where s.county_code = $1 and g.county_code = $1 and g.id = $2
         and (st_dwithin(g.geom::geography, s.geom::geography, 300) or s.grid_id = g.id) order by s.id`,
      [COUNTY, 'G012'],
    );
    expect(card.nearbyStations.map((s: { id: string }) => s.id).sort()).toEqual(near.rows.map((r) => r.id));
    const units = await pool.query(
      'select unit_id from member_unit_grids where county_code = $1 and grid_id = $2 order by unit_id',
      [COUNTY, 'G012'],
    );
    expect(card.memberUnits.map((u: { id: string }) => u.id)).toEqual(units.rows.map((r) => r.unit_id));
    expect(card.figures.socialOrganisations).toBeNull();
  });

  it('compound: property service, owners-committee deputy, era, facility level, buildings', async () => {
    const { rows } = await pool.query(
      'select * from compounds where county_code = $1 and grid_id is not null order by id limit 1',
      [COUNTY],
    );
    const q = rows[0];
    const card = await json(`/api/areas/compound/${q.id}`);
    expect(card.attributes).toMatchObject({
      type: q.type,
      era: q.era,
      facilityLevel: q.facility_level,
      propertyService: q.property_service,
      ownersCommitteeDeputy: q.owners_committee_deputy,
    });
    expect(card.figures.households).toBe(q.households);
    expect(card.parents.map((p: { level: string }) => p.level)).toEqual(['county', 'street', 'community', 'grid']);
    expectFigures(card.figures, await truth('b.compound_id = $2', [q.id]));
    const near = await pool.query(
      `select s.id from stations s, compounds q where s.county_code = $1 and q.county_code = $1 and q.id = $2
         and st_dwithin(q.geom::geography, s.geom::geography, 300) order by s.id`,
      [COUNTY, q.id],
    );
    expect(card.nearbyStations.map((s: { id: string }) => s.id).sort()).toEqual(near.rows.map((r) => r.id));
    expect(card.children.items).toHaveLength(card.figures.buildings);
  });

  it('compound split across grids: no grid in its chain, households of all its buildings', async () => {
    const { rows } = await pool.query(
      'select id, households from compounds where county_code = $1 and grid_id is null order by id limit 1',
      [COUNTY],
    );
    const card = await json(`/api/areas/compound/${rows[0].id}`);
    expect(card.attributes.splitAcrossGrids).toBe(true);
    expect(card.parents.map((p: { level: string }) => p.level)).toEqual(['county', 'street', 'community']);
    expect(card.figures.households).toBe(rows[0].households);
    expect(card.figures.grids).toBeGreaterThan(1);
  });

  it('building: its chain down to the compound', async () => {
    const { rows } = await pool.query('select * from buildings where county_code = $1 order by id limit 1', [COUNTY]);
    const card = await json(`/api/areas/building/${rows[0].id}`);
    expect(card.parents.map((p: { id: string }) => p.id).slice(3)).toEqual([rows[0].grid_id, rows[0].compound_id]);
    expect(card.figures.households).toBe(rows[0].households);
    expect(card.attributes.floors).toBe(rows[0].floors);
    expect(card.children).toBeNull();
  });

  it('answers 404 for an unknown area or level, 400 for a malformed id', async () => {
    for (const path of [
      '/api/areas/grid/G999',
      '/api/areas/compound/Q999',
      '/api/areas/street/C01',
      '/api/areas/planet/X',
    ]) {
      const body = await json(path, 404);
      expect(errorMessage(body)).not.toBe('');
    }
    await json(`/api/areas/grid/${'x'.repeat(41)}`, 400);
  });
});

describe('GET /api/search', () => {
  it('finds a community by its Chinese name and by pinyin initials', async () => {
    const byName = await json('/api/search?q=振兴');
    expect(byName.results[0]).toMatchObject({ kind: 'community', id: 'C01', matched: 'name' });
    const byInitials = await json('/api/search?q=zxsq');
    expect(byInitials.results[0]).toMatchObject({
      kind: 'community',
      id: 'C01',
      name: '振兴社区',
      matched: 'initials',
    });
  });

  it('finds a compound by pinyin initials and a grid by code', async () => {
    const { rows } = await pool.query("select id, name from compounds where county_code = $1 and name = '润丰新村'", [
      COUNTY,
    ]);
    const body = await json('/api/search?q=rfxc&limit=50');
    expect(body.results.map((r: { id: string }) => r.id)).toContain(rows[0].id);
    const grid = await pool.query('select id, code from grids where county_code = $1 and id = $2', [COUNTY, 'G012']);
    const byCode = await json(`/api/search?q=${encodeURIComponent(grid.rows[0].code)}`);
    expect(byCode.results[0]).toMatchObject({ kind: 'grid', id: 'G012', matched: 'code' });
  });

  it('finds a station by its name and by the pinyin initials of its name', async () => {
    const { rows } = await pool.query(
      "select id, name from stations where county_code = $1 and name like '%微客厅%' order by id limit 1",
      [COUNTY],
    );
    expect(rows).toHaveLength(1);
    const name: string = rows[0].name;
    const body = await json(`/api/search?q=${encodeURIComponent(name)}&limit=50`);
    expect(body.results.map((r: { id: string }) => r.id)).toContain(rows[0].id);
    // 微客厅 → wkt, written out here (not computed by the server's own function).
    const byInitials = await json('/api/search?q=wkt&limit=50');
    const hit = byInitials.results.find((r: { id: string }) => r.id === rows[0].id);
    expect(hit).toMatchObject({ kind: 'station', matched: 'initials' });
  });

  it('finds stations, honours limit, and says nothing matched with an empty list', async () => {
    const body = await json('/api/search?q=微客厅&limit=3');
    expect(body.results).toHaveLength(3);
    expect(body.results.every((r: { kind: string }) => r.kind === 'station')).toBe(true);
    expect((await json('/api/search?q=不存在的地方')).results).toEqual([]);
    // The county code every code starts with (640323-…) is not matched: "2" finds C02, not every community.
    const digit = await json('/api/search?q=2&limit=50');
    expect(
      digit.results.filter((r: { kind: string }) => r.kind === 'community').map((r: { id: string }) => r.id),
    ).toEqual(['C02']);
  });

  it('refuses an empty, missing or too long q and a bad limit', async () => {
    for (const q of ['?q=', '?q=%20%20', '', `?q=${'a'.repeat(51)}`, '?q=zx&limit=0', '?q=zx&limit=51']) {
      const body = await json(`/api/search${q}`, 400);
      expect(errorMessage(body)).toMatch(/q|limit/);
    }
  });
});

describe('GET /api/coverage', () => {
  it('lists exactly the compounds PostGIS finds farther than the distance from every station', async () => {
    for (const distance of [100, 300, 500]) {
      const body = await json(`/api/coverage?distance=${distance}`);
      if (distance === 100) expect(body.uncovered.length).toBeGreaterThan(10);
      const { rows } = await pool.query(
        `select q.id from compounds q where q.county_code = $1 and not exists (select 1 from stations s
           where s.county_code = q.county_code and st_dwithin(q.geom::geography, s.geom::geography, $2)) order by q.id`,
        [COUNTY, distance],
      );
      expect(body.uncovered.map((u: { id: string }) => u.id).sort()).toEqual(rows.map((r) => r.id));
      const covered = await one(
        `select sum(b.households) filter (where exists (select 1 from stations s join compounds q on q.county_code = s.county_code
            and q.id = b.compound_id where s.county_code = b.county_code and st_dwithin(q.geom::geography, s.geom::geography, $2))) as covered,
           sum(b.households) as total from buildings b where b.county_code = $1`,
        [distance],
      );
      expect(body.county.households).toBe(covered.total);
      expect(body.county.coveredHouseholds).toBe(covered.covered);
      expect(body.county.share).toBeCloseTo(covered.covered / covered.total, 10);
      expect(body.grids).toHaveLength(116);
      expect(body.grids.reduce((n: number, g: { coveredHouseholds: number }) => n + g.coveredHouseholds, 0)).toBe(
        covered.covered,
      );
    }
  });

  it('defaults to 500 m and refuses distances outside 50–5000', async () => {
    expect((await json('/api/coverage')).distanceM).toBe(500);
    for (const d of ['49', '5001', 'abc', '100.5']) await json(`/api/coverage?distance=${d}`, 400);
  });
});

describe('personal data', () => {
  it('no answer carries a person’s name, phone or personal field', async () => {
    const { rows } = await pool.query('select name, phone from people where county_code = $1', [COUNTY]);
    const names = new Set(rows.map((r) => r.name));
    const phones = rows.map((r) => r.phone).filter(Boolean);
    const forbiddenKeys =
      /^(phone|gender|birth_?year|birthYear|head_?id|headId|leader_?id|leaderId|roles|person|people)$/i;
    const strings: string[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === 'string') strings.push(v);
      else if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          expect(k).not.toMatch(forbiddenKeys);
          walk(x);
        }
      }
    };
    expect(bodies.length).toBeGreaterThan(10);
    bodies.forEach(walk);
    expect(strings.filter((s) => names.has(s))).toEqual([]);
    const text = JSON.stringify(bodies);
    expect(phones.filter((p) => text.includes(p))).toEqual([]);
  });
});
