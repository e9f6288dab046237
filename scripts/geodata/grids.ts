// The administrative hierarchy as features: streets and communities are exact unions of their
// grids' polygons; grids are named per community (振兴社区第3网格) with a party branch and a head.
import { pad } from './prng.js';
import type { Rect } from './geo.js';
import { COMMUNITIES, STREETS } from './names.js';
import type { Building, Cell, Grid } from './types.js';
import { feature } from './write.js';

export interface Ids {
  sid: (i: number) => string;
  cid: (i: number) => string;
  gid: (i: number) => string;
  pid: (i: number) => string;
  codePre: string; // 640323, or 640323-T002 at scale > 1
  county: string;
}

export interface Geom {
  poly: (r: Rect) => unknown;
  union: (rs: Rect[]) => unknown;
}

/** Grid number within its community (grids are ordered by community) and its names. */
export function gridNaming(grids: Grid[]): (g: Grid) => { no: number; name: string; name_en: string } {
  const no = grids.map((g) => grids.filter((x) => x.communityIdx === g.communityIdx && x.idx <= g.idx).length);
  return (g) => {
    const [zh, en] = COMMUNITIES[g.communityIdx].name;
    return { no: no[g.idx], name: `${zh}第${no[g.idx]}网格`, name_en: `${en} Grid ${no[g.idx]}` };
  };
}

export function hierarchyFeatures(
  grids: Grid[],
  cells: Cell[],
  buildings: Building[],
  leaderOfCommunity: number[],
  headOfGrid: number[],
  ids: Ids,
  geom: Geom,
): { streets: unknown[]; communities: unknown[]; grids: unknown[] } {
  const hh = grids.map(() => 0);
  const pop = grids.map(() => 0);
  for (const b of buildings) {
    hh[b.gridIdx] += b.households;
    pop[b.gridIdx] += b.population;
  }
  const sum = (gs: Grid[], v: number[]) => gs.reduce((s, g) => s + v[g.idx], 0);
  const commStreet = COMMUNITIES.map((_, c) => cells.find((x) => x.communityIdx === c)!.streetIdx);
  const naming = gridNaming(grids);
  return {
    streets: STREETS.map((s, k) => {
      const gs = grids.filter((g) => g.cell.streetIdx === k);
      return feature(
        ids.sid(k),
        {
          code: `${ids.codePre}-S${pad(k + 1, 2)}`,
          name: s.name[0],
          name_en: s.name[1],
          synthetic_name: s.synthetic,
          county_code: ids.county,
          households: sum(gs, hh),
          population: sum(gs, pop),
        },
        geom.union(gs.map((g) => g.rect)),
      );
    }),
    communities: COMMUNITIES.map((c, k) => {
      const gs = grids.filter((g) => g.communityIdx === k);
      return feature(
        ids.cid(k),
        {
          code: `${ids.codePre}-C${pad(k + 1, 2)}`,
          name: c.name[0],
          name_en: c.name[1],
          street_id: ids.sid(commStreet[k]),
          synthetic_name: c.synthetic,
          leader_id: ids.pid(leaderOfCommunity[k]),
          households: sum(gs, hh),
          population: sum(gs, pop),
        },
        geom.union(gs.map((g) => g.rect)),
      );
    }),
    grids: grids.map((g) => {
      const { no, name, name_en } = naming(g);
      return feature(
        ids.gid(g.idx),
        {
          code: `${ids.codePre}-C${pad(g.communityIdx + 1, 2)}-${pad(no, 2)}`,
          name,
          name_en,
          community_id: ids.cid(g.communityIdx),
          street_id: ids.sid(g.cell.streetIdx),
          households: hh[g.idx],
          population: pop[g.idx],
          party_branch: `${name}党支部`,
          head_id: ids.pid(headOfGrid[g.idx]),
        },
        geom.poly(g.rect),
      );
    }),
  };
}
