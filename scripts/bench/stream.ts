// npm run bench:stream [-- --clients 50 --reports 50 --interval 200 --workers 2] — the live path of a snap
// report: `clients` wall displays hold GET /api/stream open on a gridlink server of its own (a child process,
// `--workers N` processes, on .data/tools unless DATA_DIR or DATABASE_URL is set), then `reports` reports are
// posted through POST /api/issues, one every `interval` ms. For every report and every client: the time from
// sending the POST to the client receiving its `issue` event (INSERT → NOTIFY at commit → LISTEN in each server
// process → SSE). Prints p50/p95/max against the POST's own answer time measured in the same run, and the
// machine's load. Target: p95 ≤ 1 s. The reports are deleted again afterwards.
import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, repoRoot } from '../../server/config.ts';
import { createPool } from '../../server/postgres/pool.ts';
import { embeddedConnection } from '../../server/postgres/cluster.ts';
import { createUser } from '../../server/db/users-repo.ts';
import { hashPassword } from '../../server/auth/passwords.ts';
import { cookieFrom, postJson } from '../../tests/helpers/auth.ts';
import { freePort, processRunner } from '../../tests/helpers/processes.ts';
import { percentile } from './tile-set.ts';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '50' },
    reports: { type: 'string', default: '50' },
    interval: { type: 'string', default: '200' },
    workers: { type: 'string', default: '2' },
  },
});
const count = (name: keyof typeof values) => {
  const v = Number(values[name]);
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a whole number above 0`);
  return v;
};
const CLIENTS = count('clients');
const REPORTS = count('reports');
const INTERVAL_MS = count('interval');
const WORKERS = count('workers');
const say = (line: string) => console.error(`[stream] ${line}`);

/** One SSE client: the receipt time (performance.now()) of every `issue` event by issue id and state. */
async function streamClient(url: string, onReady: () => void, abort: AbortSignal): Promise<Map<string, number>> {
  const received = new Map<string, number>();
  const res = await fetch(url, { headers: { accept: 'text/event-stream' }, signal: abort });
  if (res.status !== 200 || !res.body) throw new Error(`GET /api/stream answered ${res.status}`);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        const at = performance.now();
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event === 'hello') onReady();
          if (event === 'issue' && data) {
            const { id, state } = JSON.parse(data) as { id: number; state: string };
            const key = `${id}:${state}`;
            if (!received.has(key)) received.set(key, at);
          }
        }
      }
    } catch {
      // aborted at the end
    }
  })();
  return received;
}

const config = loadConfig();
const dataDir = process.env.DATA_DIR ? config.dataDir : path.join(repoRoot, '.data', 'tools');
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const runner = processRunner();
say(
  `starting gridlink (${WORKERS} process${WORKERS > 1 ? 'es' : ''}) on ${config.databaseUrl ? 'DATABASE_URL' : dataDir} …`,
);
const server = runner.run('server/main.ts', ['--workers', String(WORKERS)], {
  DATA_DIR: dataDir,
  PORT: String(port),
  // One bench account posts every report: the per-account hourly limit would refuse the 21st.
  REPORTS_PER_HOUR: String(Math.max(1000, REPORTS)),
  ...(config.databaseUrl ? { DATABASE_URL: config.databaseUrl } : {}),
});
const abort = new AbortController();
const pool = createPool({
  ...(config.databaseUrl ? { connectionString: config.databaseUrl } : embeddedConnection(dataDir).connection),
  max: 2,
});
let reporterId: number | undefined;
try {
  await server.waitFor('Ready:', 600_000);
  const username = `bench-stream-${crypto.randomBytes(4).toString('hex')}`;
  const password = crypto.randomBytes(12).toString('base64url');
  const scope = { streetId: null, communityId: null, gridId: null };
  reporterId = (await createUser(pool, config.countyCode, {
    username,
    passwordHash: await hashPassword(password),
    role: 'reporter',
    scope,
  }))!.id;
  const login = await postJson(`${base}/api/auth/login`, { username, password });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const cookie = cookieFrom(login, 'gridlink_session');
  // Report points spread over the county's grids (a different grid each time, so no duplicate is offered).
  const points = (
    await pool.query<{ lon: number; lat: number }>(
      `select st_x(p) as lon, st_y(p) as lat from (
         select st_pointonsurface(geom) as p, row_number() over (order by md5(id)) as n from grids where county_code = $1) g
       order by n limit $2`,
      [config.countyCode, REPORTS],
    )
  ).rows;

  let ready = 0;
  const clients = await Promise.all(
    Array.from({ length: CLIENTS }, () => streamClient(`${base}/api/stream`, () => ready++, abort.signal)),
  );
  const until = Date.now() + 30_000;
  while (ready < CLIENTS && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  if (ready < CLIENTS) throw new Error(`only ${ready} of ${CLIENTS} stream clients said hello`);
  say(`${CLIENTS} stream clients connected; posting ${REPORTS} reports, one every ${INTERVAL_MS} ms …`);

  const sent: { id: number; at: number; answeredMs: number }[] = [];
  for (let k = 0; k < REPORTS; k++) {
    const point = points[k % points.length];
    const at = performance.now();
    const res = await postJson(
      `${base}/api/issues`,
      {
        category: 'street_litter',
        description: `压测上报 ${k + 1}（示例数据）`,
        ...point,
        idempotency_key: `bench-stream-${crypto.randomUUID()}`,
        join: false,
      },
      { cookie },
    );
    if (res.status !== 201) throw new Error(`report ${k + 1}: ${res.status} ${await res.text()}`);
    sent.push({ id: ((await res.json()) as { id: number }).id, at, answeredMs: performance.now() - at });
    await new Promise((r) => setTimeout(r, INTERVAL_MS));
  }
  await new Promise((r) => setTimeout(r, 3000)); // stragglers

  const latencies: number[] = [];
  let missing = 0;
  for (const s of sent) {
    for (const c of clients) {
      const got = c.get(`${s.id}:reported`);
      if (got === undefined) missing++;
      else latencies.push(got - s.at);
    }
  }
  latencies.sort((a, b) => a - b);
  const answered = sent.map((s) => s.answeredMs).sort((a, b) => a - b);
  const [l1, l5, l15] = os.loadavg();
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  console.log(
    `bench:stream — ${CLIENTS} stream clients, ${REPORTS} reports, ${WORKERS} server process${WORKERS > 1 ? 'es' : ''}, ` +
      `${os.cpus().length} cores, load average ${l1.toFixed(2)} ${l5.toFixed(2)} ${l15.toFixed(2)}`,
  );
  console.log(
    `  POST → receipt at every client (${latencies.length} deliveries, ${missing} missing): ` +
      `p50 ${ms(percentile(latencies, 50))}, p95 ${ms(percentile(latencies, 95))}, max ${ms(latencies.at(-1) ?? NaN)}`,
  );
  console.log(
    `  POST → its answer (baseline): p50 ${ms(percentile(answered, 50))}, p95 ${ms(percentile(answered, 95))}`,
  );
  console.log(
    `  ratio p50 ${(percentile(latencies, 50) / percentile(answered, 50)).toFixed(2)}, ` +
      `p95 ${(percentile(latencies, 95) / percentile(answered, 95)).toFixed(2)}`,
  );
  const p95 = percentile(latencies, 95);
  console.log(`  target p95 ≤ 1000 ms: ${p95 <= 1000 && missing === 0 ? 'met' : 'NOT met'}`);
  if (missing > 0) process.exitCode = 1;
} finally {
  abort.abort();
  if (reporterId !== undefined) {
    // The bench's reports are not part of the demo history: remove them (and their events) again.
    await pool
      .query(
        `with mine as (select id from issues where county_code = $1 and reporter_user_id = $2),
       e as (delete from issue_events where county_code = $1 and issue_id in (select id from mine))
       delete from issues where county_code = $1 and id in (select id from mine)`,
        [config.countyCode, reporterId],
      )
      .catch((e) => say(`could not remove the bench reports: ${(e as Error).message}`));
  }
  await pool.end();
  server.child.kill('SIGTERM');
  await server.exited;
}
