// Top-down plan: streets -> communities -> cells -> grids (households 300-500) -> compounds.
// The figures hold by construction: 116 grids, 185 compounds, 6 split compounds (> 500 households).
import { blockRect, cellRect, COLS, ROWS, type Network } from './network.js';
import { apportion, type Rng } from './prng.js';
import type { Cell, CompoundType, Grid } from './types.js';

export const N_GRIDS = 116;
export const N_COMPOUNDS = 185;
export const N_PAIRED = N_GRIDS - COLS * ROWS; // cells that hold two grids and a split compound
export const STREET_COLS = [5, 6]; // columns per street, west to east
const COMMUNITIES_PER_STREET = 5;

export interface CompoundPlan {
  type: CompoundType;
  households: number;
  gridIdx: number | null;
  parts: { gridIdx: number; households: number }[];
}

export interface Plan {
  cells: Cell[];
  grids: Grid[];
  compounds: CompoundPlan[];
  gridCompounds: number[][]; // compound indices per grid, layout order
}

export function makePlan(rng: Rng, net: Network): Plan {
  // communities: serpentine chunks of each street's cells keep every community contiguous
  const cells: Cell[] = [];
  let colStart = 0;
  let communityIdx = 0;
  STREET_COLS.forEach((ncols, streetIdx) => {
    const order: [number, number][] = [];
    for (let j = 0; j < ROWS; j++)
      for (let k = 0; k < ncols; k++) order.push([colStart + (j % 2 === 0 ? k : ncols - 1 - k), j]);
    const sizes = apportion(
      order.length,
      Array.from({ length: COMMUNITIES_PER_STREET }, () => rng.float(0.6, 1.4)),
      7,
    );
    let p = 0;
    for (const size of sizes) {
      for (let q = 0; q < size; q++, p++) {
        const [i, j] = order[p];
        cells.push({
          i,
          j,
          cell: cellRect(net, i, j),
          block: blockRect(net, i, j),
          streetIdx,
          communityIdx,
          paired: false,
          portion: 'none',
        });
      }
      communityIdx++;
    }
    colStart += ncols;
  });

  // paired cells in the communities with the fewest cells
  const nCommunities = communityIdx;
  const cellCount = Array.from({ length: nCommunities }, (_, c) => cells.filter((x) => x.communityIdx === c).length);
  const byFew = [...cellCount.keys()].sort((a, b) => cellCount[a] - cellCount[b] || a - b).slice(0, N_PAIRED);
  for (const c of byFew) {
    const cand = cells.filter((x) => x.communityIdx === c && x.i > 0 && x.i < COLS - 1 && x.j > 0 && x.j < ROWS - 1);
    rng.pick(cand).paired = true;
  }
  // landmark and park portions in other cells; the county government near the centre
  const free = cells.filter((x) => !x.paired);
  const central = free.find((x) => x.i === 5 && x.j === 5) ?? free[0];
  central.portion = 'landmark';
  const rest = rng.shuffle(free.filter((x) => x !== central));
  rest.slice(0, 17).forEach((x) => (x.portion = 'landmark'));
  rest.slice(17, 24).forEach((x) => (x.portion = 'park'));

  // grids: one per cell, two per paired cell; ordered by community then serpentine position
  const grids: Grid[] = [];
  for (const cell of cells) {
    if (!cell.paired) {
      grids.push({ idx: grids.length, cell, rect: cell.cell, households: 0, communityIdx: cell.communityIdx });
    } else {
      const xs = Math.round((cell.block.x0 + cell.block.x1) / 2 + rng.int(-20, 20));
      grids.push({
        idx: grids.length,
        cell,
        rect: { ...cell.cell, x1: xs },
        households: 0,
        communityIdx: cell.communityIdx,
      });
      grids.push({
        idx: grids.length,
        cell,
        rect: { ...cell.cell, x0: xs },
        households: 0,
        communityIdx: cell.communityIdx,
      });
    }
  }

  // grid households: 320-470, nudged to a total of about 45,000 while staying in 310-490
  const total = rng.int(44_700, 45_300);
  for (const g of grids) g.households = rng.int(320, 470);
  let diff = total - grids.reduce((s, g) => s + g.households, 0);
  while (diff !== 0) {
    const g = grids[rng.int(0, grids.length - 1)];
    const step = Math.sign(diff) * Math.min(Math.abs(diff), rng.int(1, 20));
    if (g.households + step < 310 || g.households + step > 490) continue;
    g.households += step;
    diff -= step;
  }

  // compounds
  const compounds: CompoundPlan[] = [];
  const gridCompounds: number[][] = grids.map(() => []);
  const remainders: number[] = grids.map((g) => g.households);
  for (let k = 0; k < grids.length; k++) {
    const a = grids[k];
    const b = grids[k + 1];
    if (!b || !a.cell.paired || a.cell !== b.cell) continue;
    const take = (g: Grid): number => {
      const s = Math.round(g.households * rng.float(0.82, 1));
      return g.households - s < 60 ? g.households : s;
    };
    const sa = take(a);
    const sb = take(b);
    remainders[a.idx] -= sa;
    remainders[b.idx] -= sb;
    const idx = compounds.length;
    compounds.push({
      type: rng.chance(0.65) ? 'commercial_residential' : 'transitional',
      households: sa + sb,
      gridIdx: null,
      parts: [
        { gridIdx: a.idx, households: sa },
        { gridIdx: b.idx, households: sb },
      ],
    });
    gridCompounds[a.idx].push(idx);
    gridCompounds[b.idx].push(idx);
    k++;
  }
  // count of whole compounds per grid: 1 each where households remain, extra spread at random
  const counts: number[] = remainders.map((r) => (r > 0 ? 1 : 0));
  let extra = N_COMPOUNDS - compounds.length - counts.reduce((s, c) => s + c, 0);
  while (extra > 0) {
    const g = grids[rng.int(0, grids.length - 1)];
    const max = g.cell.paired ? 1 : g.cell.portion === 'none' ? 3 : 2;
    if (counts[g.idx] >= max || remainders[g.idx] < 40 * (counts[g.idx] + 1)) continue;
    counts[g.idx]++;
    extra--;
  }
  for (const g of grids) {
    if (counts[g.idx] === 0) continue;
    const hh = apportion(
      remainders[g.idx],
      Array.from({ length: counts[g.idx] }, () => rng.float(0.5, 1.5)),
      40,
    );
    for (const h of hh) {
      gridCompounds[g.idx].push(compounds.length);
      compounds.push({ type: 'old', households: h, gridIdx: g.idx, parts: [{ gridIdx: g.idx, households: h }] });
    }
  }
  assignTypes(rng, net, grids, compounds);
  return { cells, grids, compounds, gridCompounds };
}

// Type quotas for whole compounds; split (big) ones are already commercial or transitional.
const QUOTA = { old: 55, work_unit: 33, transitional: 27 };

/** Old estates at the historic centre, work-unit quarters around it, resettlement at the edge. */
function assignTypes(rng: Rng, net: Network, grids: Grid[], compounds: CompoundPlan[]): void {
  const cx = (net.xs[0] + net.xs[COLS]) / 2;
  const cy = (net.ys[0] + net.ys[ROWS]) / 2;
  const score = (c: CompoundPlan): number => {
    const r = grids[c.parts[0].gridIdx].rect;
    return Math.hypot((r.x0 + r.x1) / 2 - cx, (r.y0 + r.y1) / 2 - cy) / 1700 + rng.float(-0.3, 0.3);
  };
  const whole = compounds
    .filter((c) => c.gridIdx !== null)
    .map((c) => ({ c, s: score(c) }))
    .sort((a, b) => a.s - b.s);
  whole.slice(0, QUOTA.old).forEach((x) => (x.c.type = 'old'));
  const rest = whole.slice(QUOTA.old);
  rest.slice(rest.length - QUOTA.transitional).forEach((x) => (x.c.type = 'transitional'));
  const middle = rest.slice(0, rest.length - QUOTA.transitional);
  const inner = rng.shuffle(middle.slice(0, Math.round(middle.length * 0.55)));
  for (const x of middle) x.c.type = 'commercial_residential';
  inner.slice(0, QUOTA.work_unit).forEach((x) => (x.c.type = 'work_unit'));
}
