// Deterministic synthetic demo data for gridlink (示例数据). Usage:
//   npx tsx scripts/geodata/generate.ts [--scale N] [--out DIR] [--seed S]
// Scale N lays N towns side by side (ids prefixed T001-, T002-, ...); the committed set is scale 1.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CountyManifest, DEFAULT_GRID_BOUNDS } from '../../shared/county-manifest.ts';
import { makeBasemap } from './basemap.js';
import { makeBuildings } from './buildings.js';
import { layoutCompounds } from './compounds.js';
import { rectRing, ringToLonLat, TOWN_SIZE, toLonLat, unionRects, type PolygonCoords, type Rect } from './geo.js';
import { gridNaming, hierarchyFeatures } from './grids.js';
import { COMMUNITIES } from './names.js';
import { buildNetwork } from './network.js';
import { makePeople } from './people.js';
import { makePlan } from './plan.js';
import { mulberry32, pad } from './prng.js';
import { makeStations } from './stations.js';
import type { Grid } from './types.js';
import { makeOrgs, makeUnits } from './units.js';
import { feature, Sink } from './write.js';

export const DEFAULT_SEED = 640323;
export const COUNTY_CODE = '640323';
const TOWN_PITCH = TOWN_SIZE + 400; // metres between neighbouring towns at scale > 1

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : dflt;
}

const FILES = ['streets', 'communities', 'grids', 'compounds', 'buildings', 'stations', 'basemap'] as const;

export function generate(out: string, scale: number, seed: number): void {
  const sinks = Object.fromEntries(FILES.map((f) => [f, new Sink(out, `${f}.geojson`, true)])) as Record<
    (typeof FILES)[number],
    Sink
  >;
  const people = new Sink(out, 'people.json', false);
  const units = new Sink(out, 'member_units.json', false);
  const orgs = new Sink(out, 'social_organisations.json', false);
  const phones = new Set<string>();
  for (let t = 0; t < scale; t++) town(t, scale, seed, sinks, people, units, orgs, phones);
  for (const s of [...Object.values(sinks), people, units, orgs]) s.close();
  writeFileSync(join(out, 'county.json'), `${JSON.stringify(MANIFEST, null, 2)}\n`);
}

/** The package manifest: made-up data, so `synthetic` puts the demo badge on every screen. */
const MANIFEST: CountyManifest = {
  format: 1,
  name: '盐池县',
  name_en: 'Yanchi County',
  code: COUNTY_CODE,
  bounds: { ...DEFAULT_GRID_BOUNDS },
  synthetic: true,
};

function town(
  t: number,
  scale: number,
  seed: number,
  sinks: Record<(typeof FILES)[number], Sink>,
  peopleSink: Sink,
  unitSink: Sink,
  orgSink: Sink,
  phones: Set<string>,
): void {
  const rng = mulberry32((seed + Math.imul(t, 0x9e3779b1)) >>> 0);
  const dx = t * TOWN_PITCH;
  const pre = scale > 1 ? `T${pad(t + 1, 3)}-` : '';
  const codePre = scale > 1 ? `${COUNTY_CODE}-T${pad(t + 1, 3)}` : COUNTY_CODE;
  const poly = (r: Rect) => ({ type: 'Polygon', coordinates: [ringToLonLat(rectRing(r), dx)] });
  const union = (rs: Rect[]) => {
    const ps: PolygonCoords[] = unionRects(rs).map((p) => p.map((ring) => ringToLonLat(ring, dx)));
    return ps.length === 1 ? { type: 'Polygon', coordinates: ps[0] } : { type: 'MultiPolygon', coordinates: ps };
  };

  const net = buildNetwork(rng);
  const plan = makePlan(rng, net);
  const { grids, cells } = plan;
  const { compounds, portions } = layoutCompounds(rng, plan);
  const buildings = makeBuildings(rng, compounds);

  const sid = (s: number) => `${pre}S${pad(s + 1, 2)}`;
  const cid = (c: number) => `${pre}C${pad(c + 1, 2)}`;
  const gid = (g: number) => `${pre}G${pad(g + 1, 3)}`;
  const qid = (q: number) => `${pre}Q${pad(q + 1, 3)}`;
  const bid = (b: number) => `${pre}B${pad(b + 1, 4)}`;
  const pid = (p: number) => `${pre}P${pad(p + 1, 5)}`;
  const streetOfGrid = (g: Grid) => g.cell.streetIdx;
  const naming = gridNaming(grids);
  const gridName = (g: Grid): [string, string] => [naming(g).name, naming(g).name_en];
  const sum = (xs: number[]) => xs.reduce((s, v) => s + v, 0);

  const { people, leaderOfCommunity, headOfGrid } = makePeople(rng, grids, compounds, buildings, streetOfGrid, phones);
  const stations = makeStations(rng, net, grids, compounds, gridName);

  const h = hierarchyFeatures(
    grids,
    cells,
    buildings,
    leaderOfCommunity,
    headOfGrid,
    { sid, cid, gid, pid, codePre, county: COUNTY_CODE },
    { poly, union },
  );
  h.streets.forEach((f) => sinks.streets.add(f));
  h.communities.forEach((f) => sinks.communities.add(f));
  h.grids.forEach((f) => sinks.grids.add(f));
  for (const q of compounds) {
    sinks.compounds.add(
      feature(
        qid(q.idx),
        {
          name: q.name,
          name_en: q.name_en,
          type: q.type,
          era: q.era,
          built_year: q.builtYear,
          facility_level: q.facility,
          resident_type: q.residentType,
          service_needs: q.needs,
          households: q.households,
          population: sum(buildings.filter((b) => b.compoundIdx === q.idx).map((b) => b.population)),
          property_service: q.property,
          owners_committee_deputy: q.deputy,
          community_id: cid(q.communityIdx),
          grid_id: q.gridIdx === null ? null : gid(q.gridIdx),
        },
        poly(q.rect),
      ),
    );
  }
  for (const b of buildings) {
    sinks.buildings.add(
      feature(
        bid(b.idx),
        {
          name: `${compounds[b.compoundIdx].name}${b.no}号楼`,
          compound_id: qid(b.compoundIdx),
          grid_id: gid(b.gridIdx),
          households: b.households,
          population: b.population,
          floors: b.floors,
          form: b.form,
        },
        poly(b.rect),
      ),
    );
  }
  stations.forEach((s, k) => {
    sinks.stations.add(
      feature(
        `${pre}ST${pad(k + 1, 2)}`,
        {
          name: s.name,
          name_en: s.name_en,
          kind: s.kind,
          community_id: cid(s.communityIdx),
          grid_id: gid(s.gridIdx),
          facilities: s.facilities,
        },
        { type: 'Point', coordinates: toLonLat(s.pos[0] + dx, s.pos[1]) },
      ),
    );
  });
  makeBasemap(rng, net, cells, portions).forEach((f, k) => {
    const geometry = f.line
      ? { type: 'LineString', coordinates: f.line.map(([x, y]) => toLonLat(x + dx, y)) }
      : { type: 'Polygon', coordinates: [ringToLonLat(f.ring!, dx)] };
    sinks.basemap.add(
      feature(
        `${pre}M${pad(k + 1, 3)}`,
        { kind: f.kind, class: f.cls, name: f.name, name_en: f.name_en, ...(f.width ? { width_m: f.width } : {}) },
        geometry,
      ),
    );
  });
  for (const p of people) {
    const b = buildings[p.buildingIdx];
    peopleSink.add({
      id: pid(p.idx),
      name: p.name,
      phone: p.phone,
      gender: p.gender,
      birth_year: p.birth_year,
      roles: p.roles,
      building_id: bid(b.idx),
      grid_id: gid(b.gridIdx),
      community_id: cid(grids[b.gridIdx].communityIdx),
      party_member: p.party_member,
      in_service: p.in_service,
      red_steward: p.red_steward,
    });
  }
  makeUnits(rng, grids).forEach((u, k) =>
    unitSink.add({
      id: `${pre}U${pad(k + 1, 3)}`,
      name: u.name,
      name_en: u.name_en,
      trade: u.trade,
      grid_ids: u.gridIdx.map(gid),
    }),
  );
  makeOrgs(
    rng,
    COMMUNITIES.map((c) => [c.name[0], c.name[1]]),
  ).forEach((o, k) =>
    orgSink.add({
      id: `${pre}O${pad(k + 1, 2)}`,
      name: o.name,
      name_en: o.name_en,
      service: o.service,
      community_id: cid(o.communityIdx),
    }),
  );
}

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop()!);
if (isMain) {
  const scale = Number(arg('scale', '1'));
  const out = arg('out', 'geodata/yanchi');
  const seed = Number(arg('seed', String(DEFAULT_SEED)));
  if (!Number.isInteger(scale) || scale < 1) throw new Error('--scale must be a positive integer');
  generate(out, scale, seed);
  console.log(`geodata: scale ${scale}, seed ${seed} -> ${out}`);
}
