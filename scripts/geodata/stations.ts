// Party-mass service stations: 19 red micro living rooms in compounds, 4 red warm "new" posts on
// the sidewalks of the primary roads, 42 grid centres / outdoor-worker posts spread over the grids.
import { centre, inRect, type Pos } from './geo.js';
import type { Network } from './network.js';
import type { Rng } from './prng.js';
import type { Compound, Grid } from './types.js';
import type { StationFacility } from '../../shared/map/kinds.ts';

export const N_MICRO = 19;
export const N_POST = 4;
export const N_CENTRE = 42;

export interface Station {
  kind: 'micro_living_room' | 'street_post' | 'grid_centre';
  name: string;
  name_en: string;
  pos: Pos;
  gridIdx: number;
  communityIdx: number;
  facilities: StationFacility[];
}

// Every post has a water dispenser and seats (the report); the rest by kind. The services the social
// organisations bring (保健理疗, 心理咨询, 老年配餐) rotate over the rooms and centres by number, without the
// random stream, so the rest of the data set stays as it was.
const BASIC: StationFacility[] = ['water_dispenser', 'seats'];
const FOR_OUTDOOR_WORKERS: StationFacility[] = [...BASIC, 'phone_charging', 'microwave', 'first_aid'];
const SERVICES: StationFacility[][] = [
  ['health_therapy', 'elderly_meals'],
  ['counselling'],
  ['elderly_meals'],
  ['health_therapy', 'counselling'],
];
const withServices = (base: StationFacility[], k: number): StationFacility[] => [
  ...base,
  ...SERVICES[k % SERVICES.length],
];

export function gridAt(grids: Grid[], p: Pos): Grid {
  const g = grids.find((x) => inRect(p, x.rect));
  if (!g) throw new Error(`no grid at ${p}`);
  return g;
}

export function makeStations(
  rng: Rng,
  net: Network,
  grids: Grid[],
  compounds: Compound[],
  gridName: (g: Grid) => [string, string],
): Station[] {
  const out: Station[] = [];
  // micro living rooms: round-robin over communities, in a corner of the compound's yard
  const nComm = Math.max(...grids.map((g) => g.communityIdx)) + 1;
  const pools = Array.from({ length: nComm }, (_, c) => rng.shuffle(compounds.filter((q) => q.communityIdx === c)));
  for (let k = 0; out.length < N_MICRO; k++) {
    const q = pools[k % nComm].pop();
    if (!q) continue;
    const pos: Pos = [q.rect.x0 + 4, q.rect.y0 + 4];
    const g = gridAt(grids, pos);
    out.push({
      kind: 'micro_living_room',
      name: `${q.name}红色微客厅`,
      name_en: `${q.name_en} Red Micro Living Room`,
      pos,
      gridIdx: g.idx,
      communityIdx: g.communityIdx,
      facilities: withServices([...BASIC, 'reading'], out.length),
    });
  }
  // street posts: sidewalks of the two through highways
  const ns = net.roads.find((r) => r.cls === 'primary' && r.from[1] === 0)!;
  const ew = net.roads.find((r) => r.cls === 'primary' && r.from[0] === 0)!;
  const posts: { pos: Pos; road: typeof ns }[] = [
    { pos: [ns.from[0] + ns.halfWidth + 1.5, (net.ys[2] + net.ys[3]) / 2], road: ns },
    { pos: [ns.from[0] - ns.halfWidth - 1.5, (net.ys[7] + net.ys[8]) / 2], road: ns },
    { pos: [(net.xs[2] + net.xs[3]) / 2, ew.from[1] + ew.halfWidth + 1.5], road: ew },
    { pos: [(net.xs[8] + net.xs[9]) / 2, ew.from[1] - ew.halfWidth - 1.5], road: ew },
  ];
  for (const { pos, road } of posts) {
    const g = gridAt(grids, pos);
    out.push({
      kind: 'street_post',
      name: `${road.name}红色暖“新”驿站`,
      name_en: `${road.name_en} Red Warm "New" Post`,
      pos,
      gridIdx: g.idx,
      communityIdx: g.communityIdx,
      facilities: FOR_OUTDOOR_WORKERS,
    });
  }
  // grid centres: farthest-point sampling over grid centres keeps them spread out
  const cs = grids.map((g) => centre(g.rect));
  const chosen: number[] = [rng.int(0, grids.length - 1)];
  const dist = cs.map((c) => Math.hypot(c[0] - cs[chosen[0]][0], c[1] - cs[chosen[0]][1]));
  while (chosen.length < N_CENTRE) {
    let best = 0;
    for (let i = 1; i < dist.length; i++) if (dist[i] > dist[best]) best = i;
    chosen.push(best);
    for (let i = 0; i < dist.length; i++)
      dist[i] = Math.min(dist[i], Math.hypot(cs[i][0] - cs[best][0], cs[i][1] - cs[best][1]));
  }
  chosen
    .sort((a, b) => a - b)
    .forEach((gi, k) => {
      const g = grids[gi];
      const b = g.cell.block;
      const x0 = Math.max(b.x0, g.rect.x0);
      const x1 = Math.min(b.x1, g.rect.x1);
      const pos: Pos = [(x0 + x1) / 2, b.y0 - 1.5]; // on the sidewalk at the block's south side
      const [gz, ge] = gridName(g);
      const outdoor = k % 3 === 2;
      out.push({
        kind: 'grid_centre',
        name: outdoor ? `${gz}户外劳动者驿站` : `${gz}党群服务中心`,
        name_en: outdoor ? `${ge} Outdoor Workers' Post` : `${ge} Party-Mass Service Centre`,
        pos,
        gridIdx: g.idx,
        communityIdx: g.communityIdx,
        facilities: outdoor ? FOR_OUTDOOR_WORKERS : withServices(BASIC, k),
      });
    });
  return out;
}
