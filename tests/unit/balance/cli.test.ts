// The CLI against real-world polygons nobody here drew (tests/fixtures/real-world, see its README for sources and
// licences): Rhode Island's 419 precincts (islands, multipolygons, fractional TOTPOP) and North Carolina's 100
// counties (BIR74).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FeatureCollection } from 'geojson';
import { afterAll, describe, expect, test } from 'vitest';
import { realWorldFile } from '../../helpers/real-world';
import type { BalanceUnit } from '../../../server/balance/index';
import { brokenRules, repoRoot, unitsFromCollection } from './helpers';

const cli = path.join(repoRoot, 'scripts/balance/cli.ts');
const scratch = mkdtempSync(path.join(tmpdir(), 'gridlink-balance-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const ncCounties = realWorldFile('nc-counties', scratch);
const riPrecincts = realWorldFile('ri-precincts', scratch);

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  summary: Record<string, unknown> | null;
}

function runCli(args: string[]): Run {
  const run = spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const lines = run.stdout.trim().split('\n');
  let summary: Record<string, unknown> | null;
  try {
    summary = JSON.parse(lines[lines.length - 1]);
  } catch {
    summary = null;
  }
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, summary };
}

/** The North Carolina counties, by births (BIR74) in 20,000–40,000. */
const NC_BIRTHS = ['--in', ncCounties, '--weight', 'BIR74', '--min', '20000', '--max', '40000'];

const SUMMARY_KEYS = [
  'grids',
  'valid',
  'violations',
  'minWeight',
  'maxWeight',
  'meanPolsbyPopper',
  'splitParents',
  'householdsMoved',
  'seconds',
];

type Bounds = { min: number; max: number };

/** The rules a plan (the input's features, each with its grid) breaks. */
function rulesBroken(units: BalanceUnit[], plan: FeatureCollection, bounds: Bounds): string[] {
  expect(plan.features).toHaveLength(units.length);
  const assignment = Object.fromEntries(
    units.map((unit, index) => [unit.id, (plan.features[index].properties?.grid as string | null) ?? null]),
  );
  return brokenRules(units, assignment, bounds);
}

function checkPlan(input: string, output: string, weight: string, bounds: Bounds): string[] {
  const units = unitsFromCollection(JSON.parse(readFileSync(input, 'utf8')) as FeatureCollection, { weight });
  return rulesBroken(units, JSON.parse(readFileSync(output, 'utf8')) as FeatureCollection, bounds);
}

describe('balance CLI on real-world data', () => {
  test('North Carolina counties, BIR74 in 20,000–40,000: valid, and every rule holds', () => {
    const out = path.join(scratch, 'nc.geojson');
    const run = runCli([...NC_BIRTHS, '--out', out]);
    expect(run.status, run.stderr).toBe(0);
    expect(Object.keys(run.summary!)).toEqual(SUMMARY_KEYS);
    expect(run.summary!.valid).toBe(true);
    expect(run.stderr).toMatch(/balance: (adjacency|refine)/);
    expect(checkPlan(ncCounties, out, 'BIR74', { min: 20000, max: 40000 })).toEqual([]);

    // The plan fed back as the existing assignment is already valid: nothing moves.
    const again = runCli([...NC_BIRTHS, '--assignment', out, '--out', path.join(scratch, 'nc-again.geojson')]);
    expect(again.status, again.stderr).toBe(0);
    expect(again.summary!.householdsMoved).toBe(0);
  });

  test('Rhode Island precincts (5 components, islands), TOTPOP in 200–12,000: valid, and every rule holds', () => {
    const out = path.join(scratch, 'ri.geojson');
    const run = runCli(['--in', riPrecincts, '--weight', 'TOTPOP', '--min', '200', '--max', '12000', '--out', out]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.summary!.valid).toBe(true);
    expect(run.summary!.minWeight as number).toBeGreaterThanOrEqual(200);
    expect(run.summary!.maxWeight as number).toBeLessThanOrEqual(12000);
    expect(checkPlan(riPrecincts, out, 'TOTPOP', { min: 200, max: 12000 })).toEqual([]);
  });

  test('Rhode Island with min 15,000: the two small islands are named, exit 2', () => {
    const run = runCli([
      '--in',
      riPrecincts,
      '--weight',
      'TOTPOP',
      '--min',
      '15000',
      '--max',
      '25000',
      '--out',
      path.join(scratch, 'ri-bad.geojson'),
    ]);
    expect(run.status, run.stderr).toBe(2);
    expect(run.summary!.valid).toBe(false);
    const violations = run.summary!.violations as { kind: string; unitIds?: string[] }[];
    const islands = violations.filter((violation) => violation.kind === 'component-infeasible');
    expect(islands.length).toBeGreaterThanOrEqual(1);
    for (const island of islands) expect(island.unitIds!.length).toBeGreaterThan(0);
    expect(run.stderr).toMatch(/cannot stand alone/);
  });

  test('bad input: exit 1 with a message naming the feature and the property', () => {
    const run = runCli(['--in', ncCounties, '--weight', 'NAME']);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/feature 0\b.*property "NAME"/);
    const missing = runCli(['--in', ncCounties, '--weight', 'NO_SUCH_FIELD']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/feature 0\b.*property "NO_SUCH_FIELD".*missing/);
  });

  test('--parents: a light compound 10 m from the wall of a compound split by its buildings joins it (exit 0), alone without the outline (exit 2)', () => {
    const input = path.join(repoRoot, 'tests/fixtures/balance/in/light-compound-10m-from-heavy-compound-wall.geojson');
    const fixture = JSON.parse(readFileSync(input, 'utf8')) as {
      balance: { options: { parents: Record<string, unknown> } };
    };
    const parents = path.join(scratch, 'parents.geojson');
    const outlines = Object.entries(fixture.balance.options.parents).map(([code, geometry]) => ({
      type: 'Feature',
      properties: { code },
      geometry,
    }));
    writeFileSync(parents, JSON.stringify({ type: 'FeatureCollection', features: outlines }));
    const common = ['--in', input, '--weight', 'households', '--group', 'community_id', '--parent', 'compound_id'];
    const run = runCli([
      ...common,
      '--parents',
      parents,
      '--parent-id',
      'code',
      '--out',
      path.join(scratch, 'wall.geojson'),
    ]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.summary!.splitParents).toBe(1);
    const alone = runCli([...common, '--out', path.join(scratch, 'wall-alone.geojson')]);
    expect(alone.status, alone.stderr).toBe(2);
    expect(alone.stderr).toMatch(/light/);
  });

  test('rebalance of a broken plan with --gap 0, the plan on stdout: valid again, few births moved, every rule holds', () => {
    const bounds = { min: 20000, max: 40000 };
    const base = path.join(scratch, 'nc-base.geojson');
    expect(runCli([...NC_BIRTHS, '--gap', '0', '--out', base]).status).toBe(0);
    // Two grids merged into one: over the maximum (each had at least the minimum), and probably in two pieces.
    const plan = JSON.parse(readFileSync(base, 'utf8')) as FeatureCollection;
    const [first, second] = [...new Set(plan.features.map((f) => f.properties!.grid as string))];
    for (const feature of plan.features) if (feature.properties!.grid === second) feature.properties!.grid = first;
    const broken = path.join(scratch, 'nc-broken.geojson');
    writeFileSync(broken, JSON.stringify(plan));
    const units = unitsFromCollection(JSON.parse(readFileSync(ncCounties, 'utf8')) as FeatureCollection, {
      weight: 'BIR74',
    });
    expect(rulesBroken(units, plan, bounds)).not.toEqual([]);

    const run = runCli([...NC_BIRTHS, '--gap', '0', '--assignment', broken]);
    expect(run.status, run.stderr).toBe(0);
    const [planLine] = run.stdout.trim().split('\n');
    const summary = run.summary as { valid: boolean; householdsMoved: number };
    const total = units.reduce((sum, unit) => sum + unit.weight, 0);
    expect(summary.valid).toBe(true);
    expect(summary.householdsMoved).toBeGreaterThan(0);
    expect(summary.householdsMoved).toBeLessThan(total / 2);
    expect(rulesBroken(units, JSON.parse(planLine) as FeatureCollection, bounds)).toEqual([]);
  });
});
