import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { ROLES, type Role } from '../../shared/roles.ts';
import { cookieFrom, demoAccount, loginCookie, postJson, registeredRoutes } from '../helpers/auth.ts';
import { testPool } from '../helpers/db.ts';

/**
 * Every route the app registers × every caller, with the status each must get, against the real server
 * and database. A route added without an entry here fails the first test.
 */
type Caller = 'anonymous' | 'wall' | Role;
const CALLERS: Caller[] = ['anonymous', 'wall', ...ROLES];

interface Entry {
  /** A concrete request for the route. */
  url: string;
  body?: unknown;
  /** The status per caller. */
  expect: (caller: Caller) => number;
  /** Use a session of its own (the request ends it). */
  ownSession?: boolean;
  /** An endless response (SSE): read the status, then hang up. */
  stream?: boolean;
}

const everyone = (status: number) => () => status;
/** `status` for a signed-in caller of `roles`, 403 for any other, 401 for the anonymous. */
const rolesOnly = (roles: Caller[], status: number) => (c: Caller) =>
  c === 'anonymous' ? 401 : roles.includes(c) ? status : 403;
const adminOnly = (status: number) => rolesOnly(['admin'], status);
const page = (url: string): Entry => ({ url, expect: everyone(200) });
const planners = (status: number) => rolesOnly(['admin', 'planner'], status);

const MATRIX: Record<string, Entry> = {
  'GET /tiles/:layer.json': { url: '/tiles/grids.json', expect: everyone(200) },
  'GET /tiles/:layer/:z/:x/:y.mvt': { url: '/tiles/grids/12/3300/1559.mvt', expect: everyone(200) },
  'GET /api/health': { url: '/api/health', expect: everyone(200) },
  'GET /ogc': { url: '/ogc', expect: everyone(200) },
  'GET /ogc/api': { url: '/ogc/api', expect: everyone(200) },
  'GET /ogc/conformance': { url: '/ogc/conformance', expect: everyone(200) },
  'GET /ogc/collections': { url: '/ogc/collections', expect: everyone(200) },
  'GET /ogc/collections/:id': { url: '/ogc/collections/grids', expect: everyone(200) },
  'GET /ogc/collections/:id/items': { url: '/ogc/collections/grids/items?limit=2', expect: everyone(200) },
  'GET /ogc/collections/:id/items/:fid': { url: '/ogc/collections/grids/items/G001', expect: everyone(200) },
  'GET /styles/gridlink.json': { url: '/styles/gridlink.json', expect: everyone(200) },
  // The county's name, grid bounds and whether it is synthetic: public like the map it labels.
  'GET /api/county': { url: '/api/county', expect: everyone(200) },
  // The inspection map's area cards, search and coverage: places and counts only, open like the map layers.
  'GET /api/areas/county': { url: '/api/areas/county', expect: everyone(200) },
  'GET /api/areas/:level/:id': { url: '/api/areas/grid/G001', expect: everyone(200) },
  'GET /api/search': { url: '/api/search?q=G00', expect: everyone(200) },
  'GET /api/coverage': { url: '/api/coverage', expect: everyone(200) },
  // Issue figures of an area and the choropleth metrics are counts, open like the card; the people
  // serving an area (names, phones) need people:read-masked.
  'GET /api/areas/county/issues': { url: '/api/areas/county/issues', expect: everyone(200) },
  'GET /api/areas/:level/:id/issues': { url: '/api/areas/grid/G001/issues', expect: everyone(200) },
  'GET /api/inspect/metrics': { url: '/api/inspect/metrics?level=community', expect: everyone(200) },
  'GET /api/areas/:level/:id/people': {
    url: '/api/areas/grid/G001/people',
    expect: (c) => (c === 'anonymous' ? 401 : c === 'wall' || c === 'reporter' || c === 'member_unit' ? 403 : 200),
  },
  // An invalid body, so that no failure is counted against the address of the tests.
  'POST /api/auth/login': { url: '/api/auth/login', body: {}, expect: everyone(400) },
  'POST /api/auth/logout': { url: '/api/auth/logout', expect: everyone(204), ownSession: true },
  'GET /api/me': { url: '/api/me', expect: (c) => (c === 'anonymous' ? 401 : 200) },
  'GET /api/session': { url: '/api/session', expect: () => 200 },
  'GET /api/admin/display-tokens': { url: '/api/admin/display-tokens', expect: adminOnly(200) },
  'POST /api/admin/display-tokens': {
    url: '/api/admin/display-tokens',
    body: { screen: 'matrix' },
    expect: adminOnly(201),
  },
  'DELETE /api/admin/display-tokens/:id': { url: '/api/admin/display-tokens/999999999', expect: adminOnly(404) },
  // Accounts over HTTP (admins), the audit viewer, the user's own password. Invalid bodies or user 999999999: none writes.
  'GET /api/admin/users': { url: '/api/admin/users', expect: adminOnly(200) },
  'POST /api/admin/users': { url: '/api/admin/users', body: {}, expect: adminOnly(400) },
  'PATCH /api/admin/users/:id': {
    url: '/api/admin/users/999999999',
    body: { disabled: false },
    expect: adminOnly(404),
  },
  'POST /api/admin/users/:id/password': {
    url: '/api/admin/users/999999999/password',
    body: { password: 'a long enough password' },
    expect: adminOnly(404),
  },
  'GET /api/admin/audit': { url: '/api/admin/audit?limit=1', expect: adminOnly(200) },
  // County packages (/admin/data): a JSON body is no upload (400); upload 0…0 does not exist (404). None writes.
  'POST /api/admin/county-data': { url: '/api/admin/county-data', body: {}, expect: adminOnly(400) },
  'POST /api/admin/county-data/:id/check': {
    url: '/api/admin/county-data/00000000-0000-4000-8000-000000000000/check',
    body: {},
    expect: adminOnly(404),
  },
  'POST /api/admin/county-data/:id/apply': {
    url: '/api/admin/county-data/00000000-0000-4000-8000-000000000000/apply',
    expect: adminOnly(404),
  },
  'POST /api/me/password': {
    url: '/api/me/password',
    body: {},
    expect: (c) => (c === 'anonymous' ? 401 : c === 'wall' ? 403 : 400),
  },
  // Issues (server/issues/README.md). Categories are open like the map; the rest needs the right role. Each
  // request is refused or aimed at nothing (no issue 999999999, a point outside the county), so none writes.
  'GET /api/categories': { url: '/api/categories', expect: everyone(200) },
  'PUT /api/admin/categories/:id': {
    url: '/api/admin/categories/street_litter',
    body: { time_limit_hours: 5 },
    expect: adminOnly(200),
  },
  'POST /api/issues': {
    url: '/api/issues',
    body: { category: 'street_litter', description: 'matrix', lon: 116.397, lat: 39.909 },
    expect: rolesOnly(['admin', 'grid_worker', 'reporter'], 422),
  },
  'GET /api/issues': {
    url: '/api/issues?limit=1',
    expect: (c) => (c === 'anonymous' ? 401 : c === 'wall' || c === 'planner' ? 403 : 200),
  },
  'GET /api/issues/:id': {
    url: '/api/issues/999999999',
    expect: (c) => (c === 'anonymous' ? 401 : c === 'wall' || c === 'planner' ? 403 : 404),
  },
  'POST /api/issues/:id/transitions': {
    url: '/api/issues/999999999/transitions',
    body: { to: 'accepted' },
    expect: (c) =>
      c === 'anonymous'
        ? 401
        : ['admin', 'dispatcher', 'grid_worker', 'reporter', 'member_unit'].includes(c)
          ? 404
          : 403,
  },
  'POST /api/issues/:id/rating': {
    url: '/api/issues/999999999/rating',
    body: { rating: 'satisfied' },
    expect: rolesOnly(['admin', 'reporter'], 404),
  },
  // Not multipart: refused before anything is read.
  'POST /api/issues/:id/photos': {
    url: '/api/issues/999999999/photos',
    body: {},
    expect: (c) =>
      c === 'anonymous'
        ? 401
        : ['admin', 'dispatcher', 'grid_worker', 'reporter', 'member_unit'].includes(c)
          ? 400
          : 403,
  },
  // Photos are scoped like their issue: no issue 999999999, so every account that may read issues gets 404.
  'GET /api/issues/:id/photos/:photoId': {
    url: '/api/issues/999999999/photos/1',
    expect: (c) => (c === 'anonymous' ? 401 : c === 'wall' || c === 'planner' ? 403 : 404),
  },
  'GET /api/issues/:id/photos/:photoId/thumbnail': {
    url: '/api/issues/999999999/photos/1/thumbnail',
    expect: (c) => (c === 'anonymous' ? 401 : c === 'wall' || c === 'planner' ? 403 : 404),
  },
  // Open311 GeoReport v2 (server/open311/README.md): services and requests are public like the map (public fields
  // only); posting needs an account that may submit reports (or an api_key); a point outside the county writes nothing.
  'GET /open311/v2/discovery.json': { url: '/open311/v2/discovery.json', expect: everyone(200) },
  'GET /open311/v2/services.json': { url: '/open311/v2/services.json', expect: everyone(200) },
  'GET /open311/v2/services/:code.json': { url: '/open311/v2/services/street_litter.json', expect: everyone(200) },
  'POST /open311/v2/requests.json': {
    url: '/open311/v2/requests.json',
    body: { service_code: 'street_litter', lat: 39.909, long: 116.397 },
    expect: rolesOnly(['admin', 'grid_worker', 'reporter'], 422),
  },
  'GET /open311/v2/requests.json': { url: '/open311/v2/requests.json?status=open', expect: everyone(200) },
  'GET /open311/v2/requests/:id.json': { url: '/open311/v2/requests/SJ00000000-000000.json', expect: everyone(404) },
  'GET /api/admin/api-keys': { url: '/api/admin/api-keys', expect: adminOnly(200) },
  'POST /api/admin/api-keys': { url: '/api/admin/api-keys', body: {}, expect: adminOnly(400) },
  'DELETE /api/admin/api-keys/:id': { url: '/api/admin/api-keys/999999999', expect: adminOnly(404) },
  // Micro-wishes, activities, deliberation items (server/community/README.md): lists for leaders and handlers,
  // scoped in SQL; writes by handlers (posting a wish: grid workers). Invalid bodies or item 999999999: none writes.
  'GET /api/micro-wishes': {
    url: '/api/micro-wishes?limit=1',
    expect: rolesOnly(['admin', 'leader', 'dispatcher', 'grid_worker'], 200),
  },
  'POST /api/micro-wishes': {
    url: '/api/micro-wishes',
    body: {},
    expect: rolesOnly(['admin', 'grid_worker'], 400),
  },
  'GET /api/micro-wishes/:id/members': {
    url: '/api/micro-wishes/999999999/members',
    expect: rolesOnly(['admin', 'dispatcher', 'grid_worker'], 404),
  },
  'POST /api/micro-wishes/:id/claim': {
    url: '/api/micro-wishes/999999999/claim',
    body: { party_member_id: 'P1' },
    expect: rolesOnly(['admin', 'dispatcher', 'grid_worker'], 404),
  },
  'POST /api/micro-wishes/:id/fulfil': {
    url: '/api/micro-wishes/999999999/fulfil',
    body: { note: 'matrix' },
    expect: rolesOnly(['admin', 'dispatcher', 'grid_worker'], 404),
  },
  'GET /api/service-activities': {
    url: '/api/service-activities?limit=1',
    expect: rolesOnly(['admin', 'leader', 'dispatcher', 'grid_worker'], 200),
  },
  'POST /api/service-activities': {
    url: '/api/service-activities',
    body: {},
    expect: rolesOnly(['admin', 'dispatcher', 'grid_worker'], 400),
  },
  'GET /api/deliberations': {
    url: '/api/deliberations?limit=1',
    expect: rolesOnly(['admin', 'leader', 'dispatcher', 'grid_worker'], 200),
  },
  'POST /api/deliberations': {
    url: '/api/deliberations',
    body: {},
    expect: rolesOnly(['admin', 'dispatcher', 'grid_worker'], 400),
  },
  'POST /api/deliberations/:id/advance': {
    url: '/api/deliberations/999999999/advance',
    body: {},
    expect: rolesOnly(['admin', 'dispatcher', 'grid_worker'], 404),
  },
  // Counts per grid: aggregates (wall displays too), never a person.
  'GET /api/community-service/counts': {
    url: '/api/community-service/counts',
    expect: (c) => (c === 'anonymous' ? 401 : c === 'reporter' ? 403 : 200),
  },
  // The community workforce: leaders and dispatchers read (names masked), admins write.
  // Person P-none and an invalid allowance body, so that none writes.
  'GET /api/workforce/staff': {
    url: '/api/workforce/staff?limit=1',
    expect: rolesOnly(['admin', 'leader', 'dispatcher'], 200),
  },
  'PATCH /api/workforce/staff/:personId': {
    url: '/api/workforce/staff/P-none',
    body: { level: 3 },
    expect: adminOnly(404),
  },
  'PUT /api/workforce/staff/:personId/mentor': {
    url: '/api/workforce/staff/P-none/mentor',
    body: { mentor_id: null },
    expect: adminOnly(404),
  },
  'GET /api/workforce/allowances': {
    url: '/api/workforce/allowances',
    expect: rolesOnly(['admin', 'leader', 'dispatcher'], 200),
  },
  'PUT /api/workforce/allowances/:rankClass/:level': {
    url: '/api/workforce/allowances/head/1',
    body: {},
    expect: adminOnly(400),
  },
  // Open like the area card (no mean over fewer than three people for callers who may not see staff).
  'GET /api/workforce/figures': { url: '/api/workforce/figures', expect: everyone(200) },
  // Issue KPIs: aggregates scoped to the caller's area, never a person.
  'GET /api/stats': {
    url: '/api/stats?days=30',
    expect: (c) => (c === 'anonymous' ? 401 : c === 'reporter' ? 403 : 200),
  },
  // The wall display: aggregates only — accounts with aggregates:read and wall tokens; anonymous
  // callers like the map layers (open unless REQUIRE_LOGIN=1); reporters have no aggregates permission.
  'GET /api/wall/figures': { url: '/api/wall/figures', expect: (c) => (c === 'reporter' ? 403 : 200) },
  'GET /api/wall/issue-points': { url: '/api/wall/issue-points', expect: (c) => (c === 'reporter' ? 403 : 200) },
  'GET /api/wall/grid-metrics': { url: '/api/wall/grid-metrics', expect: (c) => (c === 'reporter' ? 403 : 200) },
  'GET /api/stream': { url: '/api/stream', expect: (c) => (c === 'reporter' ? 403 : 200), stream: true },
  // The planner (/plan): planners and admins only. Invalid bodies and plan 999999999, so that none writes.
  'GET /api/plan/units': { url: '/api/plan/units', expect: planners(200) },
  'GET /api/plans': { url: '/api/plans', expect: planners(200) },
  'POST /api/plans': { url: '/api/plans', body: {}, expect: planners(400) },
  'GET /api/plans/:id': { url: '/api/plans/999999999', expect: planners(404) },
  'PUT /api/plans/:id/assignments': {
    url: '/api/plans/999999999/assignments',
    body: { assignments: {} },
    expect: planners(404),
  },
  'DELETE /api/plans/:id': { url: '/api/plans/999999999', expect: planners(404) },
  'POST /api/plans/:id/publish': { url: '/api/plans/999999999/publish', expect: planners(404) },
  'POST /api/plans/:id/rebase': { url: '/api/plans/999999999/rebase', expect: planners(404) },
  'POST /api/plans/:id/restore': { url: '/api/plans/999999999/restore', expect: planners(404) },
  'GET /api/plan/history': { url: '/api/plan/history', expect: planners(200) },
  'GET /api/plans/:id/export': { url: '/api/plans/999999999/export?format=geojson', expect: planners(404) },
  'POST /api/plan-files/preview': { url: '/api/plan-files/preview', body: {}, expect: planners(400) },
  'POST /api/plan-files/apply': { url: '/api/plan-files/apply', body: {}, expect: planners(400) },
  'GET /': page('/'),
  'GET /wall': page('/wall'),
  'GET /inspect': page('/inspect'),
  'GET /plan': page('/plan'),
  'GET /report': page('/report'),
  'GET /events': page('/events'),
  'GET /login': page('/login'),
  'GET /admin': page('/admin'),
  'GET /account': page('/account'),
  'GET /admin/workforce': page('/admin/workforce'),
  'GET /admin/data': page('/admin/data'),
};

const base = inject('baseUrl');
const pool = testPool();
const cookies = new Map<Caller, string>();
let routes: string[];

beforeAll(async () => {
  // The same assembly as the test server, to read its routes.
  routes = registeredRoutes(await createApp({ ...loadConfig(), port: 0 }, pool)).map((r) => `${r.method} ${r.path}`);
  for (const role of ROLES) cookies.set(role, await loginCookie(demoAccount(role)));
  const created = await postJson(
    `${base}/api/admin/display-tokens`,
    { screen: 'matrix wall' },
    { cookie: cookies.get('admin')! },
  );
  const { token } = await created.json();
  cookies.set(
    'wall',
    cookieFrom(await fetch(`${base}/wall?token=${token}`, { redirect: 'manual' }), 'gridlink_display'),
  );
});
afterAll(() => pool.end());

describe('authorization matrix', () => {
  it('has an entry for every route the app registers, and no entry for a route it does not', () => {
    expect(routes.length).toBeGreaterThan(15);
    expect(
      routes.filter((r) => !(r in MATRIX)),
      'routes without an entry in MATRIX',
    ).toEqual([]);
    expect(
      Object.keys(MATRIX).filter((k) => !routes.includes(k)),
      'entries for no route',
    ).toEqual([]);
  });

  it.each(Object.entries(MATRIX))('%s', async (_route, entry) => {
    const method = _route.split(' ')[0];
    const got: Record<string, number> = {};
    const want: Record<string, number> = {};
    for (const caller of CALLERS) {
      let cookie = cookies.get(caller);
      if (entry.ownSession && caller !== 'anonymous' && caller !== 'wall')
        cookie = await loginCookie(demoAccount(caller));
      const headers: Record<string, string> = cookie ? { cookie } : {};
      if (entry.body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${base}${entry.url}`, {
        method,
        headers,
        body: entry.body === undefined ? undefined : JSON.stringify(entry.body),
        redirect: 'manual',
      });
      if (entry.stream && res.ok) await res.body?.cancel();
      else await res.arrayBuffer();
      got[caller] = res.status;
      want[caller] = entry.expect(caller);
    }
    expect(got).toEqual(want);
  });
});

describe('query parameters', () => {
  // Every GET of the API with a parameter it does not know: a 400 naming it, for a caller the route lets in
  // (the pages, HTML for the browser, take the app's own parameters).
  const API_PREFIXES = ['/api/', '/ogc', '/tiles/', '/styles/', '/open311/'];
  const reads = Object.entries(MATRIX).filter(
    ([route, entry]) => route.startsWith('GET ') && API_PREFIXES.some((p) => entry.url.startsWith(p)),
  );
  it.each(reads)('%s refuses ?unknownParameter=1', async (_route, entry) => {
    // A caller past the route's permission check (its entry may name a row that does not exist: 404).
    const caller = CALLERS.find((c) => ![401, 403].includes(entry.expect(c)));
    expect(caller, 'a caller the route lets in').toBeDefined();
    const cookie = cookies.get(caller!);
    const url = `${base}${entry.url}${entry.url.includes('?') ? '&' : '?'}unknownParameter=1`;
    const res = await fetch(url, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
    // The one error shape; Open311 answers in its own ([{ code, description }]).
    const body = (await res.json()) as { error?: { message: string } } | { description: string }[];
    expect(res.status, url).toBe(400);
    expect(Array.isArray(body) ? body[0]?.description : body.error?.message).toMatch(/unknownParameter/);
  });
});
