import crypto from 'node:crypto';
import { inject } from 'vitest';
import type pg from 'pg';
import { createUser } from '../../server/db/users-repo.ts';
import { hashPassword } from '../../server/auth/passwords.ts';
import type { AreaScope, Role } from '../../shared/roles.ts';
import { demoAccount, loginCookie } from './auth.ts';
import { COUNTY } from './db.ts';
import { OPEN_STATES, type ReporterKind } from '../../shared/issue-states.ts';

/** A JSON request to the test server: status and parsed body. */
export async function api(
  method: string,
  path: string,
  cookie: string | undefined,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = {};
  if (cookie) headers.cookie = cookie;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${inject('baseUrl')}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

const sessions = new Map<Role, string>();
/** A session of the demo account of a role (cached per test file). */
export async function demoSession(role: Role): Promise<string> {
  if (!sessions.has(role)) sessions.set(role, await loginCookie(demoAccount(role)));
  return sessions.get(role)!;
}

/** A fresh account of its own (a test's reports then count against nobody else's rate limit), logged in. */
export async function freshSession(
  pool: pg.Pool,
  role: Role,
  scope: AreaScope = { streetId: null, communityId: null, gridId: null },
  /** A reporter account of a rider or a party member. */
  reportsAs: ReporterKind | null = null,
): Promise<{ cookie: string; userId: number }> {
  const username = `t-${role.replace('_', '-')}-${crypto.randomBytes(4).toString('hex')}`;
  const password = crypto.randomBytes(12).toString('base64url');
  const passwordHash = await hashPassword(password);
  const user = await createUser(pool, COUNTY, { username, passwordHash, role, scope, reportsAs });
  return { cookie: await loginCookie({ username, password }), userId: user!.id };
}

let pointSeed = Math.floor(Math.random() * 100_000);
/**
 * A point inside the grid with no open issue of the category within `clearMetres` (60 m), so that duplicate
 * detection (50 m, open issues only) does not join unrelated tests; a caller that probes around the point asks for
 * more room. With `orCrowded`, a grid full of open reports still gives a point (the caller then reports with
 * join: false).
 */
export async function freePoint(
  pool: pg.Pool,
  gridId: string,
  categoryId: string,
  orCrowded = false,
  clearMetres = 60,
): Promise<{ lon: number; lat: number }> {
  const { rows } = await pool.query<{ lon: number; lat: number; taken: boolean }>(
    `select st_x(p) as lon, st_y(p) as lat,
            exists (select 1 from issues i where i.county_code = $1 and i.category_id = $4 and i.state = any($5::text[])
                      and st_dwithin(i.location::geography, x.p::geography, $6)) as taken
     from (select (st_dump(st_generatepoints(geom, 200, $3))).geom as p from grids where county_code = $1 and id = $2) x
     order by taken limit 1`,
    [COUNTY, gridId, ++pointSeed, categoryId, OPEN_STATES, clearMetres],
  );
  if (!rows[0] || (rows[0].taken && !orCrowded)) throw new Error(`no free point in ${gridId} for ${categoryId}`);
  return { lon: rows[0].lon, lat: rows[0].lat };
}

/** Grid ids of the demo accounts' area: the grid worker's grid, another grid of the dispatcher's community, one outside it. */
export async function demoGrids(
  pool: pg.Pool,
): Promise<{ workerGrid: string; communityGrid: string; otherCommunityGrid: string; communityId: string }> {
  const { rows } = await pool.query<{ grid_id: string; community_id: string }>(
    `select grid_id, community_id from users where county_code = $1 and username = 'demo-grid-worker'`,
    [COUNTY],
  );
  const { grid_id: workerGrid, community_id: communityId } = rows[0];
  const same = await pool.query<{ id: string }>(
    `select id from grids where county_code = $1 and community_id = $2 and id <> $3 order by id limit 1`,
    [COUNTY, communityId, workerGrid],
  );
  const other = await pool.query<{ id: string }>(
    `select id from grids where county_code = $1 and community_id <> $2 order by id limit 1`,
    [COUNTY, communityId],
  );
  return { workerGrid, communityGrid: same.rows[0].id, otherCommunityGrid: other.rows[0].id, communityId };
}

/** Rows of every issue table (all issues, or one issue's): a refused request must leave them unchanged. */
export async function issueRowCounts(pool: pg.Pool, issueId?: number): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ['issues', 'issue_events', 'issue_assignments', 'issue_photos', 'issue_ratings']) {
    const column = table === 'issues' ? 'id' : 'issue_id';
    const { rows } = await pool.query<{ n: number }>(
      `select count(*)::int as n from ${table} where county_code = $1 and ($2::bigint is null or ${column} = $2)`,
      [COUNTY, issueId ?? null],
    );
    out[table] = rows[0].n;
  }
  const state =
    issueId === undefined
      ? undefined
      : (
          await pool.query<{ state: string }>('select state from issues where county_code = $1 and id = $2', [
            COUNTY,
            issueId,
          ])
        ).rows[0]?.state;
  if (state) out[`state:${state}`] = 1;
  return out;
}

/** A report by this session at a free point of the grid; returns the created issue. */
export async function report(
  pool: pg.Pool,
  cookie: string,
  gridId: string,
  categoryId = 'street_litter',
  extra: Record<string, unknown> = {},
): Promise<any> {
  const point = await freePoint(pool, gridId, categoryId, true);
  const res = await api('POST', '/api/issues', cookie, {
    category: categoryId,
    description: '测试上报',
    ...point,
    join: false,
    ...extra,
  });
  if (res.status !== 201) throw new Error(`report failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The people of a case: the demo grids, a fresh reporter, the demo dispatcher and the demo grid worker. */
export async function issueCast(pool: pg.Pool) {
  return {
    grids: await demoGrids(pool),
    reporter: await freshSession(pool, 'reporter'),
    dispatcher: await demoSession('dispatcher'),
    worker: await demoSession('grid_worker'),
  };
}

/** The first `count` member units of the county, by id. */
export async function memberUnitIds(pool: pg.Pool, count: number): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    'select id from member_units where county_code = $1 order by id limit $2',
    [COUNTY, count],
  );
  return rows.map((r) => r.id);
}

/** The states of a case that goes the whole way, from the report to the reporter's rating. */
export const WHOLE_WAY = 'reported accepted filed dispatched signed handling feedback verified closed rated'.split(' ');
export type IssueCast = Awaited<ReturnType<typeof issueCast>>;

/** A fresh reporter's report of the category in the demo grid worker's grid. */
export async function reportedIssue(pool: pg.Pool, categoryId: string) {
  const grids = await demoGrids(pool);
  const reporter = await freshSession(pool, 'reporter');
  return {
    grids,
    reporter,
    issue: (await report(pool, reporter.cookie, grids.workerGrid, categoryId)) as { id: number },
  };
}
export type ReportedIssue = Awaited<ReturnType<typeof reportedIssue>>;
