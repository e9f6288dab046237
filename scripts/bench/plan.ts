// npm run bench:plan [-- --rounds N] — the planner's timings on the county data, printed as a table. Publishing
// changes the grids, so this runs its own gridlink on a fresh temporary DATA_DIR (never DATABASE_URL) with demo
// accounts, and removes it afterwards. Further planner timings add a section to SECTIONS.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../server/config.ts';
import { startGridlink } from '../../server/start.ts';
import { DEMO_ACCOUNTS_FILE } from '../../server/auth/accounts.ts';
import { benchPublish, type Call } from './plan-publish.ts';

/** Each section prints its own lines; `call` is the planner's HTTP API on the temporary instance. */
export const SECTIONS: { name: string; run(call: Call, rounds: number): Promise<string[]> }[] = [
  {
    name: 'publish (POST /api/plans/:id/publish, ms)',
    async run(call, rounds) {
      const rows = await benchPublish(call, rounds);
      const baseline = rows[0].p50;
      return [
        '| plan | communities derived | runs | p50 ms | p95 ms | p50 / unchanged |',
        '|---|---|---|---|---|---|',
        ...rows.map(
          (r) =>
            `| ${r.plan} | ${r.communities} | ${r.runs} | ${r.p50.toFixed(0)} | ${r.p95.toFixed(0)} | ${(r.p50 / baseline).toFixed(2)} |`,
        ),
      ];
    },
  },
];

const roundsArg = process.argv.indexOf('--rounds');
const rounds = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 10;
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds must be a whole number ≥ 1');

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridlink-bench-plan-'));
const base = loadConfig();
if (base.databaseUrl)
  console.error('[bench:plan] DATABASE_URL is ignored: publishing would change its grids; using a temporary database');
console.error(`[bench:plan] starting gridlink on ${dataDir} …`);
const running = await startGridlink({
  ...base,
  databaseUrl: undefined,
  dataDir,
  port: 0,
  publishPauseMs: 0,
  auth: { ...base.auth, production: false, demoAccounts: true },
});
try {
  const planner = fs
    .readFileSync(path.join(dataDir, DEMO_ACCOUNTS_FILE), 'utf8')
    .split('\n')
    .find((l) => l.startsWith('planner '))!
    .split(' ');
  const login = await fetch(`${running.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: planner[1], password: planner[2] }),
  });
  const cookie = login.headers
    .getSetCookie()
    .find((c) => c.startsWith('gridlink_session='))!
    .split(';')[0];
  const call: Call = async (method, urlPath, body) => {
    const res = await fetch(`${running.url}${urlPath}`, {
      method,
      headers: { cookie, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${urlPath}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const { rows } = await running.pool.query<{ units: number; households: number }>(
    `select count(*)::int as units, sum(households)::int as households from plan_units where county_code = $1`,
    [base.countyCode],
  );
  console.log(
    `bench:plan on the Yanchi demo data (${rows[0].units} units, ${rows[0].households} households), ${new Date().toISOString()}`,
  );
  for (const section of SECTIONS) {
    console.log(`\n${section.name}`);
    for (const line of await section.run(call, rounds)) console.log(line);
  }
} finally {
  await running.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
