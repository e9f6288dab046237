import { describe, expect, it } from 'vitest';
import { TileCache } from '../../server/cache/tile-cache.ts';
import { DataVersionCache } from '../../server/db/data-version.ts';
import type { Pool } from '../../server/postgres/pool.ts';

const tile = (bytes: number, fill = 1) => Buffer.alloc(bytes, fill);

describe('TileCache', () => {
  it('serves a cached tile without making it again, and shares one making between concurrent requests', async () => {
    const cache = new TileCache(1 << 20);
    let made = 0;
    const make = async () => {
      made++;
      await new Promise((r) => setTimeout(r, 10));
      return tile(100);
    };
    const [a, b] = await Promise.all([cache.get(1, 'grids/14/1/2', make), cache.get(1, 'grids/14/1/2', make)]);
    expect(made).toBe(1);
    expect(a.hit || b.hit).toBe(false);
    const c = await cache.get(1, 'grids/14/1/2', make);
    expect(c.hit).toBe(true);
    expect(made).toBe(1);
    expect(cache.stats()).toMatchObject({ entries: 1, hits: 1, misses: 2 });
  });

  it('stays within its byte bound, dropping the least recently used first', async () => {
    const cache = new TileCache(3 * (1000 + 128));
    for (const k of ['a', 'b', 'c']) await cache.get(1, k, async () => tile(1000));
    await cache.get(1, 'a', async () => tile(1000)); // a is now the most recent
    await cache.get(1, 'd', async () => tile(1000)); // b goes
    expect(cache.stats().bytes).toBeLessThanOrEqual(cache.maxBytes);
    expect((await cache.get(1, 'a', async () => tile(1, 9))).hit).toBe(true);
    expect((await cache.get(1, 'b', async () => tile(1000))).hit).toBe(false);
    // A tile larger than the whole cache is served but not kept.
    expect((await cache.get(1, 'huge', async () => tile(10_000))).tile.length).toBe(10_000);
    expect((await cache.get(1, 'huge', async () => tile(10_000))).hit).toBe(false);
  });

  it('drops every tile of an older data version, and never keeps one made under a replaced version', async () => {
    const cache = new TileCache(1 << 20);
    await cache.get(1, 'x', async () => tile(10, 1));
    const v2 = await cache.get(2, 'x', async () => tile(10, 2));
    expect(v2.hit).toBe(false);
    expect(v2.tile[0]).toBe(2);
    expect(cache.stats()).toMatchObject({ entries: 1, version: 2 });
    // Made while the version moved on from 2 to 3: answered, not cached.
    let release!: () => void;
    const slow = cache.get(2, 'y', () => new Promise<Buffer>((r) => (release = () => r(tile(10)))));
    await cache.get(3, 'z', async () => tile(10));
    release();
    await slow;
    expect(cache.stats()).toMatchObject({ entries: 1, version: 3 });
  });

  it('with 0 bytes it caches nothing', async () => {
    const cache = new TileCache(0);
    await cache.get(1, 'x', async () => tile(10));
    expect((await cache.get(1, 'x', async () => tile(10))).hit).toBe(false);
  });
});

describe('DataVersionCache', () => {
  function fakePool(versions: number[], delayMs = 0) {
    let reads = 0;
    const pool = {
      query: async () => {
        const v = versions[Math.min(reads++, versions.length - 1)];
        await new Promise((r) => setTimeout(r, delayMs));
        return { rows: [{ version: v }] };
      },
    } as unknown as Pool;
    return { pool, reads: () => reads };
  }

  it('reads once per ttl, and takes a notified version at once', async () => {
    const db = fakePool([5, 6]);
    const versions = new DataVersionCache(db.pool, '640323', 60_000);
    expect(await versions.get()).toBe(5);
    expect(await versions.get()).toBe(5);
    expect(db.reads()).toBe(1);
    versions.notified(7);
    expect(await versions.get()).toBe(7);
    expect(db.reads()).toBe(1);
    // A notification without a version: read it again.
    versions.notified(undefined);
    expect(await versions.get()).toBe(6);
  });

  it('keeps the last version known while the database is away, and fails when it never knew one', async () => {
    let down = false;
    const pool = {
      query: async () => {
        if (down)
          throw Object.assign(new Error('connect ENOENT /run/.s.PGSQL.5432'), { code: 'ENOENT', syscall: 'connect' });
        return { rows: [{ version: 4 }] };
      },
    } as unknown as Pool;
    const versions = new DataVersionCache(pool, '640323', 0);
    expect(await versions.get()).toBe(4);
    down = true;
    expect(await versions.get()).toBe(4);
    await expect(new DataVersionCache(pool, '640323', 0).get()).rejects.toThrow(/ENOENT/);
  });

  it('does not let a read that started before a notification overwrite it', async () => {
    const db = fakePool([5], 30);
    const versions = new DataVersionCache(db.pool, '640323', 60_000);
    const early = versions.get();
    versions.notified(8);
    await early;
    expect(await versions.get()).toBe(8);
  });
});
