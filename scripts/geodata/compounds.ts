// Compounds: laid out inside their block (treemap slices with internal lanes), then given
// attributes consistent with their type (era, facilities, residents, needs, property service).
import { rect, rh, rw, snap, type Rect } from './geo.js';
import { PLACE_WORDS, SUFFIX, UNIT_WORDS, type Named } from './names.js';
import type { Plan } from './plan.js';
import type { Rng } from './prng.js';
import type { Compound, CompoundType } from './types.js';

const LANE = 10; // internal lane between compounds
export const N_DEPUTIES = 17;
const AREA_FACTOR: Record<CompoundType, number> = {
  old: 1.3,
  work_unit: 1.2,
  transitional: 1.0,
  commercial_residential: 0.75,
};

/** Treemap: split `r` into rects proportional to weights, keeping `gap` metres between them. */
export function sliceRect(r: Rect, weights: number[], gap: number): Rect[] {
  if (weights.length === 1) return [r];
  const total = weights.reduce((s, w) => s + w, 0);
  let acc = 0;
  let k = 1;
  let best = Infinity;
  for (let i = 1; i < weights.length; i++) {
    acc += weights[i - 1];
    const d = Math.abs(acc - total / 2);
    if (d < best) [best, k] = [d, i];
  }
  const wa = weights.slice(0, k).reduce((s, w) => s + w, 0);
  const f = wa / total;
  if (rw(r) >= rh(r)) {
    const cut = snap(r.x0 + (rw(r) - gap) * f);
    return [
      ...sliceRect(rect(r.x0, r.y0, cut, r.y1), weights.slice(0, k), gap),
      ...sliceRect(rect(cut + gap, r.y0, r.x1, r.y1), weights.slice(k), gap),
    ];
  }
  const cut = snap(r.y0 + (rh(r) - gap) * f);
  return [
    ...sliceRect(rect(r.x0, r.y0, r.x1, cut), weights.slice(0, k), gap),
    ...sliceRect(rect(r.x0, cut + gap, r.x1, r.y1), weights.slice(k), gap),
  ];
}

export interface Portion {
  rect: Rect;
  kind: 'landmark' | 'park';
  cellIdx: number;
}

export function layoutCompounds(rng: Rng, plan: Plan): { compounds: Compound[]; portions: Portion[] } {
  const rects: (Rect | null)[] = plan.compounds.map(() => null);
  const partAreas: Rect[][] = plan.compounds.map(() => []);
  const portions: Portion[] = [];
  const weight = (ci: number): number => plan.compounds[ci].households * AREA_FACTOR[plan.compounds[ci].type];

  plan.cells.forEach((cell, cellIdx) => {
    const grids = plan.grids.filter((g) => g.cell === cell);
    let area = cell.block;
    if (cell.portion !== 'none') {
      const f = rng.float(0.3, 0.42);
      const cut = snap(area.x0 + rw(area) * f);
      if (rng.chance(0.5)) {
        portions.push({ rect: rect(area.x0, area.y0, cut, area.y1), kind: cell.portion, cellIdx });
        area = rect(cut + LANE, area.y0, area.x1, area.y1);
      } else {
        const cut2 = snap(area.x1 - rw(area) * f);
        portions.push({ rect: rect(cut2, area.y0, area.x1, area.y1), kind: cell.portion, cellIdx });
        area = rect(area.x0, area.y0, cut2 - LANE, area.y1);
      }
    }
    if (!cell.paired) {
      const list = plan.gridCompounds[grids[0].idx];
      sliceRect(area, list.map(weight), LANE).forEach((r, k) => {
        rects[list[k]] = r;
        partAreas[list[k]] = [r];
      });
      return;
    }
    // paired cell: the split compound straddles the grid line xs, each grid's other compound beside it
    const [a, b] = grids;
    const xs = a.rect.x1;
    const split = plan.gridCompounds[a.idx][0];
    const otherA = plan.gridCompounds[a.idx].slice(1);
    const otherB = plan.gridCompounds[b.idx].slice(1);
    // other compounds take a strip along the south edge of their own half
    let sy0 = area.y0;
    if (otherA.length) {
      const cut = snap(area.y0 + rh(area) * 0.3);
      rects[otherA[0]] = rect(area.x0, area.y0, xs - 5, cut);
      partAreas[otherA[0]] = [rects[otherA[0]]!];
      sy0 = cut + LANE;
    }
    if (otherB.length) {
      const cut = snap(area.y0 + rh(area) * 0.3);
      rects[otherB[0]] = rect(xs + 5, area.y0, area.x1, cut);
      partAreas[otherB[0]] = [rects[otherB[0]]!];
      sy0 = cut + LANE;
    }
    rects[split] = rect(area.x0, sy0, area.x1, area.y1);
    partAreas[split] = [rect(area.x0, sy0, xs - 4, area.y1), rect(xs + 4, sy0, area.x1, area.y1)];
  });

  const used = new Set<string>();
  const compounds: Compound[] = plan.compounds.map((p, idx) => {
    const g = plan.grids[p.parts[0].gridIdx];
    const [name, name_en] = compoundName(rng, p.type, used);
    return {
      idx,
      type: p.type,
      rect: rects[idx]!,
      households: p.households,
      gridIdx: p.gridIdx,
      communityIdx: g.communityIdx,
      parts: p.parts.map((part, k) => ({ ...part, area: partAreas[idx][k] })),
      name,
      name_en,
      ...attributes(rng, p.type),
      deputy: false,
    };
  });
  // 17 owners'-committee heads serve as deputy property managers, in compounds with a property company
  const cands = rng.shuffle(compounds.filter((c) => c.property === 'property_company'));
  cands.slice(0, N_DEPUTIES).forEach((c) => (c.deputy = true));
  return { compounds, portions };
}

function compoundName(rng: Rng, type: CompoundType, used: Set<string>): Named {
  for (let attempt = 0; ; attempt++) {
    const [pz, pe] = type === 'work_unit' ? rng.pick(UNIT_WORDS) : rng.pick(PLACE_WORDS);
    const [sz, se] = rng.pick(SUFFIX[type]);
    let zh = pz + sz;
    let en = `${pe} ${se}`;
    if (attempt > 20) {
      const phase = 2 + Math.floor(attempt / 20);
      zh += `${phase}期`;
      en += ` Phase ${phase}`;
    }
    if (!used.has(zh)) {
      used.add(zh);
      return [zh, en];
    }
  }
}

type Attrs = Pick<Compound, 'era' | 'builtYear' | 'facility' | 'residentType' | 'needs' | 'property' | 'popFactor'>;

/** How a type's compounds are drawn: built in `years`, `needs` and one of `lastNeed`, `popFactor` people a household. */
interface TypeAttrs {
  years: [number, number];
  facility: (rng: Rng) => string;
  residentType: string;
  needs: [string, string];
  lastNeed: string[];
  property: (rng: Rng) => string;
  popFactor: [number, number];
}

const TYPE_ATTRS: Record<CompoundType, TypeAttrs> = {
  old: {
    years: [1982, 1999],
    facility: (rng) => (rng.chance(0.7) ? 'poor' : 'basic'),
    residentType: 'elderly_original_residents',
    needs: ['elderly_care', 'facility_renovation'],
    lastNeed: ['parking', 'stair_lift', 'heating_pipes'],
    property: (rng) => (rng.chance(0.6) ? 'community_interim' : 'state_owned_property'),
    popFactor: [2.5, 2.7],
  },
  work_unit: {
    years: [1988, 2008],
    facility: () => 'basic',
    residentType: 'unit_staff_and_retirees',
    needs: ['retiree_services', 'facility_renovation'],
    lastNeed: ['parking', 'elderly_care'],
    property: (rng) => (rng.chance(0.5) ? 'unit_self_managed' : 'property_company'),
    popFactor: [2.6, 2.8],
  },
  transitional: {
    years: [2003, 2016],
    facility: () => 'basic',
    residentType: 'resettled_migrants',
    needs: ['employment', 'social_integration'],
    lastNeed: ['child_education', 'elderly_meals'],
    property: () => 'state_owned_property',
    popFactor: [2.8, 3.0],
  },
  commercial_residential: {
    years: [2010, 2019],
    facility: () => 'complete',
    residentType: 'young_families',
    needs: ['property_disputes', 'parking'],
    lastNeed: ['childcare', 'counselling'],
    property: () => 'property_company',
    popFactor: [2.6, 2.9],
  },
};

// The draws are taken in the order of the fields (year, facility, last need, property, people): the data
// set depends on that order.
function attributes(rng: Rng, type: CompoundType): Attrs {
  const a = TYPE_ATTRS[type];
  const y = rng.int(...a.years);
  return {
    era: `${Math.floor(y / 10) * 10}s`,
    builtYear: y,
    facility: a.facility(rng),
    residentType: a.residentType,
    needs: [...a.needs, rng.pick(a.lastNeed)],
    property: a.property(rng),
    popFactor: rng.float(...a.popFactor),
  };
}
