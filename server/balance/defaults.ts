import { DEFAULT_GRID_BOUNDS } from '../../shared/plan-rules';
import type { BalanceOptions } from './types';

/**
 * Every default of the balancing engine, in one place. The bounds are a county's setting: the planner and the
 * publish check pass the county's own; these are for a caller that names none (the command line, benchmarks).
 *
 * `gap` is 30 m: residential roads between compounds are 10–25 m from wall to wall (the demo data of Yanchi's
 * county town: residential 18 m, secondary 26 m including sidewalks), and digitised outlines add a few metres of
 * slack; 30 m keeps compounds across such a road adjacent, while primary roads (36 m in the demo data, more with
 * green strips), rivers and fields separate them — a grid should not straddle an arterial. With `gap` 0 only
 * touching polygons would be adjacent and almost every compound would be an island.
 *
 * There is no separate distance for buildings of one compound: a parent's units are given cells that tile the
 * compound's outline (`parents`, or the hull of its buildings), so they touch one another and reach the wall.
 */
export const BALANCE_DEFAULTS: Readonly<Required<Omit<BalanceOptions, 'assignment' | 'parents'>>> & {
  timeBudgetMs: number;
} = {
  ...DEFAULT_GRID_BOUNDS,
  gap: 30,
  seed: 1,
  treesPerCut: 12,
  refinePasses: 30,
  recombineRounds: 6,
  starts: 4,
  timeBudgetMs: 10_000,
};

export type ResolvedOptions = Readonly<Required<Omit<BalanceOptions, 'assignment' | 'parents'>>> &
  Pick<BalanceOptions, 'assignment' | 'parents'>;

export function resolveOptions(options: Partial<BalanceOptions> = {}): ResolvedOptions {
  const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  const { timeBudgetMs: _ignored, ...defaults } = BALANCE_DEFAULTS;
  return { ...defaults, ...defined } as ResolvedOptions;
}
