import { afterAll, describe, expect, it } from 'vitest';
import { LAYERS } from '../../server/db/layers.ts';
import { tileQuery } from '../../server/db/tiles-repo.ts';
import { COUNTY, testPool } from '../helpers/db.ts';

/**
 * The hottest query — a vector tile of every layer — can be answered from a spatial index. The county town's
 * tables are small enough that PostgreSQL may rightly prefer a sequential scan, so sequential scans are
 * priced out here: what remains shows whether an index serves the query (at 100× the data it then will).
 */
const pool = testPool();
afterAll(() => pool.end());

type PlanNode = { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string; Plans?: PlanNode[] };
const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

describe('hot queries use indexes', () => {
  it.each(LAYERS.filter((l) => l.id !== 'streets').map((l) => [l.id, l] as const))('a %s tile reads its table through a GiST index', async (_id, layer) => {
    const client = await pool.connect();
    try {
      await client.query('begin');
      await client.query('set local enable_seqscan = off');
      const { sql, args } = tileQuery(layer, COUNTY, 15, 26647, 12523);
      const { rows } = await client.query(`explain (format json) ${sql}`, args);
      const all = nodes(rows[0]['QUERY PLAN'][0].Plan);
      // The layer's main table: first word of its FROM clause, or the table a label layer selects from.
      const table = (/\bfrom\s+(\w+)/i.exec(layer.from) ?? /^(\w+)/.exec(layer.from))![1];
      const scans = all.filter((n) => n['Relation Name'] === table);
      expect(scans.length, `${layer.id}: ${JSON.stringify(all.map((n) => n['Node Type']))}`).toBeGreaterThan(0);
      // A bitmap heap scan is always fed by a bitmap index scan below it.
      for (const s of scans) expect(s['Node Type'], `${layer.id} on ${table}`).toMatch(/Index Scan|Index Only Scan|Bitmap Heap Scan/);
    } finally {
      await client.query('rollback');
      client.release();
    }
  });
});
