// Public types of the grid-balancing engine (网格划分). Everything here is plain, serialisable data so that a
// plan can cross a Web Worker boundary with postMessage.
import type { MultiPolygon, Polygon } from 'geojson';

/** One unit to place in a grid: a compound (小区), or one building of a compound too heavy for one grid. */
export interface BalanceUnit {
  /** Unique, stable identifier (feature id). */
  id: string;
  /** WGS84 polygon or multipolygon; holes allowed. */
  geometry: Polygon | MultiPolygon;
  /** Households (户). Finite and ≥ 0; fractional values are allowed. */
  weight: number;
  /** Community (社区) the unit belongs to; grids never cross groups. Absent or null: one implicit group. */
  group?: string | null;
  /** Compound a building belongs to; kept whole unless heavier than `max`. */
  parent?: string | null;
}

/** Every option with a default lives in `BALANCE_DEFAULTS` (defaults.ts). */
export interface BalanceOptions {
  /** Lightest allowed grid, households. @default 300 */
  min: number;
  /** Heaviest allowed grid, households. @default 500 */
  max: number;
  /** Units whose boundaries lie within this many metres are adjacent. @default 30 */
  gap: number;
  /** Seed of the pseudo-random generator: the same input and seed give the same plan. @default 1 */
  seed: number;
  /** Spanning trees drawn per bisection when looking for a cut. @default 12 */
  treesPerCut: number;
  /** Upper bound on refinement passes. @default 30 */
  refinePasses: number;
  /** Rounds of ReCom steps (merge two neighbouring grids, re-split them more compactly) between refinements. @default 6 */
  recombineRounds: number;
  /** Independent starts of a fresh plan (different random trees); the most compact valid one wins. Starts after
   * the first run only while they fit in half the time budget. @default 4 */
  starts: number;
  /**
   * Outlines of parents (compounds), by parent id: WGS84 polygon or multipolygon. A parent with more than one unit
   * is partitioned among its units — each unit's CELL (power diagram of the footprints' centroids clipped to the
   * outline, see cells.ts) is its geometry for adjacency and compactness, since building footprints stand well
   * inside a compound's wall. A parent of one unit takes the whole outline. A parent of several units without an
   * outline here gets the convex hull of its units grown by 5 m. Ids matching no unit's parent are ignored.
   */
  parents?: Readonly<Record<string, Polygon | MultiPolygon>>;
  /**
   * Existing assignment (unit id → grid label; null or missing = unassigned). When given, the engine runs in
   * rebalance mode: valid grids stay as they are and as few households as possible move.
   */
  assignment?: Readonly<Record<string, string | null | undefined>>;
}

export interface BalanceProgress {
  phase: 'adjacency' | 'parents' | 'feasibility' | 'initial' | 'refine' | 'rebalance' | 'validate';
  /** Work done in this phase, out of `total` (a unit of work differs per phase). */
  done: number;
  total: number;
  message: string;
}

export interface BalanceControl {
  onProgress?: (progress: BalanceProgress) => void;
  /** Aborting rejects the returned promise with the signal's reason (an AbortError by default). */
  signal?: AbortSignal;
  /** Refinement stops when this much time has passed; the plan found so far is returned. @default 10000 */
  timeBudgetMs?: number;
}

export type ViolationKind =
  | 'unit-too-heavy' // a unit without parent (or a single building) weighs more than max
  | 'group-too-light' // a group weighs less than min
  | 'component-infeasible' // a connected part of a group admits no whole number of grids, or an exhaustive search proved no cut exists
  | 'component-unsolved' // its weight admits k grids, but no valid cut was found and none was proven impossible (search budget ran out)
  | 'parent-disconnected' // a parent's units are not connected to each other
  | 'parent-too-coarse' // a heavy parent's units do not allow ceil(W/max) contiguous pieces within max
  | 'grid-under-min'
  | 'grid-over-max'
  | 'grid-not-contiguous'
  | 'grid-spans-groups'
  | 'parent-split' // a parent lighter than max spread over several grids, or a heavy one over too many
  | 'parent-piece-not-contiguous'
  | 'unit-unassigned'; // a unit of a component that has households was left without grid

export interface Violation {
  kind: ViolationKind;
  /** One English sentence naming the group, grid or units and the numbers involved. */
  message: string;
  group?: string | null;
  grid?: string;
  parent?: string;
  unitIds?: string[];
  weight?: number;
}

export interface GridSummary {
  id: string;
  group: string | null;
  weight: number;
  unitCount: number;
  /** Square metres. */
  area: number;
  /** Metres: perimeter of the union, boundaries shared between the grid's units (or facing across a gap) removed. */
  perimeter: number;
  /** 4πA/P² of the union, in [0, 1]. */
  polsbyPopper: number;
  contiguous: boolean;
  withinBounds: boolean;
}

export interface BalanceResult {
  /** True exactly when `violations` is empty: every hard rule holds. */
  valid: boolean;
  /** Unit id → grid label (null: left out, e.g. an isolated park without households). */
  assignment: Record<string, string | null>;
  grids: GridSummary[];
  violations: Violation[];
  /** Things worth knowing that break no rule (e.g. units left out because their component has no households). */
  notices: string[];
  minWeight: number;
  maxWeight: number;
  meanPolsbyPopper: number;
  /** Parents whose units lie in more than one grid. */
  splitParents: number;
  /** Households whose grid label differs from the given assignment (0 without one). */
  householdsMoved: number;
  /** Adjacency edges whose ends lie in different grids. */
  cutEdges: number;
  seconds: number;
}
