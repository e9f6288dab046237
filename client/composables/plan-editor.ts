// The planner's draft in the browser: the model (plan-grid-model.ts) and its figures (plan-figures.ts) with the
// edits — a click, a brush stroke, a lasso, a grid made, merged or deleted, a compound split or merged back, a
// whole balancing result — each one step of the undo history (plan-undo.ts). Locked grids neither give nor
// take units in new edits. No Vue here: the page reads it through a version counter (stores/plan-draft.ts).
import { PlanFigures } from './plan-figures';
import type { Move } from './plan-grid-model';
import { UndoHistory, type Step } from './plan-undo';

export interface DeleteOutcome {
  /** Units that went to a neighbouring grid of their community, and those left without a grid. */
  toNeighbours: number;
  unassigned: number;
  neighbours: string[];
}

export class PlanEditor extends PlanFigures {
  private readonly history = new UndoHistory();

  get canUndo(): boolean {
    return this.history.canUndo;
  }

  get canRedo(): boolean {
    return this.history.canRedo;
  }

  get undoDepth(): number {
    return this.history.depth;
  }

  /** Moves one unit into a grid: one undoable step. False when nothing changed (or a locked grid is involved). */
  move(unitId: string, label: string): boolean {
    return this.paint([unitId], label) > 0;
  }

  /** Opens a brush stroke: the paints until `endStroke()` are one undoable step. */
  beginStroke(): void {
    this.endStroke();
    this.history.beginStroke();
  }

  /** Closes the open stroke; true when it changed anything. */
  endStroke(): boolean {
    if (!this.history.endStroke()) return false;
    this.recolour();
    return true;
  }

  /** Takes the open stroke back (a second finger made it a map gesture); true when it had changed anything. */
  cancelStroke(): boolean {
    const stroke = this.history.cancelStroke();
    if (!stroke) return false;
    this.run(stroke, 'backward');
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
    if (this.history.strokeOpen) {
      this.apply(moves);
      this.history.addToStroke(moves);
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
    const step = this.history.undo();
    if (step) this.run(step, 'backward');
    return step !== undefined;
  }

  redo(): boolean {
    this.endStroke();
    const step = this.history.redo();
    if (step) this.run(step, 'forward');
    return step !== undefined;
  }

  // Internals

  private record(step: Step): void {
    this.run(step, 'forward');
    this.history.push(step);
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
}
