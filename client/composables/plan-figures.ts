// What the planner's panel reads from the draft: a row of figures per grid, the plan's summary, a grid's
// neighbours and the compound of a unit. An unchanged grid keeps its row object, so the panel skips it.
import { PlanGridModel } from './plan-grid-model';
import { neighbourGridIndexes } from './plan-grid-graph';
import { gridsAllowedForCompound } from '../../shared/plan-rules';

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

export class PlanFigures extends PlanGridModel {
  /** The last row of each grid handed out (see `sameRow`). */
  private readonly rowCache = new Map<string, GridRow>();

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
      status: households < this.bounds.min ? 'under' : households > this.bounds.max ? 'over' : 'ok',
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
      if (used > gridsAllowedForCompound(weight, this.bounds.max)) badlySplitCompounds++;
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

  /** Grids adjacent to a grid (through any of its units). */
  neighbourGrids(label: string): string[] {
    const g = this.labelIndex.get(label);
    if (g === undefined) return [];
    const found = neighbourGridIndexes(this.prepared.planar.graph, this.state.gridOf, g);
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
}
