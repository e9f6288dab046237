// Offline base map: town boundary, fringe land use, urban blocks, parks/water, landmarks, roads.
import type { Portion } from './compounds.js';
import { ellipseRing, inset, rect, rectRing, TOWN_SIZE } from './geo.js';
import { LANDMARKS, PARKS } from './names.js';
import { fringeRects, type Network } from './network.js';
import type { Rng } from './prng.js';
import type { BaseFeature, Cell } from './types.js';

const FRINGE: Record<string, { kind: BaseFeature['kind']; cls: string; name: string; name_en: string }> = {
  sw: { kind: 'block', cls: 'industrial', name: '盐池工业园区', name_en: 'Yanchi Industrial Park' },
  se: { kind: 'block', cls: 'farmland', name: '南郊农田', name_en: 'South Farmland' },
  nw: { kind: 'green', cls: 'forest', name: '北郊防护林', name_en: 'North Shelterbelt' },
  ne: { kind: 'block', cls: 'wetland', name: '盐湖湿地公园', name_en: 'Salt Lake Wetland Park' },
  ws: { kind: 'block', cls: 'farmland', name: '西郊农田', name_en: 'West Farmland' },
  wn: { kind: 'green', cls: 'forest', name: '西郊防护林', name_en: 'West Shelterbelt' },
  es: { kind: 'block', cls: 'logistics', name: '盐池物流园', name_en: 'Yanchi Logistics Park' },
  en: { kind: 'green', cls: 'forest', name: '东郊生态林', name_en: 'East Eco-forest' },
};

export function makeBasemap(rng: Rng, net: Network, cells: Cell[], portions: Portion[]): BaseFeature[] {
  const out: BaseFeature[] = [];
  out.push({
    kind: 'boundary',
    cls: 'town',
    name: '花马池镇城区（示例）',
    name_en: 'Huamachi town area (synthetic)',
    ring: rectRing(rect(0, 0, TOWN_SIZE, TOWN_SIZE)),
  });
  for (const f of fringeRects(net)) {
    const meta = FRINGE[f.side];
    out.push({ ...meta, ring: rectRing(f.rect) });
    if (f.side === 'ne') {
      const lake = inset(f.rect, 60);
      out.push({
        kind: 'water',
        cls: 'lake',
        name: '盐湖',
        name_en: 'Salt Lake',
        ring: ellipseRing(lake, 28, () => rng.float(0.88, 1)),
      });
    }
  }
  for (const c of cells) out.push({ kind: 'block', cls: 'urban', name: null, name_en: null, ring: rectRing(c.block) });
  let lm = 0;
  let pk = 0;
  // the central cell's landmark is the county government (first in the list)
  const ordered = [...portions].sort(
    (a, b) =>
      Number(cells[b.cellIdx].i === 5 && cells[b.cellIdx].j === 5) -
      Number(cells[a.cellIdx].i === 5 && cells[a.cellIdx].j === 5),
  );
  for (const p of ordered) {
    if (p.kind === 'landmark') {
      const l = LANDMARKS[lm++ % LANDMARKS.length];
      out.push({ kind: 'landmark', cls: l.cls, name: l.zh, name_en: l.en, ring: rectRing(p.rect) });
    } else {
      const [zh, en] = PARKS[pk % PARKS.length];
      out.push({ kind: 'green', cls: 'park', name: zh, name_en: en, ring: rectRing(p.rect) });
      if (pk < 3)
        out.push({
          kind: 'water',
          cls: 'pond',
          name: `${zh}湖`,
          name_en: `${en} Lake`,
          ring: ellipseRing(inset(p.rect, 25), 20, () => rng.float(0.85, 1)),
        });
      pk++;
    }
  }
  for (const r of net.roads)
    out.push({
      kind: 'road',
      cls: r.cls,
      name: r.name,
      name_en: r.name_en,
      line: [r.from, r.to],
      width: r.halfWidth * 2,
    });
  return out;
}
