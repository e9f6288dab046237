// Small seeded PRNG (mulberry32) and helpers. No Math.random anywhere in the generator.
import { mulberry32 as uniform } from '../../shared/random.ts';

export interface Rng {
  next(): number; // [0, 1)
  int(lo: number, hi: number): number; // inclusive
  float(lo: number, hi: number): number;
  pick<T>(xs: readonly T[]): T;
  chance(p: number): boolean;
  shuffle<T>(xs: T[]): T[];
  weighted(weights: readonly number[]): number;
}

export function mulberry32(seed: number): Rng {
  const next = uniform(seed);
  const rng: Rng = {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    float: (lo, hi) => lo + next() * (hi - lo),
    pick: (xs) => xs[Math.floor(next() * xs.length)],
    chance: (p) => next() < p,
    shuffle: (xs) => {
      for (let i = xs.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [xs[i], xs[j]] = [xs[j], xs[i]];
      }
      return xs;
    },
    weighted: (weights) => {
      let total = 0;
      for (const w of weights) total += w;
      let r = next() * total;
      for (let i = 0; i < weights.length; i++) {
        r -= weights[i];
        if (r < 0) return i;
      }
      return weights.length - 1;
    },
  };
  return rng;
}

/** Split `total` into integers proportional to `weights` (largest remainder), each at least `min`. */
export function apportion(total: number, weights: readonly number[], min = 0): number[] {
  const n = weights.length;
  const base = min * n;
  if (base > total) throw new Error(`apportion: ${total} < ${n} x ${min}`);
  const rest = total - base;
  const sum = weights.reduce((s, w) => s + w, 0) || 1;
  const raw = weights.map((w) => (rest * w) / sum);
  const out = raw.map((r) => Math.floor(r));
  let left = rest - out.reduce((s, v) => s + v, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k = (k + 1) % n, left--) out[order[k][1]]++;
  return out.map((v) => v + min);
}

export const pad = (n: number, w: number): string => String(n).padStart(w, '0');
