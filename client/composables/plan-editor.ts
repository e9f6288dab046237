// The planner's draft in the browser: an assignment of units to grid labels over the balancing engine's unit
// graph (server/balance), with live figures per grid updated incrementally on each move — GridState for
// households, area and union perimeter (O(degree)), a breadth-first search of the two grids involved for
// contiguity, per-grid community counts for nesting and per-compound grid counts for split compounds — and
// undo / redo of steps (one click, or one whole balancing result). No Vue here: the view reads it through a
// version counter.
import { GridState, prepareUnits, resolveOptions, type BalanceUnit, type PreparedUnits } from '../../server/balance/index';
import type { PlanUnits } from '../api/plans';

export const PLAN_BOUNDS = { min: 300, max: 500 } as const;
/** Steps kept for undo (the issue asks for at least 100). */
export const UNDO_LIMIT = 200;

export type GridStatus = 'under' | 'ok' | 'over';

export interface GridRow {
  label: string;
  community: string | null;
  households: number;
  unitCount: number;
  status: GridStatus;
  contiguous: boolean;
  /** Polsby-Popper of the union of the grid's units, 0–1. */
  compactness: number;
  /** More than one community (社区) in the grid: breaks nesting. */
  spansCommunities: boolean;
}

export interface PlanSummaryFigures {
  grids: number;
  validGrids: number;
  under: number;
  over: number;
  notContiguous: number;
  spanningCommunities: number;
  /** Compounds whose buildings lie in more than one grid, and of those the ones in more grids than allowed. */
  splitCompounds: number;
  badlySplitCompounds: number;
  unassigned: number;
  meanCompactness: number;
  households: number;
  valid: boolean;
}

interface Change {
  unit: number;
  from: number;
  to: number;
}

/** The engine's units for the planner's units: households as weight, community as group, split compounds as parents. */
export function balanceUnitsOf(units: PlanUnits): BalanceUnit[] {
  return units.features.map((f) => ({
    id: f.properties.id,
    geometry: f.geometry,
    weight: f.properties.households,
    group: f.properties.community_id,
    parent: f.properties.kind === 'building' ? f.properties.compound_id : null,
  }));
}

const GRID_COLOUR_COUNT = 10;

export class PlanEditor {
  readonly prepared: PreparedUnits;
  readonly labels: string[] = [];
  private readonly labelIndex = new Map<string, number>();
  private readonly state: GridState;
  private readonly contiguous: boolean[] = [];
  private readonly communityCounts: Map<number, number>[] = [];
  /** Parent index → grid index → number of its units there. */
  private readonly parentGrids = new Map<number, Map<number, number>>();
  private readonly parentWeight = new Map<number, number>();
  private readonly colourIndex = new Map<string, number>();
  private readonly undoStack: Change[][] = [];
  private readonly redoStack: Change[][] = [];

  constructor(units: PlanUnits, assignment: Record<string, string | null>) {
    this.prepared = prepareUnits(balanceUnitsOf(units), resolveOptions({ parents: units.parents }));
    const { ids, planar } = this.prepared;
    const gridOf = new Int32Array(ids.length).fill(-1);
    ids.forEach((id, u) => {
      const label = assignment[id];
      if (label) gridOf[u] = this.indexOf(label);
    });
    this.state = new GridState(planar, gridOf, this.labels.length);
    for (let g = 0; g < this.labels.length; g++) this.addGridBookkeeping();
    for (let u = 0; u < ids.length; u++) {
      this.count(u, gridOf[u], +1);
      const p = this.prepared.parent[u];
      if (p >= 0) this.parentWeight.set(p, (this.parentWeight.get(p) ?? 0) + planar.weight[u]);
    }
    for (let g = 0; g < this.labels.length; g++) this.contiguous[g] = this.isConnected(g);
    this.recolour();
  }

  // Reading

  get unitCount(): number {
    return this.prepared.ids.length;
  }

  labelOf(unitId: string): string | null {
    const u = this.prepared.indexOf.get(unitId);
    if (u === undefined) return null;
    const g = this.state.gridOf[u];
    return g >= 0 ? this.labels[g] : null;
  }

  hasUnit(unitId: string): boolean {
    return this.prepared.indexOf.has(unitId);
  }

  assignment(): Record<string, string | null> {
    const out: Record<string, string | null> = {};
    this.prepared.ids.forEach((id, u) => {
      const g = this.state.gridOf[u];
      out[id] = g >= 0 ? this.labels[g] : null;
    });
    return out;
  }

  /** Colour slot of a grid (0…9): neighbouring grids get different slots where the greedy colouring can. */
  colourOf(label: string | null): number {
    return label === null ? -1 : (this.colourIndex.get(label) ?? 0);
  }

  row(label: string): GridRow | null {
    const g = this.labelIndex.get(label);
    if (g === undefined || this.state.count[g] === 0) return null;
    const households = this.state.weight[g];
    const communities = this.communityCounts[g];
    const [firstCommunity] = communities.keys();
    return {
      label,
      community: firstCommunity === undefined ? null : this.prepared.groupNames[firstCommunity],
      households,
      unitCount: this.state.count[g],
      status: households < PLAN_BOUNDS.min ? 'under' : households > PLAN_BOUNDS.max ? 'over' : 'ok',
      contiguous: this.contiguous[g],
      compactness: this.state.polsbyPopper(g),
      spansCommunities: communities.size > 1,
    };
  }

  /** Every grid that holds a unit, by community then label. */
  rows(): GridRow[] {
    const rows: GridRow[] = [];
    for (const label of this.labels) {
      const row = this.row(label);
      if (row) rows.push(row);
    }
    return rows.sort((a, b) => (a.community ?? '').localeCompare(b.community ?? '') || a.label.localeCompare(b.label, 'en', { numeric: true }));
  }

  summary(): PlanSummaryFigures {
    const rows = this.rows();
    let splitCompounds = 0;
    let badlySplitCompounds = 0;
    for (const [p, grids] of this.parentGrids) {
      let used = 0;
      for (const n of grids.values()) if (n > 0) used++;
      if (used > 1) splitCompounds++;
      const weight = this.parentWeight.get(p) ?? 0;
      if (used > (weight <= PLAN_BOUNDS.max ? 1 : Math.ceil(weight / PLAN_BOUNDS.max))) badlySplitCompounds++;
    }
    let unassigned = 0;
    this.state.gridOf.forEach((g, u) => {
      if (g < 0 && this.prepared.planar.weight[u] > 0) unassigned++;
    });
    const isValid = (r: GridRow) => r.status === 'ok' && r.contiguous && !r.spansCommunities;
    const validGrids = rows.filter(isValid).length;
    return {
      grids: rows.length,
      validGrids,
      under: rows.filter((r) => r.status === 'under').length,
      over: rows.filter((r) => r.status === 'over').length,
      notContiguous: rows.filter((r) => !r.contiguous).length,
      spanningCommunities: rows.filter((r) => r.spansCommunities).length,
      splitCompounds,
      badlySplitCompounds,
      unassigned,
      meanCompactness: rows.length ? rows.reduce((s, r) => s + r.compactness, 0) / rows.length : 0,
      households: rows.reduce((s, r) => s + r.households, 0),
      valid: validGrids === rows.length && badlySplitCompounds === 0 && unassigned === 0,
    };
  }

  /** Communities of the plan (the engine's groups). */
  communities(): string[] {
    return this.prepared.groupNames.filter((name): name is string => name !== null).sort();
  }

  /** The unit ids of one community. */
  unitsOfCommunity(community: string): string[] {
    const group = this.prepared.groupNames.indexOf(community);
    return this.prepared.ids.filter((_, u) => this.prepared.planar.group[u] === group);
  }

  // Editing

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  get undoDepth(): number {
    return this.undoStack.length;
  }

  /** Moves one unit into a grid: one undoable step. False when nothing changed. */
  move(unitId: string, label: string): boolean {
    const u = this.prepared.indexOf.get(unitId);
    if (u === undefined) return false;
    const to = this.indexOf(label);
    const from = this.state.gridOf[u];
    if (from === to) return false;
    this.record([{ unit: u, from, to }]);
    return true;
  }

  /** Applies a whole (or partial) assignment — a balancing result — as one undoable step. */
  applyAssignment(assignment: Readonly<Record<string, string | null>>): number {
    const changes: Change[] = [];
    for (const [id, label] of Object.entries(assignment)) {
      const u = this.prepared.indexOf.get(id);
      if (u === undefined) continue;
      const to = label ? this.indexOf(label) : -1;
      const from = this.state.gridOf[u];
      if (from !== to) changes.push({ unit: u, from, to });
    }
    if (changes.length) {
      this.record(changes);
      this.recolour();
    }
    return changes.length;
  }

  undo(): boolean {
    const step = this.undoStack.pop();
    if (!step) return false;
    this.apply(step.map(({ unit, from, to }) => ({ unit, from: to, to: from })).reverse());
    this.redoStack.push(step);
    if (step.length > 1) this.recolour();
    return true;
  }

  redo(): boolean {
    const step = this.redoStack.pop();
    if (!step) return false;
    this.apply(step);
    this.undoStack.push(step);
    if (step.length > 1) this.recolour();
    return true;
  }

  /** A label not used yet, for a grid the balancing engine made. */
  freshLabel(taken: ReadonlySet<string>): string {
    for (let n = 1; ; n++) {
      const label = `N${String(n).padStart(3, '0')}`;
      if (!this.labelIndex.has(label) && !taken.has(label)) return label;
    }
  }

  // Internals

  private record(changes: Change[]): void {
    this.apply(changes);
    this.undoStack.push(changes);
    if (this.undoStack.length > UNDO_LIMIT) this.undoStack.shift();
    this.redoStack.length = 0;
  }

  private apply(changes: readonly Change[]): void {
    const touched = new Set<number>();
    for (const { unit, from, to } of changes) {
      this.count(unit, from, -1);
      this.state.move(unit, to);
      this.count(unit, to, +1);
      if (from >= 0) touched.add(from);
      if (to >= 0) touched.add(to);
    }
    for (const g of touched) this.contiguous[g] = this.isConnected(g);
  }

  private indexOf(label: string): number {
    let g = this.labelIndex.get(label);
    if (g === undefined) {
      g = this.labels.length;
      this.labels.push(label);
      this.labelIndex.set(label, g);
      // Before the state exists (constructor), its own constructor creates the grids.
      if (this.state) {
        this.state.addGrid(-1);
        this.addGridBookkeeping();
        this.contiguous[g] = true;
      }
    }
    return g;
  }

  private addGridBookkeeping(): void {
    this.communityCounts.push(new Map());
    this.contiguous.push(true);
  }

  /** Community and compound counts of grid g, as unit u enters (+1) or leaves (−1) it. */
  private count(u: number, g: number, delta: 1 | -1): void {
    if (g < 0) return;
    const community = this.prepared.planar.group[u];
    const counts = this.communityCounts[g];
    const n = (counts.get(community) ?? 0) + delta;
    if (n > 0) counts.set(community, n);
    else counts.delete(community);
    const p = this.prepared.parent[u];
    if (p < 0) return;
    let grids = this.parentGrids.get(p);
    if (!grids) this.parentGrids.set(p, (grids = new Map()));
    const m = (grids.get(g) ?? 0) + delta;
    if (m > 0) grids.set(g, m);
    else grids.delete(g);
  }

  /** Breadth-first search of grid g's units over the unit adjacency graph. */
  private isConnected(g: number): boolean {
    const size = this.state.count[g];
    if (size <= 1) return true;
    const { gridOf } = this.state;
    const { graph } = this.prepared.planar;
    const start = gridOf.indexOf(g);
    const seen = new Set<number>([start]);
    const queue = [start];
    for (let head = 0; head < queue.length; head++) {
      const v = queue[head];
      for (let e = graph.start[v]; e < graph.start[v + 1]; e++) {
        const w = graph.neighbours[e];
        if (gridOf[w] === g && !seen.has(w)) {
          seen.add(w);
          queue.push(w);
        }
      }
    }
    return seen.size === size;
  }

  /** Greedy colouring of the grid adjacency graph, so that neighbouring grids differ where they can. */
  private recolour(): void {
    const { gridOf } = this.state;
    const { graph } = this.prepared.planar;
    const neighbours = this.labels.map(() => new Set<number>());
    for (let v = 0; v < graph.size; v++) {
      for (let e = graph.start[v]; e < graph.start[v + 1]; e++) {
        const a = gridOf[v];
        const b = gridOf[graph.neighbours[e]];
        if (a >= 0 && b >= 0 && a !== b) neighbours[a].add(b);
      }
    }
    const slot = new Int32Array(this.labels.length).fill(-1);
    const order = this.labels.map((_, g) => g).sort((a, b) => neighbours[b].size - neighbours[a].size);
    for (const g of order) {
      const used = new Set<number>();
      for (const n of neighbours[g]) if (slot[n] >= 0) used.add(slot[n]);
      let c = 0;
      while (used.has(c) && c < GRID_COLOUR_COUNT - 1) c++;
      slot[g] = c;
      this.colourIndex.set(this.labels[g], c);
    }
  }
}
