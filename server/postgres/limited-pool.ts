import type { Pool } from './pool.ts';

/**
 * The pool as seen by a page of many queries, running at most `limit` of them at once: the wall figures fire
 * seven aggregates together, and on a large county they would hold most of the pool's connections for seconds
 * while tiles wait.
 */
export function limitedPool(pool: Pool, limit: number): Pool {
  let running = 0;
  const waiting: (() => void)[] = [];
  const query = async (...args: unknown[]) => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await (pool.query as (...a: unknown[]) => Promise<unknown>)(...args);
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
  return { query } as unknown as Pool;
}
