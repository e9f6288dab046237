// The demo data set reproduces the report's figures (docs/domain.md) and the file contract
// (docs/data-model.md). Reads the committed files in geodata/yanchi.
import { describe, expect, it } from 'vitest';
import { count, load, sum } from './geodata-load';

const d = load();
const byId = <T extends { id: string }>(xs: T[]) => new Map(xs.map((x) => [x.id, x]));
const grids = byId(d.grids.map((f) => f.properties));
const compounds = byId(d.compounds.map((f) => f.properties));
const buildings = byId(d.buildings.map((f) => f.properties));
const communities = byId(d.communities.map((f) => f.properties));
const people = byId(d.people);
const withRole = (r: string) => d.people.filter((p) => p.roles.includes(r));
type Building = (typeof d.buildings)[number]['properties'];
/** Households and population of the buildings, summed by the area `areaOf` names. */
function buildingSums(areaOf: (b: Building) => string | null) {
  const hh = new Map<string | null, number>();
  const pop = new Map<string | null, number>();
  for (const b of buildings.values()) {
    hh.set(areaOf(b), (hh.get(areaOf(b)) ?? 0) + b.households);
    pop.set(areaOf(b), (pop.get(areaOf(b)) ?? 0) + b.population);
  }
  return { hh, pop };
}

describe('file contract', () => {
  it('every feature carries its id twice and ids are unique', () => {
    for (const [name, fs] of Object.entries(d)) {
      if (!Array.isArray(fs) || !fs.length) throw new Error(`${name} empty`);
      const ids = fs.map((f: any) => (f.type === 'Feature' ? f.properties.id : f.id));
      expect(new Set(ids).size, name).toBe(fs.length);
      for (const f of fs as any[]) if (f.type === 'Feature') expect(f.id, name).toBe(f.properties.id);
    }
  });
  it('id formats', () => {
    expect(d.streets[0].id).toMatch(/^S\d{2}$/);
    expect(d.communities.every((f) => /^C\d{2}$/.test(f.id))).toBe(true);
    expect(d.grids.every((f) => /^G\d{3}$/.test(f.id))).toBe(true);
    expect(d.compounds.every((f) => /^Q\d{3}$/.test(f.id))).toBe(true);
    expect(d.buildings.every((f) => /^B\d{4}$/.test(f.id))).toBe(true);
  });
});

describe('streets and communities', () => {
  it('one or two streets including 花马池镇', () => {
    expect(d.streets.length).toBeGreaterThanOrEqual(1);
    expect(d.streets.length).toBeLessThanOrEqual(2);
    expect(d.streets.map((s) => s.properties.name)).toContain('花马池镇');
  });
  it('exactly 10 communities, 振兴社区 and 龙辰社区 real, the rest synthetic', () => {
    expect(d.communities).toHaveLength(10);
    const real = d.communities
      .filter((c) => c.properties.synthetic_name === false)
      .map((c) => c.properties.name)
      .sort();
    expect(real).toEqual(['振兴社区', '龙辰社区'].sort());
    expect(count(d.communities, (c) => c.properties.synthetic_name === true)).toBe(8);
    const streetIds = new Set(d.streets.map((s) => s.id));
    for (const c of d.communities) expect(streetIds.has(c.properties.street_id)).toBe(true);
    expect(new Set(d.communities.map((c) => c.properties.name)).size).toBe(10);
  });
  it('each community has a county leader as 网格长, each leader heads exactly one community', () => {
    const leaders = withRole('county_leader');
    expect(leaders).toHaveLength(10);
    const ids = d.communities.map((c) => c.properties.leader_id);
    expect(new Set(ids).size).toBe(10);
    for (const id of ids) expect(people.get(id)?.roles).toContain('county_leader');
    for (const l of leaders) expect(count(ids, (x) => x === l.id)).toBe(1);
  });
});

describe('grids', () => {
  const gs = d.grids.map((f) => f.properties);
  it('exactly 116 grids of 300-500 households, about 45,000 in total', () => {
    expect(gs).toHaveLength(116);
    for (const g of gs) {
      expect(g.households).toBeGreaterThanOrEqual(300);
      expect(g.households).toBeLessThanOrEqual(500);
    }
    const total = sum(gs.map((g) => g.households));
    expect(total).toBeGreaterThanOrEqual(44_000);
    expect(total).toBeLessThanOrEqual(46_000);
  });
  it('households and population equal the sums of their buildings', () => {
    const { hh, pop } = buildingSums((b) => b.grid_id);
    for (const g of gs) {
      expect(hh.get(g.id), g.id).toBe(g.households);
      expect(pop.get(g.id), g.id).toBe(g.population);
    }
  });
  it('names, codes, party branches, community and head', () => {
    for (const g of gs) {
      expect(communities.has(g.community_id)).toBe(true);
      const c = communities.get(g.community_id)!;
      expect(g.name).toMatch(new RegExp(`^${c.name}第\\d+网格$`));
      expect(g.name_en).toMatch(/ Grid \d+$/);
      expect(g.code).toMatch(new RegExp(`^640323-${c.id}-\\d{2}$`));
      expect(g.party_branch).toBe(`${g.name}党支部`);
      expect(people.get(g.head_id)?.roles).toContain('street_cadre');
    }
    expect(new Set(gs.map((g) => g.code)).size).toBe(116);
    expect(new Set(gs.map((g) => g.name)).size).toBe(116);
  });
  it('43 street cadres, each heading at least one grid', () => {
    const cadres = withRole('street_cadre');
    expect(cadres).toHaveLength(43);
    const heads = new Set(gs.map((g) => g.head_id));
    for (const c of cadres) expect(heads.has(c.id), c.id).toBe(true);
  });
});

describe('compounds', () => {
  const qs = d.compounds.map((f) => f.properties);
  it('185 compounds of the four types', () => {
    expect(qs).toHaveLength(185);
    const types = new Set(qs.map((q) => q.type));
    expect([...types].sort()).toEqual(['commercial_residential', 'old', 'transitional', 'work_unit']);
    for (const t of types) expect(count(qs, (q) => q.type === t)).toBeGreaterThanOrEqual(15);
  });
  it('attributes consistent with the type', () => {
    for (const q of qs) {
      expect(q.service_needs.length).toBeGreaterThan(0);
      expect(q.era).toMatch(/^\d{4}s$/);
      if (q.type === 'old') {
        expect(q.built_year).toBeLessThan(2000);
        expect(['poor', 'basic']).toContain(q.facility_level);
        expect(q.resident_type).toBe('elderly_original_residents');
        expect(q.service_needs).toContain('elderly_care');
      }
      if (q.type === 'commercial_residential') {
        expect(q.era).toBe('2010s');
        expect(q.facility_level).toBe('complete');
        expect(q.property_service).toBe('property_company');
      }
      if (q.type === 'transitional') expect(q.resident_type).toBe('resettled_migrants');
      if (q.type === 'work_unit') expect(q.resident_type).toBe('unit_staff_and_retirees');
    }
  });
  it('no compound without property service; 17 owners-committee deputies', () => {
    for (const q of qs) expect(typeof q.property_service === 'string' && q.property_service.length > 0).toBe(true);
    expect(count(qs, (q) => q.owners_committee_deputy === true)).toBe(17);
    expect(count(qs, (q) => typeof q.owners_committee_deputy !== 'boolean')).toBe(0);
  });
  it('population is 2.5-3 times households and sums its buildings', () => {
    const { hh, pop } = buildingSums((b) => b.compound_id);
    for (const q of qs) {
      expect(q.population / q.households).toBeGreaterThanOrEqual(2.5);
      expect(q.population / q.households).toBeLessThanOrEqual(3.0);
      expect(hh.get(q.id), q.id).toBe(q.households);
      expect(pop.get(q.id), q.id).toBe(q.population);
    }
  });
  it('whole unless over 500 households; big ones split by buildings across at least 2 grids', () => {
    const big = qs.filter((q) => q.households > 500);
    expect(big.length).toBeGreaterThanOrEqual(5);
    for (const q of qs) {
      const bg = new Set([...buildings.values()].filter((b) => b.compound_id === q.id).map((b) => b.grid_id));
      if (q.households > 500) {
        expect(q.grid_id).toBeNull();
        expect(bg.size).toBeGreaterThanOrEqual(2);
      } else {
        expect(grids.has(q.grid_id)).toBe(true);
        expect([...bg]).toEqual([q.grid_id]);
      }
      for (const g of bg) expect(grids.get(g)!.community_id).toBe(q.community_id);
    }
  });
});

describe('buildings', () => {
  const bs = d.buildings.map((f) => f.properties);
  it('1,500-2,500 buildings with households, floors and form', () => {
    expect(bs.length).toBeGreaterThanOrEqual(1_500);
    expect(bs.length).toBeLessThanOrEqual(2_500);
    for (const b of bs) {
      expect(['slab', 'tower', 'low']).toContain(b.form);
      expect(b.households).toBeGreaterThanOrEqual(1);
      expect(b.floors).toBeGreaterThanOrEqual(1);
      expect(compounds.has(b.compound_id)).toBe(true);
      if (b.form === 'low') expect(b.floors).toBeLessThanOrEqual(2);
      if (b.form === 'tower') expect(b.floors).toBeGreaterThanOrEqual(12);
    }
    const total = sum(bs.map((b) => b.households));
    expect(total).toBe(sum(d.grids.map((g) => g.properties.households)));
  });
});

describe('stations', () => {
  const ss = d.stations.map((f) => f.properties);
  it('19 micro living rooms, 4 street posts, 42 grid centres', () => {
    expect(count(ss, (s) => s.kind === 'micro_living_room')).toBe(19);
    expect(count(ss, (s) => s.kind === 'street_post')).toBe(4);
    expect(count(ss, (s) => s.kind === 'grid_centre')).toBe(42);
    expect(ss).toHaveLength(65);
  });
  it('community and grid agree; grid centres in 42 different grids', () => {
    for (const s of ss) {
      expect(s.name.length).toBeGreaterThan(0);
      expect(s.name_en.length).toBeGreaterThan(0);
      expect(grids.get(s.grid_id)?.community_id).toBe(s.community_id);
    }
    expect(new Set(ss.filter((s) => s.kind === 'grid_centre').map((s) => s.grid_id)).size).toBe(42);
  });
});

describe('people', () => {
  const ps = d.people;
  const party = ps.filter((p) => p.party_member);
  it('4,100+ party members, each in a building party group', () => {
    expect(party.length).toBeGreaterThanOrEqual(4_100);
    expect(party.length).toBeLessThan(4_200);
    expect(withRole('party_member')).toHaveLength(party.length);
    for (const p of party) {
      const b = buildings.get(p.building_id);
      expect(b, p.id).toBeDefined();
      expect(p.grid_id).toBe(b!.grid_id);
      expect(p.community_id).toBe(grids.get(b!.grid_id)!.community_id);
    }
  });
  it('exactly 841 red stewards: party members, at most one per building, in every grid', () => {
    const st = ps.filter((p) => p.red_steward);
    expect(st).toHaveLength(841);
    expect(withRole('red_steward')).toHaveLength(841);
    for (const p of st) expect(p.party_member).toBe(true);
    expect(new Set(st.map((p) => p.building_id)).size).toBe(841);
    expect(new Set(st.map((p) => p.grid_id)).size).toBe(116);
  });
  it('2,100+ in-service members, all party members', () => {
    const ins = ps.filter((p) => p.in_service);
    expect(ins.length).toBeGreaterThanOrEqual(2_100);
    expect(ins.length).toBeLessThan(2_200);
    expect(withRole('in_service_member')).toHaveLength(ins.length);
    for (const p of ins) expect(p.party_member).toBe(true);
  });
  it('exact counts of staff, auxiliaries, riders, leaders and cadres', () => {
    expect(withRole('community_staff')).toHaveLength(212);
    expect(withRole('auxiliary_worker')).toHaveLength(483);
    expect(withRole('rider_worker').length).toBeGreaterThanOrEqual(80);
    expect(withRole('rider_worker').length).toBeLessThan(90);
    expect(withRole('county_leader')).toHaveLength(10);
    expect(withRole('street_cadre')).toHaveLength(43);
  });
  it('synthetic names and unique 11-digit mobile numbers', () => {
    for (const p of ps) {
      expect(p.name).toMatch(/^[\u4e00-\u9fff]{2,3}$/);
      expect(p.phone).toMatch(/^1[3-9]\d{9}$/);
      expect(['M', 'F']).toContain(p.gender);
      expect(p.birth_year).toBeGreaterThan(1930);
      expect(p.birth_year).toBeLessThan(2008);
      for (const r of p.roles)
        expect([
          'party_member',
          'red_steward',
          'in_service_member',
          'community_staff',
          'auxiliary_worker',
          'rider_worker',
          'county_leader',
          'street_cadre',
        ]).toContain(r);
    }
    expect(new Set(ps.map((p) => p.phone)).size).toBe(ps.length);
  });
});

describe('member units and social organisations', () => {
  it('124 units with a trade and 1-3 grids, covering every grid', () => {
    expect(d.units).toHaveLength(124);
    const covered = new Set<string>();
    for (const u of d.units) {
      expect(u.trade.length).toBeGreaterThan(0);
      expect(u.grid_ids.length).toBeGreaterThanOrEqual(1);
      expect(u.grid_ids.length).toBeLessThanOrEqual(3);
      for (const g of u.grid_ids) {
        expect(grids.has(g)).toBe(true);
        covered.add(g);
      }
    }
    expect(covered.size).toBe(116);
    expect(new Set(d.units.map((u) => u.name)).size).toBe(124);
  });
  it('85 social organisations, each in a community', () => {
    expect(d.orgs).toHaveLength(85);
    for (const o of d.orgs) {
      expect(communities.has(o.community_id)).toBe(true);
      expect(o.service.length).toBeGreaterThan(0);
    }
    const services = new Set(d.orgs.map((o) => o.service));
    for (const s of ['health_care', 'counselling', 'elderly_meals']) expect(services.has(s)).toBe(true);
  });
});

describe('basemap', () => {
  const props = d.basemap.map((f) => f.properties);
  it('named roads of three classes, blocks, water, green and landmarks', () => {
    const roads = d.basemap.filter((f) => f.properties.kind === 'road');
    expect(roads.length).toBeGreaterThanOrEqual(15);
    for (const r of roads) {
      expect(r.geometry.type).toBe('LineString');
      expect(r.properties.name).toMatch(/[路街]$/);
      expect(r.properties.name_en).toMatch(/ (Rd|St)$/);
    }
    expect(new Set(roads.map((r) => r.properties.class))).toEqual(new Set(['primary', 'secondary', 'residential']));
    expect(roads.map((r) => r.properties.name)).toContain('盐州路');
    for (const k of ['block', 'water', 'green'])
      expect(
        count(props, (p) => p.kind === k),
        k,
      ).toBeGreaterThan(0);
    const lm = props.filter((p) => p.kind === 'landmark');
    for (const c of ['government', 'hospital', 'school', 'market'])
      expect(
        count(lm, (p) => p.class === c),
        c,
      ).toBeGreaterThan(0);
    expect(lm.map((p) => p.name)).toContain('盐池县人民政府');
    for (const p of lm) expect(p.name.length).toBeGreaterThan(0);
  });
});
