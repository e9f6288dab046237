// The planner's draft in the browser: an assignment of units to grid labels over the balancing engine's unit
// graph (server/balance), with live figures per grid updated incrementally on each move — GridState for
// households, area and union perimeter (O(degree)), a breadth-first search of the grids involved for
// contiguity, per-grid community counts for nesting and per-compound grid counts for split compounds — and
// undo / redo of steps (a click, a brush stroke, a lasso, a grid merge or deletion, a compound split or merged
// back, a whole balancing result). Locked grids neither give nor take units in new edits. Splitting a compound
// changes the unit set, so the engine's model is rebuilt then (a few ms on the county data); steps name units
// by id so that history survives the rebuild. No Vue here: the view reads it through a version counter.
import {
  GridState,
  prepareUnits,
  resolveOptions,
  type BalanceUnit,
  type PreparedUnits,
} from '../../server/balance/index';
import type { PlanUnitFeature, PlanUnits } from '../api/plans';

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
  locked: boolean;
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
  locked: number;
  valid: boolean;
}

/** What the planner can do with the compound of a unit. */
export interface CompoundInfo {
  compound: string;
  households: number;
  /** Split by the planner (its buildings are units now): it can be merged back. */
  splitByPlanner: boolean;
  /** Heavier than one grid: its buildings are units by rule and stay so. */
  splitByRule: boolean;
  /** Kept whole and made of several buildings: it can be split. */
  canSplit: boolean;
  /** Grids its units lie in. */
  grids: string[];
}

export interface DeleteOutcome {
  /** Units that went to a neighbouring grid of their community, and those left without a grid. */
  toNeighbours: number;
  unassigned: number;
  neighbours: string[];
}

interface Move {
  unit: string;
  from: string | null;
  to: string | null;
}

type Step =
  | { kind: 'moves'; moves: Move[] }
  | { kind: 'split'; compound: string; label: string | null }
  | { kind: 'merge'; compound: string; label: string | null; buildings: Record<string, string | null> };

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

// Made once: localeCompare with options builds a collator on every call, and the panel sorts its rows per stroke.
const byCommunity = new Intl.Collator();
const byLabel = new Intl.Collator('en', { numeric: true });

/** Whether two panel rows say the same: an unchanged grid keeps its row object, so the panel skips it. */
function sameRow(a: GridRow, b: GridRow): boolean {
  return (
    a.community === b.community &&
    a.households === b.households &&
    a.unitCount === b.unitCount &&
    a.status === b.status &&
    a.contiguous === b.contiguous &&
    a.compactness === b.compactness &&
    a.spansCommunities === b.spansCommunities &&
    a.locked === b.locked
  );
}

export class PlanEditor {
  /** The engine's model of the current unit set. */
  prepared!: PreparedUnits;
  /** The current unit set: the served units with the compounds split by the planner replaced by their buildings. */
  units!: PlanUnits;
  readonly labels: string[] = [];
  readonly locked = new Set<string>();
  private readonly labelIndex = new Map<string, number>();
  private state!: GridState;
  private contiguous: boolean[] = [];
  private communityCounts: Map<number, number>[] = [];
  /** Parent index → grid index → number of its units there. */
  private parentGrids = new Map<number, Map<number, number>>();
  private parentWeight = new Map<number, number>();
  private readonly colourIndex = new Map<string, number>();
  private readonly undoStack: Step[] = [];
  private readonly redoStack: Step[] = [];
  /** The open brush stroke: every dab adds to this one step. */
  private stroke: { kind: 'moves'; moves: Move[] } | null = null;
  /** The redo steps the open stroke cleared: a cancelled stroke gives them back. */
  private redoBeforeStroke: Step[] = [];
  /** New grids shown in the panel while they are still empty. */
  private readonly declared = new Set<string>();
  private readonly base: PlanUnits;
  private readonly compounds = new Map<string, PlanUnitFeature>();
  private readonly buildingsOf = new Map<string, PlanUnitFeature[]>();
  /** Building of a compound kept whole → the compound. */
  private readonly buildingOwner = new Map<string, string>();
  private readonly split = new Set<string>();
  /** The last row of each grid handed out (see `sameRow`). */
  private readonly rowCache = new Map<string, GridRow>();
  private communityList: string[] | null = null;

  constructor(units: PlanUnits, assignment: Record<string, string | null>) {
    this.base = units;
    for (const f of units.features) if (f.properties.kind === 'compound') this.compounds.set(f.properties.id, f);
    for (const b of units.compoundBuildings ?? []) {
      this.buildingOwner.set(b.properties.id, b.properties.compound_id);
      const list = this.buildingsOf.get(b.properties.compound_id);
      if (list) list.push(b);
      else this.buildingsOf.set(b.properties.compound_id, [b]);
    }
    // A draft saved with a compound's buildings instead of the compound had it split by the planner.
    for (const [compound, buildings] of this.buildingsOf) {
      if (!(compound in assignment) && buildings.some((b) => b.properties.id in assignment)) this.split.add(compound);
    }
    this.build(assignment);
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

  isLocked(label: string | null): boolean {
    return label !== null && this.locked.has(label);
  }

  row(label: string): GridRow | null {
    const g = this.labelIndex.get(label);
    if (g === undefined || (this.state.count[g] === 0 && !this.declared.has(label))) return null;
    const households = this.state.weight[g];
    const communities = this.communityCounts[g];
    const [firstCommunity] = communities.keys();
    const row: GridRow = {
      label,
      community: firstCommunity === undefined ? null : this.prepared.groupNames[firstCommunity],
      households,
      unitCount: this.state.count[g],
      status: households < PLAN_BOUNDS.min ? 'under' : households > PLAN_BOUNDS.max ? 'over' : 'ok',
      contiguous: this.contiguous[g],
      compactness: this.state.count[g] ? this.state.polsbyPopper(g) : 0,
      spansCommunities: communities.size > 1,
      locked: this.locked.has(label),
    };
    const cached = this.rowCache.get(label);
    if (cached && sameRow(cached, row)) return cached;
    this.rowCache.set(label, row);
    return row;
  }

  /** Every grid that holds a unit (and new grids still empty), by community then label. */
  rows(): GridRow[] {
    const rows: GridRow[] = [];
    for (const label of this.labels) {
      const row = this.row(label);
      if (row) rows.push(row);
    }
    return rows.sort(
      (a, b) => byCommunity.compare(a.community ?? '', b.community ?? '') || byLabel.compare(a.label, b.label),
    );
  }

  summary(): PlanSummaryFigures {
    const rows = this.rows();
    let splitCompounds = 0;
    let badlySplitCompounds = 0;
    for (const [p, grids] of this.parentGrids) {
      const used = grids.size;
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
      locked: rows.filter((r) => r.locked).length,
      valid: validGrids === rows.length && badlySplitCompounds === 0 && unassigned === 0,
    };
  }

  /** Communities of the plan (the engine's groups); the same array until the unit set changes. */
  communities(): string[] {
    this.communityList ??= this.prepared.groupNames.filter((name): name is string => name !== null).sort();
    return this.communityList;
  }

  /** The unit ids of one community (all communities: null). */
  unitsOfCommunity(community: string | null): string[] {
    const group = community === null ? -2 : this.prepared.groupNames.indexOf(community);
    return this.prepared.ids.filter((_, u) => group === -2 || this.prepared.planar.group[u] === group);
  }

  /** Unit ids outside locked grids: what balancing may move. */
  unlockedUnits(ids: readonly string[]): string[] {
    return ids.filter((id) => !this.isLocked(this.labelOf(id)));
  }

  /** Grids adjacent to a grid (through any of its units). */
  neighbourGrids(label: string): string[] {
    const g = this.labelIndex.get(label);
    if (g === undefined) return [];
    const { gridOf } = this.state;
    const { graph } = this.prepared.planar;
    const found = new Set<number>();
    for (let v = 0; v < graph.size; v++) {
      if (gridOf[v] !== g) continue;
      for (let e = graph.start[v]; e < graph.start[v + 1]; e++) {
        const h = gridOf[graph.neighbours[e]];
        if (h >= 0 && h !== g) found.add(h);
      }
    }
    return [...found].map((h) => this.labels[h]).sort(byLabel.compare);
  }

  /** The compound a unit belongs to, and whether it can be split or merged back. */
  compoundOf(unitId: string): CompoundInfo | null {
    // A unit picked before a split or a merge: its compound's unit now.
    const owner = this.buildingOwner.get(unitId) ?? unitId;
    const now = this.split.has(owner) ? this.buildingsOf.get(owner)![0].properties.id : owner;
    const u = this.prepared.indexOf.get(unitId) ?? this.prepared.indexOf.get(now);
    if (u === undefined) return null;
    const feature = this.units.features[u];
    const compound = feature.properties.compound_id;
    const splitByPlanner = this.split.has(compound);
    const members = feature.properties.kind === 'compound' ? [u] : this.unitsOfParent(compound);
    const grids = [
      ...new Set(
        members
          .map((v) => this.state.gridOf[v])
          .filter((g) => g >= 0)
          .map((g) => this.labels[g]),
      ),
    ].sort();
    return {
      compound,
      households: members.reduce((s, v) => s + this.prepared.planar.weight[v], 0),
      splitByPlanner,
      splitByRule: feature.properties.kind === 'building' && !splitByPlanner,
      canSplit: feature.properties.kind === 'compound' && (this.buildingsOf.get(compound)?.length ?? 0) > 1,
      grids,
    };
  }

  /** Compounds the planner split into their buildings. */
  splitByPlanner(): string[] {
    return [...this.split].sort();
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

  /** Moves one unit into a grid: one undoable step. False when nothing changed (or a locked grid is involved). */
  move(unitId: string, label: string): boolean {
    return this.paint([unitId], label) > 0;
  }

  /** Opens a brush stroke: the paints until `endStroke()` are one undoable step. */
  beginStroke(): void {
    this.endStroke();
    this.stroke = { kind: 'moves', moves: [] };
  }

  /** Closes the open stroke; true when it changed anything. */
  endStroke(): boolean {
    const stroke = this.stroke;
    this.stroke = null;
    if (!stroke || stroke.moves.length === 0) return false;
    this.recolour();
    return true;
  }

  /** Takes the open stroke back (a second finger made it a map gesture); true when it had changed anything. */
  cancelStroke(): boolean {
    const stroke = this.stroke;
    this.stroke = null;
    if (!stroke || stroke.moves.length === 0) return false;
    this.run(stroke, 'backward');
    if (this.undoStack[this.undoStack.length - 1] === stroke) this.undoStack.pop();
    this.redoStack.push(...this.redoBeforeStroke);
    this.redoBeforeStroke = [];
    this.recolour();
    return true;
  }

  /**
   * Puts units into a grid, skipping those already there and any unit of a locked grid (a locked grid takes
   * none either). Inside a stroke it joins the stroke's step; otherwise it is a step of its own. Returns how
   * many units moved.
   */
  paint(unitIds: Iterable<string>, label: string): number {
    if (this.locked.has(label)) return 0;
    const moves: Move[] = [];
    for (const id of unitIds) {
      const from = this.labelOf(id);
      if (!this.hasUnit(id) || from === label || this.isLocked(from)) continue;
      moves.push({ unit: id, from, to: label });
    }
    if (!moves.length) return 0;
    if (this.stroke) {
      this.apply(moves);
      if (this.stroke.moves.length === 0) {
        this.redoBeforeStroke = [...this.redoStack];
        this.push(this.stroke);
      }
      this.stroke.moves.push(...moves);
    } else {
      this.record({ kind: 'moves', moves });
      if (moves.length > 1) this.recolour();
    }
    return moves.length;
  }

  /** Applies a whole (or partial) assignment — a balancing result — as one undoable step; locked grids stay. */
  applyAssignment(assignment: Readonly<Record<string, string | null>>): number {
    const moves: Move[] = [];
    for (const [id, to] of Object.entries(assignment)) {
      if (!this.hasUnit(id)) continue;
      const from = this.labelOf(id);
      if (from !== (to || null) && !this.isLocked(from) && !this.isLocked(to || null))
        moves.push({ unit: id, from, to: to || null });
    }
    if (moves.length) {
      this.record({ kind: 'moves', moves });
      this.recolour();
    }
    return moves.length;
  }

  /** A new, empty grid with a fresh label; it shows in the panel until it gets units (select it and paint). */
  newGrid(): string {
    const label = this.freshLabel(new Set());
    this.indexOf(label);
    this.declared.add(label);
    return label;
  }

  /** Moves every unit of `source` into `target`: one step. False when either is locked or they are the same. */
  mergeGrids(target: string, source: string): boolean {
    if (target === source || this.locked.has(target) || this.locked.has(source)) return false;
    const g = this.labelIndex.get(source);
    if (g === undefined) return false;
    this.declared.delete(source);
    const ids = this.state.members(g).map((u) => this.prepared.ids[u]);
    return this.paint(ids, target) > 0;
  }

  /**
   * Deletes a grid: its units go, one neighbour at a time, to an adjacent unlocked grid of their own community
   * (the lightest such grid first); units with no such neighbour are left without a grid. One step.
   */
  deleteGrid(label: string): DeleteOutcome | null {
    const g = this.labelIndex.get(label);
    if (g === undefined || this.locked.has(label)) return null;
    this.declared.delete(label);
    const { gridOf, weight } = this.state;
    const { graph, group, weight: unitWeight } = this.prepared.planar;
    const pending = new Set(this.state.members(g));
    const target = new Map<number, number>();
    const added = new Map<number, number>();
    const gridAfter = (v: number) => target.get(v) ?? gridOf[v];
    for (let progress = true; progress && pending.size;) {
      progress = false;
      for (const u of [...pending]) {
        let best = -1;
        for (let e = graph.start[u]; e < graph.start[u + 1]; e++) {
          const w = graph.neighbours[e];
          const h = gridAfter(w);
          if (h < 0 || h === g || group[w] !== group[u] || this.locked.has(this.labels[h])) continue;
          const load = weight[h] + (added.get(h) ?? 0);
          if (best < 0 || load < weight[best] + (added.get(best) ?? 0)) best = h;
        }
        if (best < 0) continue;
        target.set(u, best);
        added.set(best, (added.get(best) ?? 0) + unitWeight[u]);
        pending.delete(u);
        progress = true;
      }
    }
    const moves: Move[] = [];
    for (const u of this.state.members(g)) {
      const to = target.get(u);
      moves.push({ unit: this.prepared.ids[u], from: label, to: to === undefined ? null : this.labels[to] });
    }
    if (moves.length) {
      this.record({ kind: 'moves', moves });
      this.recolour();
    }
    return {
      toNeighbours: target.size,
      unassigned: pending.size,
      neighbours: [...new Set(target.values())].map((h) => this.labels[h]).sort(),
    };
  }

  setLocked(label: string, locked: boolean): void {
    if (locked) this.locked.add(label);
    else this.locked.delete(label);
  }

  /** Splits a compound into its buildings, all staying in the compound's grid: one step. */
  splitCompound(compound: string): boolean {
    const feature = this.compounds.get(compound);
    if (!feature || this.split.has(compound) || (this.buildingsOf.get(compound)?.length ?? 0) < 2) return false;
    const label = this.labelOf(compound);
    if (this.isLocked(label)) return false;
    this.record({ kind: 'split', compound, label });
    return true;
  }

  /** Merges a split compound back into one unit, in the grid holding most of its households: one step. */
  mergeCompound(compound: string): boolean {
    if (!this.split.has(compound)) return false;
    const buildings: Record<string, string | null> = {};
    const byGrid = new Map<string | null, number>();
    for (const b of this.buildingsOf.get(compound)!) {
      const label = this.labelOf(b.properties.id);
      if (this.isLocked(label)) return false;
      buildings[b.properties.id] = label;
      byGrid.set(label, (byGrid.get(label) ?? 0) + b.properties.households + 1e-6);
    }
    const [label] = [...byGrid].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])))[0];
    this.record({ kind: 'merge', compound, label, buildings });
    return true;
  }

  undo(): boolean {
    this.endStroke();
    const step = this.undoStack.pop();
    if (!step) return false;
    this.run(step, 'backward');
    this.redoStack.push(step);
    return true;
  }

  redo(): boolean {
    this.endStroke();
    const step = this.redoStack.pop();
    if (!step) return false;
    this.run(step, 'forward');
    this.undoStack.push(step);
    return true;
  }

  /** A label not used yet, for a grid the balancing engine made or the planner adds. */
  freshLabel(taken: ReadonlySet<string>): string {
    for (let n = 1; ; n++) {
      const label = `N${String(n).padStart(3, '0')}`;
      if (!this.labelIndex.has(label) && !taken.has(label)) return label;
    }
  }

  // Internals

  private record(step: Step): void {
    this.run(step, 'forward');
    this.push(step);
  }

  private push(step: Step): void {
    this.undoStack.push(step);
    if (this.undoStack.length > UNDO_LIMIT) this.undoStack.shift();
    this.redoStack.length = 0;
  }

  private run(step: Step, direction: 'forward' | 'backward'): void {
    const forward = direction === 'forward';
    if (step.kind === 'moves') {
      this.apply(
        forward ? step.moves : step.moves.map(({ unit, from, to }) => ({ unit, from: to, to: from })).reverse(),
      );
      if (step.moves.length > 1) this.recolour();
      return;
    }
    const { compound, label } = step;
    const buildings = () =>
      step.kind === 'merge'
        ? step.buildings
        : Object.fromEntries(this.buildingsOf.get(compound)!.map((b) => [b.properties.id, label]));
    const intoBuildings = (step.kind === 'split') === forward;
    this.restructure(compound, intoBuildings, intoBuildings ? buildings() : { [compound]: label });
  }

  /** Replaces a compound by its buildings (or back) with the given labels, and rebuilds the model. */
  private restructure(compound: string, intoBuildings: boolean, labels: Record<string, string | null>): void {
    const assignment = this.assignment();
    if (intoBuildings) {
      delete assignment[compound];
      this.split.add(compound);
    } else {
      for (const b of this.buildingsOf.get(compound) ?? []) delete assignment[b.properties.id];
      this.split.delete(compound);
    }
    this.build({ ...assignment, ...labels });
    this.recolour();
  }

  /** The model of the current unit set under an assignment, every figure computed afresh. */
  private build(assignment: Readonly<Record<string, string | null>>): void {
    const features: PlanUnitFeature[] = [];
    const parents = { ...this.base.parents };
    for (const f of this.base.features) {
      const id = f.properties.id;
      if (f.properties.kind === 'compound' && this.split.has(id)) {
        features.push(...this.buildingsOf.get(id)!);
        parents[id] = f.geometry;
      } else features.push(f);
    }
    this.units = { ...this.base, features, parents };
    this.prepared = prepareUnits(balanceUnitsOf(this.units), resolveOptions({ parents }));
    this.communityList = null;
    const { ids, planar } = this.prepared;
    const gridOf = new Int32Array(ids.length).fill(-1);
    ids.forEach((id, u) => {
      const label = assignment[id];
      if (label) gridOf[u] = this.labelSlot(label);
    });
    this.state = new GridState(planar, gridOf, this.labels.length);
    this.communityCounts = this.labels.map(() => new Map());
    this.contiguous = this.labels.map(() => true);
    this.parentGrids = new Map();
    this.parentWeight = new Map();
    for (let u = 0; u < ids.length; u++) {
      this.count(u, gridOf[u], +1);
      const p = this.prepared.parent[u];
      if (p >= 0) this.parentWeight.set(p, (this.parentWeight.get(p) ?? 0) + planar.weight[u]);
    }
    for (let g = 0; g < this.labels.length; g++) this.contiguous[g] = this.isConnected(g);
  }

  private apply(moves: readonly Move[]): void {
    const touched = new Set<number>();
    for (const { unit, from, to } of moves) {
      const u = this.prepared.indexOf.get(unit)!;
      const g = to === null ? -1 : this.indexOf(to);
      const f = from === null ? -1 : this.indexOf(from);
      this.count(u, f, -1);
      this.state.move(u, g);
      this.count(u, g, +1);
      if (f >= 0) touched.add(f);
      if (g >= 0) touched.add(g);
    }
    for (const g of touched) {
      this.contiguous[g] = this.isConnected(g);
      if (this.state.count[g] > 0) this.declared.delete(this.labels[g]);
    }
  }

  /** Index of a label, known to the labels list only (the model is being built). */
  private labelSlot(label: string): number {
    let g = this.labelIndex.get(label);
    if (g === undefined) {
      g = this.labels.length;
      this.labels.push(label);
      this.labelIndex.set(label, g);
    }
    return g;
  }

  /** Index of a label; a new label gets a grid in the live model. */
  private indexOf(label: string): number {
    const known = this.labelIndex.get(label);
    if (known !== undefined) return known;
    const g = this.labelSlot(label);
    this.state.addGrid(-1);
    this.communityCounts.push(new Map());
    this.contiguous.push(true);
    return g;
  }

  private unitsOfParent(compound: string): number[] {
    const p = this.prepared.parentNames.indexOf(compound);
    const out: number[] = [];
    this.prepared.parent.forEach((q, u) => {
      if (q === p) out.push(u);
    });
    return out;
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
