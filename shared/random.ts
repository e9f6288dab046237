// mulberry32: a small, fast, seeded pseudo-random generator. The balancing engine, the synthetic issue history and
// the demo geodata draw from it, so each is reproducible for its seed.

/** Numbers uniform in [0, 1) from `seed` (taken as an unsigned 32-bit integer). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
