// npm run bench:tiles — our HTTP tile endpoint against the same SQL run directly on the database,
// interleaved tile by tile in one run, for a fixed set of tiles z12–z16 over the county town; cold (the
// tile cache emptied) and warm (served from it) reported apart.
import http from 'node:http';
import { startToolInstance } from '../tool-instance.ts';
import { LAYERS } from '../../server/db/layers.ts';
import { benchTiles, percentile } from './tile-set.ts';
import { servedTileQuery } from '../../server/db/tiles-repo.ts';

const ROUNDS = 3;
const TARGET_RATIO = 1.5;
const TARGET_P95_MS = 50;

// A plain keep-alive HTTP client, so the figure is the endpoint's cost rather than a heavy client's.
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
function getTile(url: string): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
      })
      .on('error', reject);
  });
}

const { running, countyCode } = await startToolInstance('bench');
try {
  const { tiles, layers } = await benchTiles(running.pool, countyCode);
  console.error(`[bench] ${tiles.length} tiles × ${layers.length} layers × ${ROUNDS} rounds`);

  // Each round: a cold pass (cache emptied: every tile made by PostgreSQL, then kept) and a warm pass (from
  // memory), each tile timed through HTTP right after the same SQL run directly.
  const cache = running.app.context.tileCache;
  const sqlMs: number[] = [];
  const coldMs: number[] = [];
  const warmMs: number[] = [];
  let bytes = 0;
  let requests = 0;
  const pass = async (into: number[] | undefined) => {
    for (const layerId of layers) {
      const layer = LAYERS.find((l) => l.id === layerId)!;
      for (const [z, x, y] of tiles) {
        let t = performance.now();
        const query = servedTileQuery(layer, countyCode, z, x, y);
        if (query) await running.pool.query(query.sql, query.args);
        const sql = performance.now() - t;
        t = performance.now();
        const res = await getTile(`${running.url}/tiles/${layerId}/${z}/${x}/${y}.mvt`);
        const viaHttp = performance.now() - t;
        if (res.status !== 200) throw new Error(`tile ${layerId}/${z}/${x}/${y} → ${res.status}`);
        if (into) {
          sqlMs.push(sql);
          into.push(viaHttp);
          bytes += res.bytes;
          requests++;
        }
      }
    }
  };
  for (let round = 0; round <= ROUNDS; round++) {
    cache.clear();
    // Round 0 warms PostgreSQL's buffers and the connections and is not counted.
    await pass(round > 0 ? coldMs : undefined);
    await pass(round > 0 ? warmMs : undefined);
    console.error(`[bench] round ${round}/${ROUNDS}${round === 0 ? ' (warm-up)' : ''} done`);
  }
  for (const v of [sqlMs, coldMs, warmMs]) v.sort((a, b) => a - b);
  const p = percentile;
  const row = (name: string, v: number[]) =>
    `${name.padEnd(28)} p50 ${p(v, 50).toFixed(2).padStart(7)} ms   p95 ${p(v, 95).toFixed(2).padStart(7)} ms` +
    (v === sqlMs
      ? ''
      : `   ratio to SQL p50 ${(p(v, 50) / p(sqlMs, 50)).toFixed(2)}  p95 ${(p(v, 95) / p(sqlMs, 95)).toFixed(2)}`);
  console.log(
    `tiles: ${tiles.length} addresses z12–z16 × ${layers.length} layers, ${requests} requests each way, ` +
      `${(bytes / requests / 1024).toFixed(1)} KiB per tile on average`,
  );
  console.log(row('direct SQL', sqlMs));
  console.log(row('HTTP, cold (cache emptied)', coldMs));
  console.log(row('HTTP, warm (from the cache)', warmMs));
  const cold95 = p(coldMs, 95) / p(sqlMs, 95);
  const warm50 = p(warmMs, 50) / p(sqlMs, 50);
  // Cold is judged on the tail, which is what a map user waits for on a tile nobody asked for yet; warm
  // (the usual case: many viewers, one data version) must beat running the SQL at the median.
  const ok = cold95 <= TARGET_RATIO && p(coldMs, 95) <= TARGET_P95_MS && warm50 <= 1;
  console.log(
    `cold p95 ${p(coldMs, 95).toFixed(2)} ms (target ≤ ${TARGET_P95_MS} ms), cold p95 ratio ${cold95.toFixed(2)} (target ≤ ${TARGET_RATIO}), ` +
      `warm p50 ratio ${warm50.toFixed(2)} (target ≤ 1): ${ok ? 'PASS' : 'FAIL'}`,
  );
  console.log(`cache: ${JSON.stringify(cache.stats())}`);
  process.exitCode = ok ? 0 : 1;
} finally {
  agent.destroy();
  await running.stop();
}
