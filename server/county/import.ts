// The import of a county package (docs/county-package.md): the package is read and checked as `check` does, and
// when nothing blocks its rows replace the county's map data in the same transaction — the counties row from the
// manifest, streets and communities as given or derived, compounds, grids as given or made by the balancing
// engine within the county's bounds, buildings, stations — with the data version bumped and an audit row.
import type pg from 'pg';
import type { CountyReport } from '../../shared/api/county-report.ts';
import type { CountyManifest } from '../../shared/county-manifest.ts';
import { balance } from '../balance/index.ts';
import type { BalanceProgress } from '../balance/types.ts';
import { writeAudit } from '../db/audit-repo.ts';
import { upsertCounty } from '../db/counties-repo.ts';
import {
  compoundUnits,
  countyRecords,
  deleteCountyMap,
  hasGivenGrids,
  insertBuildings,
  insertCommunities,
  insertCompounds,
  insertGivenGrids,
  insertPlannedGrids,
  insertStations,
  insertStreets,
  analyzeMap,
  lockCounty,
  stageCommunities,
  stageCompounds,
} from '../db/county-import-repo.ts';
import { bumpDataVersion } from '../db/data-version.ts';
import { inTransaction } from '../postgres/pool.ts';
import { readPackage } from './read-package.ts';
import { reportOf, stagedProblems } from './validate.ts';

/**
 * Time the balancing engine may take per import: a sixth of the two minutes a county of 20,000 compounds may
 * take in all. A small county's plan is done long before (the demo's 255 units: 0.3 s); a large one's first
 * valid plan comes within about 10 s, the rest refines its shapes.
 */
const BALANCE_BUDGET_MS = 20_000;
/** Within one phase of the engine, a progress line at most this often. */
const PROGRESS_EVERY_MS = 3_000;

/** The county holds records an import of its map would strand (issues, plans, …): nothing is written. */
export class CountyHasRecords extends Error {
  constructor(
    readonly countyCode: string,
    readonly records: Record<string, number>,
  ) {
    const list = Object.entries(records).map(([t, n]) => `${n} ${t}`);
    super(`county ${countyCode} holds ${list.join(', ')}: an import replaces only a county without records`);
  }
}

class Blocked extends Error {
  constructor(readonly report: CountyReport) {
    super('the package has blocking problems');
  }
}

export interface ImportSummary {
  code: string;
  name: string;
  /** Rows written per table. */
  rows: Record<string, number>;
  /** Map rows of the county deleted first (a re-import). */
  replaced: number;
  /** Why the engine's plan breaks a rule (a community lighter than the minimum, …); empty when it holds. */
  violations: string[];
  seconds: number;
}

export interface ImportResult {
  report: CountyReport;
  /** Null when something blocks: nothing was written. */
  imported: ImportSummary | null;
}

export interface ImportOptions {
  /** Who imports, for the audit row (the OS user, else "cli"). */
  actor: string;
  /** A line per step as it ends: step, rows, elapsed. */
  progress?: (line: string) => void;
}

/** Grids made by the balancing engine from the compounds, within the county's bounds, per community. */
async function plannedGrids(
  client: pg.PoolClient,
  manifest: CountyManifest,
  violations: string[],
  options: ImportOptions,
): Promise<number> {
  const t0 = Date.now();
  const units = (await compoundUnits(client)).map((u) => ({
    id: u.id,
    geometry: u.geometry,
    weight: u.households,
    group: u.community_id,
  }));
  // A line per phase of the engine and every few seconds within one: a large county plans for tens of seconds.
  let shown = { phase: '', at: 0 };
  const onProgress = (p: BalanceProgress) => {
    if (p.phase === shown.phase && Date.now() - shown.at < PROGRESS_EVERY_MS) return;
    shown = { phase: p.phase, at: Date.now() };
    options.progress?.(`    grid plan, ${p.message} (${Date.now() - t0} ms so far)`);
  };
  const plan = await balance(units, manifest.bounds, { timeBudgetMs: BALANCE_BUDGET_MS, onProgress });
  violations.push(...plan.violations.map((v) => v.message));
  const verdict = plan.valid ? 'every rule holds' : `${plan.violations.length} rules broken`;
  options.progress?.(
    `  grid plan: ${plan.grids.length} grids of ${units.length} compounds, ${verdict} (${Date.now() - t0} ms)`,
  );
  return insertPlannedGrids(client, manifest.code, plan.assignment);
}

async function writeCounty(
  client: pg.PoolClient,
  manifest: CountyManifest,
  options: ImportOptions,
  started: number,
): Promise<ImportSummary> {
  const code = manifest.code;
  const rows: Record<string, number> = {};
  const violations: string[] = [];
  const step = async (name: string, write: () => Promise<number>) => {
    const t0 = Date.now();
    rows[name] = await write();
    options.progress?.(`  ${name}: ${rows[name]} rows (${Date.now() - t0} ms)`);
  };
  await lockCounty(client, code);
  const records = await countyRecords(client, code);
  if (Object.keys(records).length) throw new CountyHasRecords(code, records);
  const t0 = Date.now();
  const replaced = await deleteCountyMap(client, code);
  options.progress?.(`  replaced: ${replaced} rows deleted (${Date.now() - t0} ms)`);
  await upsertCounty(client, code, manifest);
  await stageCommunities(client, manifest.name);
  await step('streets', () => insertStreets(client, code, manifest.name));
  await step('communities', () => insertCommunities(client, code));
  await stageCompounds(client);
  await step('grids', async () =>
    (await hasGivenGrids(client))
      ? insertGivenGrids(client, code)
      : plannedGrids(client, manifest, violations, options),
  );
  await step('compounds', () => insertCompounds(client, code));
  await step('buildings', () => insertBuildings(client, code));
  await step('stations', () => insertStations(client, code));
  await bumpDataVersion(client, code);
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  await writeAudit(client, code, {
    actorUserId: null,
    actor: options.actor,
    action: 'county.import',
    target: `county:${code}`,
    after: { name: manifest.name, rows, replaced, violations: violations.length, seconds },
  });
  return { code, name: manifest.name, rows, replaced, violations, seconds };
}

/**
 * Reads, checks and — when nothing blocks — imports the package in `dir` in one transaction. Throws
 * CountyHasRecords when the county holds records an import would strand.
 */
export async function importPackage(pool: pg.Pool, dir: string, options: ImportOptions): Promise<ImportResult> {
  const started = Date.now();
  const read = await readPackage(dir, options.progress);
  const manifest = read.manifest;
  if (!manifest || !read.rows.length) return { report: reportOf(read, read.problems), imported: null };
  options.progress?.(`  read: ${read.rows.length} rows (${Date.now() - started} ms)`);
  try {
    const result = await inTransaction(pool, async (client) => {
      const t0 = Date.now();
      const report = reportOf(read, [
        ...read.problems,
        ...(await stagedProblems(client, read.rows, manifest.bounds, options.progress)),
      ]);
      options.progress?.(`  checked: ${report.problems.length} problems (${Date.now() - t0} ms)`);
      // The staged table holds the rows now: their memory is let go before the engine needs its own.
      read.rows.length = 0;
      if (report.blocking) throw new Blocked(report);
      return { report, imported: await writeCounty(client, manifest, options, started) };
    });
    await analyzeMap(pool);
    return result;
  } catch (e) {
    if (e instanceof Blocked) return { report: e.report, imported: null };
    throw e;
  }
}
