// The fixed set of tiles the benchmarks request: every tile over the town at z12–z14, an evenly spaced
// sample of at most 25 at z15 and z16, for every tile layer (the base streets aside).
import type { Pool } from '../../server/postgres/pool.ts';
import { LAYERS } from '../../server/db/layers.ts';
import { queryExtent } from '../../server/db/features-repo.ts';
import { tileOf } from '../../tests/helpers/xyz.ts';

export async function benchTiles(
  pool: Pool,
  countyCode: string,
): Promise<{ tiles: [number, number, number][]; layers: string[] }> {
  const compounds = LAYERS.find((l) => l.id === 'compounds')!;
  const [x0, y0, x1, y1] = (await queryExtent(pool, compounds, countyCode))!;
  const tiles: [number, number, number][] = [];
  for (let z = 12; z <= 16; z++) {
    const [tx0, ty0] = tileOf(x0, y1, z);
    const [tx1, ty1] = tileOf(x1, y0, z);
    const all: [number, number, number][] = [];
    for (let x = tx0; x <= tx1; x++) for (let y = ty0; y <= ty1; y++) all.push([z, x, y]);
    const step = Math.max(1, Math.floor(all.length / 25));
    tiles.push(...all.filter((_, i) => i % step === 0).slice(0, 25));
  }
  return { tiles, layers: LAYERS.map((l) => l.id).filter((id) => id !== 'streets') };
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
