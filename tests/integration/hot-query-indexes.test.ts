import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COUNTY_WIDE } from '../../shared/roles.ts';
import { LAYERS, findLayer } from '../../server/db/layers.ts';
import { tileQuery } from '../../server/db/tiles-repo.ts';
import { queryItems } from '../../server/db/features-repo.ts';
import { findOpenNearby, listIssues } from '../../server/db/issues-repo.ts';
import { PlaceSearch } from '../../server/db/inspect-search-repo.ts';
import { queryCategoryTrend, queryIssueFigures, queryRecentTickerItems } from '../../server/db/wall-repo.ts';
import { findSessionUser } from '../../server/db/sessions-repo.ts';
import { queryIssueStats } from '../../server/db/issue-stats-repo.ts';
import { inRolledBackTransaction, type Pool } from '../../server/postgres/pool.ts';
import { COUNTY, testPool } from '../helpers/db.ts';

/**
 * The hot queries — vector tiles, OGC items, /api/stats, the /events work queue, inspect search, the wall
 * figures, the 50 m duplicate lookup, the session of every request — can be answered from indexes. The
 * product's own query functions run on a pool that records each statement; each is then EXPLAINed. The
 * county town's tables are small enough that PostgreSQL may rightly prefer a sequential scan, so sequential
 * scans are priced out here: what remains shows whether an index serves the query (at 100× the data it then
 * will). Assertions name the index, so dropping one fails the test.
 */
const pool = testPool();
afterAll(() => pool.end());
// Statistics of the expression indexes (autovacuum may not have come by since the data was loaded).
beforeAll(() => pool.query('analyze issues, issue_events, issue_assignments, issue_ratings'));

type PlanNode = { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string; Plans?: PlanNode[] };
const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

function explain(sql: string, args: unknown[]): Promise<PlanNode[]> {
  return inRolledBackTransaction(pool, async (client) => {
    await client.query('set local enable_seqscan = off');
    const { rows } = await client.query(`explain (format json) ${sql}`, args);
    return nodes(rows[0]['QUERY PLAN'][0].Plan);
  });
}

/** Runs `work` on a pool that records what it asks PostgreSQL, and returns the plans of those statements. */
async function plansOf(work: (db: Pool) => Promise<unknown>): Promise<PlanNode[][]> {
  const seen: { sql: string; args: unknown[] }[] = [];
  const recording = {
    query: (sql: string, args?: unknown[]) => {
      seen.push({ sql, args: args ?? [] });
      return pool.query(sql, args);
    },
  } as unknown as Pool;
  await work(recording);
  expect(seen.length).toBeGreaterThan(0);
  return Promise.all(seen.map((s) => explain(s.sql, s.args)));
}

const indexesIn = (plans: PlanNode[][]) =>
  new Set(plans.flat().flatMap((n) => (n['Index Name'] ? [n['Index Name']] : [])));
const seqScansIn = (plans: PlanNode[][]) =>
  plans
    .flat()
    .filter((n) => n['Node Type'] === 'Seq Scan')
    .map((n) => n['Relation Name']);

/** The statements read every table named through an index (never a sequential scan) and use these indexes. */
async function expectIndexed(work: (db: Pool) => Promise<unknown>, indexes: string[], tables: string[]) {
  const plans = await plansOf(work);
  const used = indexesIn(plans);
  for (const name of indexes) expect([...used], `index ${name}`).toContain(name);
  for (const table of tables) expect(seqScansIn(plans), `sequential scan of ${table}`).not.toContain(table);
}

async function anyGrid(): Promise<{ grid: string; community: string }> {
  const { rows } = await pool.query('select id, community_id from grids where county_code = $1 order by id limit 1', [
    COUNTY,
  ]);
  return { grid: rows[0].id, community: rows[0].community_id };
}

/** The issue tables the figures read, and the indexes of their time windows and states. */
const ISSUE_TABLES = ['issues', 'issue_events', 'issue_assignments', 'issue_ratings'];
const ISSUE_WINDOWS = [
  'issues_created',
  'issues_closed',
  'issues_state',
  'issue_events_at',
  'issue_assignments_dispatched',
  'issue_ratings_created',
];

describe('hot queries use indexes', () => {
  it.each(LAYERS.filter((l) => l.id !== 'streets').map((l) => [l.id, l] as const))(
    'a %s tile reads its table through a GiST index',
    async (_id, layer) => {
      const { sql, args } = tileQuery(layer, COUNTY, 15, 26647, 12523);
      const all = await explain(sql, args);
      // The layer's main table: first word of its FROM clause, or the table a label layer selects from.
      const table = (/\bfrom\s+(\w+)/i.exec(layer.from) ?? /^(\w+)/.exec(layer.from))![1];
      const scans = all.filter((n) => n['Relation Name'] === table);
      expect(scans.length, `${layer.id}: ${JSON.stringify(all.map((n) => n['Node Type']))}`).toBeGreaterThan(0);
      // A bitmap heap scan is always fed by a bitmap index scan below it.
      for (const s of scans)
        expect(s['Node Type'], `${layer.id} on ${table}`).toMatch(/Index Scan|Index Only Scan|Bitmap Heap Scan/);
      expect(
        [...indexesIn([all])].some((name) => name.startsWith(table)),
        `${layer.id}: an index of ${table}`,
      ).toBe(true);
    },
  );

  // Grids and communities carry totals summed per row read, through the buildings and grids by key.
  const TOTALS: Record<string, string[]> = {
    grids: ['buildings_county_code_grid_id_idx'],
    communities: ['grids_community'],
  };
  it.each(LAYERS.filter((l) => l.ogc).map((l) => [l.id] as const))(
    'OGC items of %s in a bbox read the table through its GiST index',
    async (id) => {
      const layer = findLayer(id)!;
      const table = /^(\w+)/.exec(layer.from)![1];
      await expectIndexed(
        (db) =>
          queryItems(db, layer, COUNTY, { bbox: [107.39, 37.775, 107.41, 37.79], equals: {}, limit: 100, offset: 0 }),
        [`${table}_geom_idx`, ...(TOTALS[id] ?? [])],
        [table, 'buildings'],
      );
    },
  );

  it('/api/stats reads each window of issues, events, assignments and ratings through its index', async () => {
    // A short period, as for the wall figures below: at the county town's size a long one is most of the table.
    const end = new Date();
    const period = { start: new Date(end.getTime() - 3 * 86_400_000), end };
    await expectIndexed(
      (db) => queryIssueStats(db, COUNTY, COUNTY_WIDE, null, period, end),
      ISSUE_WINDOWS,
      ISSUE_TABLES,
    );
    // In a community (scope or area) PostgreSQL may as well start from the community's issues: an index either way.
    const { community } = await anyGrid();
    await expectIndexed(
      (db) => queryIssueStats(db, COUNTY, { ...COUNTY_WIDE, communityId: community }, null, period, end),
      [],
      ISSUE_TABLES,
    );
    await expectIndexed((db) => queryIssueStats(db, COUNTY, COUNTY_WIDE, community, period, end), [], ISSUE_TABLES);
  });

  it('the /events work queue filters by state, area, scope and reporter through indexes', async () => {
    const { grid, community } = await anyGrid();
    const page = { limit: 50, offset: 0 };
    await expectIndexed(
      (db) => listIssues(db, COUNTY, COUNTY_WIDE, { ...page, states: ['reported', 'dispatched'] }),
      ['issues_state'],
      ['issues'],
    );
    await expectIndexed(
      (db) => listIssues(db, COUNTY, COUNTY_WIDE, { ...page, overdue: true }),
      ['issues_state'],
      ['issues'],
    );
    await expectIndexed(
      (db) => listIssues(db, COUNTY, COUNTY_WIDE, { ...page, areaId: grid }),
      ['issues_grid', 'issues_community', 'issues_street'],
      ['issues'],
    );
    await expectIndexed(
      (db) => listIssues(db, COUNTY, { ...COUNTY_WIDE, communityId: community }, page),
      ['issues_community'],
      ['issues'],
    );
    await expectIndexed(
      (db) => listIssues(db, COUNTY, { ...COUNTY_WIDE, gridId: grid }, page),
      ['issues_grid'],
      ['issues'],
    );
    await expectIndexed(
      (db) => listIssues(db, COUNTY, COUNTY_WIDE, { ...page, reporterUserId: 1 }),
      ['issues_reporter'],
      ['issues'],
    );
  });

  it('inspect search checks the data version by key and joins its place lists through indexes', async () => {
    // Which index of communities or grids serves a join is the planner's choice (pkey or county prefix).
    await expectIndexed(
      (db) => new PlaceSearch(db, COUNTY).search('C0', 5),
      ['data_versions_pkey'],
      ['data_versions', 'communities', 'grids', 'streets'],
    );
  });

  it('the wall figures read only their windows through indexes', async () => {
    // A short period: the town's 90 days of issues make a month a third of the table (a year at scale).
    const now = new Date();
    await expectIndexed(
      (db) => queryIssueFigures(db, COUNTY, now, 3),
      ['issues_source_created', ...ISSUE_WINDOWS],
      ISSUE_TABLES,
    );
    await expectIndexed((db) => queryCategoryTrend(db, COUNTY, now, 3), ['issues_created'], ['issues']);
    await expectIndexed(
      (db) => queryRecentTickerItems(db, COUNTY, 12),
      ['issue_events_at'],
      ['issue_events', 'issues'],
    );
  });

  it('the 50 m duplicate lookup measures on the geography index', async () => {
    const { rows } = await pool.query(
      'select category_id, st_x(location) as x, st_y(location) as y from issues where county_code = $1 limit 1',
      [COUNTY],
    );
    await expectIndexed(
      (db) => findOpenNearby(db, COUNTY, rows[0].category_id, rows[0].x, rows[0].y, 50),
      ['issues_location_geography'],
      ['issues'],
    );
  });

  it('a request’s session is found by its token hash', async () => {
    await expectIndexed(
      (db) => findSessionUser(db, COUNTY, 'a'.repeat(64)),
      ['sessions_pkey', 'users_pkey'],
      ['sessions', 'users'],
    );
  });
});
