// The planner's draft as a model: an assignment of units to grid labels over the balancing engine's unit graph
// (server/balance), kept current per move — GridState for households, area and union perimeter (O(degree)), a
// breadth-first search of the grids involved for contiguity, per-grid community counts for nesting and
// per-compound grid counts for split compounds. Splitting a compound changes the unit set, so the engine's model
// is rebuilt then (a few ms on the county data). The figures read from it are in plan-figures.ts, the edits and
// their history in plan-editor.ts. No Vue here.
import {
  GridState,
  prepareUnits,
  resolveOptions,
  type BalanceUnit,
  type PreparedUnits,
} from '../../server/balance/index';
import type { PlanUnitFeature, PlanUnits } from '../api/plans';
import type { HouseholdBounds } from '../../shared/plan-rules';
import { gridColourSlots, isGridConnected } from './plan-grid-graph';

/** One unit changing grid (null: no grid). */
export interface Move {
  unit: string;
  from: string | null;
  to: string | null;
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

export class PlanGridModel {
  /** The engine's model of the current unit set. */
  prepared!: PreparedUnits;
  /** The current unit set: the served units with the compounds split by the planner replaced by their buildings. */
  units!: PlanUnits;
  readonly labels: string[] = [];
  readonly locked = new Set<string>();
  protected readonly labelIndex = new Map<string, number>();
  protected state!: GridState;
  protected contiguous: boolean[] = [];
  protected communityCounts: Map<number, number>[] = [];
  /** Parent index → grid index → number of its units there. */
  protected parentGrids = new Map<number, Map<number, number>>();
  protected parentWeight = new Map<number, number>();
  private readonly colourIndex = new Map<string, number>();
  /** New grids shown in the panel while they are still empty. */
  protected readonly declared = new Set<string>();
  private readonly base: PlanUnits;
  protected readonly compounds = new Map<string, PlanUnitFeature>();
  protected readonly buildingsOf = new Map<string, PlanUnitFeature[]>();
  /** Building of a compound kept whole → the compound. */
  protected readonly buildingOwner = new Map<string, string>();
  protected readonly split = new Set<string>();
  private communityList: string[] | null = null;

  constructor(
    units: PlanUnits,
    assignment: Record<string, string | null>,
    /** The county's households per grid (GET /api/county). */
    readonly bounds: HouseholdBounds,
  ) {
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
  setLocked(label: string, locked: boolean): void {
    if (locked) this.locked.add(label);
    else this.locked.delete(label);
  }

  /** A label not used yet, for a grid the balancing engine made or the planner adds. */
  freshLabel(taken: ReadonlySet<string>): string {
    for (let n = 1; ; n++) {
      const label = `N${String(n).padStart(3, '0')}`;
      if (!this.labelIndex.has(label) && !taken.has(label)) return label;
    }
  }

  // Internals

  /** Replaces a compound by its buildings (or back) with the given labels, and rebuilds the model. */
  protected restructure(compound: string, intoBuildings: boolean, labels: Record<string, string | null>): void {
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
    this.prepared = prepareUnits(
      balanceUnitsOf(this.units),
      resolveOptions({ min: this.bounds.min, max: this.bounds.max, parents }),
    );
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

  protected apply(moves: readonly Move[]): void {
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
  protected indexOf(label: string): number {
    const known = this.labelIndex.get(label);
    if (known !== undefined) return known;
    const g = this.labelSlot(label);
    this.state.addGrid(-1);
    this.communityCounts.push(new Map());
    this.contiguous.push(true);
    return g;
  }

  protected unitsOfParent(compound: string): number[] {
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

  private isConnected(g: number): boolean {
    return isGridConnected(this.prepared.planar.graph, this.state.gridOf, g, this.state.count[g]);
  }

  /** Neighbouring grids get different colour slots where the greedy colouring can. */
  protected recolour(): void {
    const slots = gridColourSlots(this.prepared.planar.graph, this.state.gridOf, this.labels.length);
    slots.forEach((slot, g) => this.colourIndex.set(this.labels[g], slot));
  }
}
