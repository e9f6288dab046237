import { describe, expect, it } from 'vitest';
import { singleFlight } from '../../server/cache/single-flight.ts';
import { limitedPool } from '../../server/db/limited-pool.ts';
import type { Pool } from '../../server/db/pool.ts';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('singleFlight', () => {
  it('shares one computation among calls made while it runs, and starts a new one after', async () => {
    let runs = 0;
    const figures = singleFlight(async () => {
      runs++;
      await tick();
      return runs;
    });
    expect(await Promise.all([figures(), figures(), figures()])).toEqual([1, 1, 1]);
    expect(await figures()).toBe(2);
  });

  it('lets the next call retry after a failure', async () => {
    let fail = true;
    const figures = singleFlight(async () => {
      if (fail) throw new Error('down');
      return 'ok';
    });
    await expect(figures()).rejects.toThrow('down');
    fail = false;
    expect(await figures()).toBe('ok');
  });
});

describe('limitedPool', () => {
  it('runs at most the limit of queries at once and answers each', async () => {
    let running = 0;
    let most = 0;
    const pool = {
      query: async (sql: string) => {
        most = Math.max(most, ++running);
        await tick();
        running--;
        return { rows: [sql] };
      },
    } as unknown as Pool;
    const limited = limitedPool(pool, 2);
    const answers = await Promise.all(Array.from({ length: 7 }, (_, i) => limited.query(`q${i}`)));
    expect(answers.map((a) => a.rows[0])).toEqual(['q0', 'q1', 'q2', 'q3', 'q4', 'q5', 'q6']);
    expect(most).toBe(2);
  });
});
