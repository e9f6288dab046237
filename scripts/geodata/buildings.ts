// Buildings inside each compound (or each grid's part of a split compound): slabs in south-facing
// rows, near-square towers, or low courtyard houses. Households sum exactly to the compound's.
import { inset, rect, rh, rw, snap, type Rect } from './geo.js';
import { apportion, type Rng } from './prng.js';
import type { Building, Compound, CompoundType, Form } from './types.js';

const MARGIN = 8; // compound wall to first building

interface Spec {
  form: Form;
  len: number;
  depth: number;
  gapX: number;
  gapY: number;
  floors: [number, number];
  perFloor: number;
}

function spec(rng: Rng, type: CompoundType, hh: number): Spec {
  const slab = (len: number, depth: number, floors: [number, number], units: number): Spec => ({
    form: 'slab',
    len,
    depth,
    gapX: 12,
    gapY: 18,
    floors,
    perFloor: units * 2,
  });
  switch (type) {
    case 'old':
      if (hh <= 130 && rng.chance(0.4))
        return {
          form: 'low',
          len: rng.int(14, 18),
          depth: rng.int(9, 10),
          gapX: 6,
          gapY: 8,
          floors: [1, 2],
          perFloor: 2,
        };
      return slab(rng.int(36, 56), 11, [4, 6], 2);
    case 'work_unit':
      return slab(rng.int(40, 60), 12, [5, 7], rng.int(2, 3));
    case 'transitional':
      return rng.chance(0.3) ? slab(rng.int(50, 66), 12, [11, 11], 3) : slab(rng.int(45, 66), 12, [6, 6], 3);
    default:
      if (rng.chance(0.55))
        return {
          form: 'tower',
          len: rng.int(24, 28),
          depth: rng.int(20, 24),
          gapX: 25,
          gapY: 30,
          floors: [18, 30],
          perFloor: 4,
        };
      return slab(rng.int(40, 60), 14, [11, 18], 2);
  }
}

function place(rng: Rng, area: Rect, hh: number, s: Spec): { rect: Rect; floors: number; hh: number }[] {
  const inner = inset(area, MARGIN);
  const w = rw(inner);
  const h = rh(inner);
  const len = Math.min(s.len, w - 1);
  const depth = Math.min(s.depth, h - 1);
  const cols = Math.max(1, Math.floor((w + s.gapX) / (len + s.gapX)));
  const rows = Math.max(1, Math.floor((h + s.gapY) / (depth + s.gapY)));
  const nominal = ((s.floors[0] + s.floors[1]) / 2) * s.perFloor * 0.9;
  const n = Math.max(1, Math.min(cols * rows, Math.round(hh / nominal), hh));
  const r = Math.min(rows, Math.ceil(n / cols));
  const perRow = apportion(
    n,
    Array.from({ length: r }, () => 1),
    1,
  );
  const out: { rect: Rect; weight: number }[] = [];
  perRow.forEach((m, k) => {
    const cy = inner.y0 + ((k + 0.5) * h) / r;
    for (let q = 0; q < m; q++) {
      const cx = inner.x0 + ((q + 0.5) * w) / m;
      const l = Math.min(len * rng.float(0.85, 1), w / m - 2);
      const d = depth;
      out.push({
        rect: rect(snap(cx - l / 2), snap(cy - d / 2), snap(cx + l / 2), snap(cy + d / 2)),
        weight: l * rng.float(0.9, 1.1),
      });
    }
  });
  const hhs = apportion(
    hh,
    out.map((o) => o.weight),
    1,
  );
  return out.map((o, k) => ({
    rect: o.rect,
    hh: hhs[k],
    floors: Math.min(s.floors[1] + 12, Math.max(s.floors[0], Math.ceil(hhs[k] / s.perFloor))),
  }));
}

export function makeBuildings(rng: Rng, compounds: Compound[]): Building[] {
  const buildings: Building[] = [];
  for (const c of compounds) {
    const first = buildings.length;
    let no = 1;
    const s = spec(rng, c.type, c.households);
    for (const part of c.parts) {
      for (const b of place(rng, part.area, part.households, s)) {
        buildings.push({
          idx: buildings.length,
          compoundIdx: c.idx,
          gridIdx: part.gridIdx,
          rect: b.rect,
          form: s.form,
          floors: b.floors,
          households: b.hh,
          population: 0,
          no: no++,
        });
      }
    }
    const mine = buildings.slice(first);
    const pop = apportion(
      Math.round(c.households * c.popFactor),
      mine.map((b) => b.households),
      1,
    );
    mine.forEach((b, k) => (b.population = pop[k]));
  }
  return buildings;
}
