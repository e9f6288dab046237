// Publish timing for `npm run bench:plan`: POST /api/plans/:id/publish on the county data, three kinds of plan,
// interleaved round by round — unchanged (the fixed cost: lock, engine validation, version bump; no polygon
// derived), one compound moved (one community's grids derived), and the whole county rebalanced by the engine
// (every community derived). Only the publish request is timed; drafts are made and saved before it.
import { balance, type BalanceUnit } from '../../server/balance/index.ts';
import type { PlanUnitsGeoJson } from '../../server/plans/validate-plan.ts';
import type { CountyAnswer } from '../../shared/api/county.ts';
import { findValidMove } from '../../tests/helpers/plan-moves.ts';

export interface PublishBenchRow {
  plan: string;
  runs: number;
  p50: number;
  p95: number;
  communities: number;
}

/** The planner's HTTP API on the temporary instance; benchmarks read its JSON answers loosely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped JSON, only timed, never trusted
export type Call = (method: string, path: string, body?: unknown) => Promise<any>;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** Publishes `rounds` × 3 plans through the HTTP API of a disposable instance; its grids change. */
export async function benchPublish(call: Call, rounds: number): Promise<PublishBenchRow[]> {
  const units: PlanUnitsGeoJson = await call('GET', '/api/plan/units');
  const { bounds }: CountyAnswer = await call('GET', '/api/county');
  const start = (await call('POST', '/api/plans', { name: 'bench start' })).assignments as Record<
    string,
    string | null
  >;
  const balanced = await balance(
    units.features.map((f): BalanceUnit => ({
      id: f.properties.id,
      geometry: f.geometry,
      weight: f.properties.households,
      group: f.properties.community_id,
      parent: f.properties.kind === 'building' ? f.properties.compound_id : null,
    })),
    { ...bounds, parents: units.parents, seed: 7 },
  );
  if (!balanced.valid)
    throw new Error(`bench:plan: the engine's plan is not valid: ${balanced.violations[0]?.message}`);
  // Fresh labels for the balanced plan: every grid of the county is new, every old one retired.
  const rebalanced = Object.fromEntries(
    Object.entries(balanced.assignment).map(([unit, label]) => [unit, label ? `B${label}` : null]),
  );

  const times: Record<string, number[]> = { unchanged: [], 'one compound moved': [], 'county rebalanced': [] };
  const communities: Record<string, number> = {};
  let current = start;
  const publish = async (kind: string, assignments: Record<string, string | null>) => {
    const draft = await call('POST', '/api/plans', { name: `bench ${kind}` });
    await call('PUT', `/api/plans/${draft.id}/assignments`, { assignments });
    const t0 = performance.now();
    const result = await call('POST', `/api/plans/${draft.id}/publish`);
    times[kind].push(performance.now() - t0);
    communities[kind] = result.summary.communities.length;
    current = (await call('GET', `/api/plans/${draft.id}`)).assignments;
  };
  for (let round = 0; round < rounds; round++) {
    await publish('unchanged', current);
    const move = findValidMove(units, current);
    if (!move) throw new Error('bench:plan: no compound can change grid with every rule holding');
    await publish('one compound moved', { ...current, [move.unit]: move.to });
    // Alternate between the engine's plan and the grids as they were, so that every community changes each time.
    await publish('county rebalanced', round % 2 === 0 ? rebalanced : start);
    console.error(`[bench:plan] round ${round + 1}/${rounds}`);
  }
  return Object.entries(times).map(([plan, list]) => {
    const sorted = [...list].sort((a, b) => a - b);
    return {
      plan,
      runs: list.length,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      communities: communities[plan],
    };
  });
}
