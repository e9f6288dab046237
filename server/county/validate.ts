// The validation report of a county package: the package is read (read-package.ts), its rows staged in temporary
// tables inside a transaction that is always rolled back, and checked there with PostGIS. Nothing is written.
import type pg from 'pg';
import type { CountyReport, Problem, Severity } from '../../shared/api/county-report.ts';
import {
  createStage,
  finishStage,
  offsetHints,
  runStageCheck,
  STAGE_BATCH,
  STAGE_CHECKS,
  stageRows,
  unknownSrids,
  type StageCheck,
} from '../db/county-staging-repo.ts';
import { inRolledBackTransaction } from '../postgres/pool.ts';
import { problem } from './problems.ts';
import { readPackage, type ReadPackage } from './read-package.ts';
import type { StageRow } from './rows.ts';
import { toWkb } from './wkb.ts';

/** Problems listed per code; past it they are counted. */
export const PROBLEMS_PER_CODE = 200;

const SEVERITY: Record<StageCheck, Severity> = {
  geometry_invalid: 'block',
  compounds_overlap: 'warn',
  community_unknown: 'warn',
  compound_outside_community: 'warn',
  compound_outside_county: 'block',
  station_outside_county: 'warn',
  compound_far_away: 'warn',
  duplicate_name: 'warn',
  households_missing: 'block',
  households_invalid: 'block',
  households_zero: 'warn',
  compound_too_heavy: 'block',
  community_too_light: 'warn',
  communities_overlap: 'warn',
  communities_gap: 'warn',
  person_place_unknown: 'warn',
};

const staged = (r: StageRow) => ({
  role: r.role,
  seq: r.seq,
  fid: r.fid,
  name: r.name,
  community: r.community,
  grid: r.grid,
  households: r.households !== null && Number.isFinite(r.households) ? r.households : null,
  households_text: r.householdsText,
  type: r.type,
  geometry: r.geometry && toWkb(r.geometry),
  srid: r.srid,
  px: r.point?.[0] ?? null,
  py: r.point?.[1] ?? null,
  tx: r.twin?.[0] ?? null,
  ty: r.twin?.[1] ?? null,
});

/** Stages the rows in county_stage (kept until the transaction ends) and runs the checks on them. */
export async function stagedProblems(
  client: pg.PoolClient,
  rows: StageRow[],
  bounds: { min: number; max: number },
  progress?: (line: string) => void,
): Promise<Problem[]> {
  const problems: Problem[] = [];
  let t0 = Date.now();
  const srids = [...new Set(rows.filter((r) => r.geometry).map((r) => r.srid))];
  const unknown = await unknownSrids(client, srids);
  for (const srid of unknown)
    problems.push(problem('manifest_invalid', 'block', {}, { field: 'crs', message: `EPSG:${srid} is not known` }));
  await createStage(client);
  // Converted batch by batch: only one batch of WKB is held at a time.
  for (let i = 0; i < rows.length; i += STAGE_BATCH)
    await stageRows(
      client,
      rows
        .slice(i, i + STAGE_BATCH)
        .map((r) => (unknown.includes(r.srid) ? { ...staged(r), geometry: null } : staged(r))),
    );
  await finishStage(client);
  progress?.(`  staged: ${rows.length} rows (${Date.now() - t0} ms)`);
  for (const check of Object.keys(STAGE_CHECKS) as StageCheck[]) {
    t0 = Date.now();
    const found = await runStageCheck(client, check, bounds);
    for (const f of found)
      problems.push(
        problem(check, SEVERITY[check], { ...f, layer: f.layer as Problem['where']['layer'], id: f.fid }, f.details),
      );
    progress?.(`    check ${check}: ${found.length} found, ${Date.now() - t0} ms`);
  }
  for (const hint of await offsetHints(client))
    if (hint.in_converted - hint.in_read >= Math.max(2, 0.02 * hint.n))
      problems.push(
        problem(
          'crs_gcj02_likely',
          'warn',
          { layer: hint.layer as Problem['where']['layer'] },
          {
            points: hint.n,
            inside_as_read: hint.in_read,
            inside_converted: hint.in_converted,
            shift: hint.shift,
          },
        ),
      );
  return problems;
}

/** Reads and checks the package in `dir` on the database of `pool`; the staging transaction is rolled back. */
export async function checkPackage(pool: pg.Pool, dir: string): Promise<CountyReport> {
  const read = await readPackage(dir);
  const problems = [...read.problems];
  const bounds = read.manifest?.bounds;
  if (bounds && read.rows.length) {
    const staged = await inRolledBackTransaction(pool, (client) => stagedProblems(client, read.rows, bounds));
    for (const p of staged) problems.push(p);
  }
  return reportOf(read, problems);
}

/** The report of a package read and the problems found (those read and those staged), listed per code. */
export function reportOf(read: ReadPackage, problems: Problem[]): CountyReport {
  const listed: Problem[] = [];
  const omitted: Record<string, number> = {};
  const seen = new Map<string, number>();
  for (const p of problems) {
    const n = (seen.get(p.code) ?? 0) + 1;
    seen.set(p.code, n);
    if (n <= PROBLEMS_PER_CODE) listed.push(p);
    else omitted[p.code] = n - PROBLEMS_PER_CODE;
  }
  listed.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'block' ? -1 : 1));
  const m = read.manifest;
  return {
    format: 1,
    county: m ? { name: m.name, code: m.code, min: m.bounds.min, max: m.bounds.max } : null,
    layers: read.layers,
    problems: listed,
    omitted,
    blocking: problems.some((p) => p.severity === 'block'),
  };
}
