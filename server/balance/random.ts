import { mulberry32 } from '../../shared/random';

/** Seeded pseudo-random numbers in [0, 1) (mulberry32): plans are reproducible for a given seed. */
export type Random = () => number;

/** Seed 0 starts from a fixed non-zero state instead. */
export function createRandom(seed: number): Random {
  return mulberry32(seed >>> 0 || 0x9e3779b9);
}

export function shuffle<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = items[i];
    items[i] = items[j];
    items[j] = swap;
  }
  return items;
}
