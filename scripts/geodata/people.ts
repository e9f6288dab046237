// People: county leaders, street cadres, community staff, auxiliary and rider grid workers, and the
// registered party members in building party groups (red stewards and in-service members among them).
import { GIVEN_CHARS, SURNAME_WEIGHTS, SURNAMES } from './names.js';
import type { Rng } from './prng.js';
import { apportion } from './prng.js';
import type { Building, Compound, Grid } from './types.js';

export const FIG = {
  leaders: 10,
  cadres: 43,
  staff: 212,
  auxiliary: 483,
  riders: 83,
  stewards: 841,
};

export interface Person {
  idx: number;
  name: string;
  phone: string;
  gender: 'M' | 'F';
  birth_year: number;
  roles: string[];
  buildingIdx: number;
  party_member: boolean;
  in_service: boolean;
  red_steward: boolean;
}

export interface PeopleOut {
  people: Person[];
  leaderOfCommunity: number[]; // person idx per community
  headOfGrid: number[]; // person idx per grid
}

/** Sampler over buildings weighted by households (cumulative table + binary search). */
function sampler(rng: Rng, bs: Building[], w: (b: Building) => number): () => Building {
  const cum: number[] = [];
  let t = 0;
  for (const b of bs) cum.push((t += w(b)));
  return () => {
    const r = rng.next() * t;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] > r) hi = mid;
      else lo = mid + 1;
    }
    return bs[lo];
  };
}

/** `phones` is shared across towns so numbers stay unique at --scale N (a DB may index them). */
export function makePeople(
  rng: Rng,
  grids: Grid[],
  compounds: Compound[],
  buildings: Building[],
  streetOfGrid: (g: Grid) => number,
  phones: Set<string>,
): PeopleOut {
  const people: Person[] = [];
  const byGrid: Building[][] = grids.map(() => []);
  for (const b of buildings) byGrid[b.gridIdx].push(b);
  const anyBuilding = sampler(rng, buildings, (b) => b.households);
  const inGrid = (g: number): Building => byGrid[g][rng.int(0, byGrid[g].length - 1)];
  const elderly = (b: Building): boolean => compounds[b.compoundIdx].type === 'old';

  const add = (roles: string[], b: Building, born: [number, number], partyP: number): Person => {
    const gender = rng.chance(0.5) ? 'M' : 'F';
    let phone: string;
    do
      phone =
        rng.pick([
          '130',
          '133',
          '135',
          '136',
          '138',
          '139',
          '150',
          '151',
          '152',
          '158',
          '170',
          '177',
          '180',
          '186',
          '187',
          '189',
          '191',
          '199',
        ]) + String(rng.int(0, 99_999_999)).padStart(8, '0');
    while (phones.has(phone));
    phones.add(phone);
    const given =
      GIVEN_CHARS[rng.int(0, GIVEN_CHARS.length - 1)] +
      (rng.chance(0.7) ? GIVEN_CHARS[rng.int(0, GIVEN_CHARS.length - 1)] : '');
    const party = rng.chance(partyP);
    const p: Person = {
      idx: people.length,
      name: SURNAMES[rng.weighted(SURNAME_WEIGHTS)] + given,
      phone,
      gender,
      birth_year: rng.int(born[0], born[1]),
      roles: party ? ['party_member', ...roles] : roles,
      buildingIdx: b.idx,
      party_member: party,
      in_service: false,
      red_steward: false,
    };
    people.push(p);
    return p;
  };

  const nComm = Math.max(...grids.map((g) => g.communityIdx)) + 1;
  const leaderOfCommunity = Array.from(
    { length: nComm },
    () => add(['county_leader'], anyBuilding(), [1966, 1978], 1).idx,
  );

  // street cadres: split by street in proportion to grids, each heading a run of consecutive grids
  const headOfGrid: number[] = grids.map(() => -1);
  const nStreets = Math.max(...grids.map(streetOfGrid)) + 1;
  const streetGrids = Array.from({ length: nStreets }, (_, s) => grids.filter((g) => streetOfGrid(g) === s));
  const cadresPer = apportion(
    FIG.cadres,
    streetGrids.map((l) => l.length),
    1,
  );
  streetGrids.forEach((list, s) => {
    const runs = apportion(
      list.length,
      Array.from({ length: cadresPer[s] }, () => 1),
      1,
    );
    let k = 0;
    for (const run of runs) {
      const cadre = add(['street_cadre'], inGrid(list[k].idx), [1972, 1996], 1);
      for (let q = 0; q < run; q++, k++) headOfGrid[list[k].idx] = cadre.idx;
    }
  });

  // community staff by community (two committees + full-time grid workers), auxiliaries per grid, riders
  const gridsOf = Array.from({ length: nComm }, (_, c) => grids.filter((g) => g.communityIdx === c));
  apportion(
    FIG.staff,
    gridsOf.map((l) => l.length),
    1,
  ).forEach((n, c) => {
    for (let k = 0; k < n; k++)
      add(['community_staff'], inGrid(gridsOf[c][k % gridsOf[c].length].idx), [1972, 1999], 0.7);
  });
  apportion(
    FIG.auxiliary,
    grids.map(() => 1),
    1,
  ).forEach((n, g) => {
    for (let k = 0; k < n; k++) add(['auxiliary_worker'], inGrid(g), [1960, 1998], 0.3);
  });
  for (let k = 0; k < FIG.riders; k++) add(['rider_worker'], inGrid(rng.int(0, grids.length - 1)), [1985, 2004], 0.1);

  // registered party members: 4,1xx in total, the rest live in the compounds as residents
  const totalParty = rng.int(4_110, 4_190);
  const resident = (b: Building, roles: string[]): Person => {
    const p = add(roles, b, elderly(b) ? [1938, 1975] : [1950, 2002], 1);
    return p;
  };
  // red stewards: one per chosen building, every grid first, then weighted by households
  const stewardBuildings = new Set<number>();
  for (let g = 0; g < grids.length; g++) stewardBuildings.add(sampler(rng, byGrid[g], (b) => b.households)().idx);
  const weighted = sampler(rng, buildings, (b) => b.households);
  while (stewardBuildings.size < FIG.stewards) stewardBuildings.add(weighted().idx);
  for (const bi of [...stewardBuildings].sort((a, b) => a - b)) {
    const p = resident(buildings[bi], ['red_steward']);
    p.red_steward = true;
  }
  let partyNow = people.filter((p) => p.party_member).length;
  const plain: Person[] = [];
  while (partyNow < totalParty) {
    plain.push(resident(weighted(), []));
    partyNow++;
  }
  // in-service members (organ employees reporting to their home community)
  const inService = rng.int(2_110, 2_190);
  rng
    .shuffle([...plain])
    .slice(0, inService)
    .forEach((p) => {
      p.in_service = true;
      p.roles.push('in_service_member');
      if (p.birth_year < 1966) p.birth_year = rng.int(1968, 1998); // still of working age
    });
  return { people, leaderOfCommunity, headOfGrid };
}
