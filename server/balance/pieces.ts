// Pieces: sets of units that always share a grid. A unit without parent is a piece; a parent (compound) no
// heavier than max is one piece; a heavier parent is cut into ceil(W/max) contiguous pieces by the same
// interval-feasible bisection as the plan itself, so the rest of the engine never splits a parent again.
import { Bisector, type Bounds } from './bisect';
import { components, graphFromEdges, type Edge, type PlanarGraph } from './graph';
import { boundViolation, repairBounds } from './refine';
import { GridState } from './state';
import type { Random } from './random';
import type { Violation } from './types';
import type { PreparedUnits } from './units';

export interface Pieces {
  planar: PlanarGraph;
  members: number[][];
  pieceOfUnit: Int32Array;
  violations: Violation[];
}

const listIds = (ids: string[], units: readonly number[], limit = 20): string[] => {
  const shown = units.slice(0, limit).map((u) => ids[u]);
  return units.length > limit ? [...shown, `… ${units.length - limit} more`] : shown;
};

/**
 * The pieces an existing plan gives a heavy parent (its units grouped by grid label), repaired with as few unit
 * moves as possible so that there are ceil(W/max) of them, each contiguous, at most max and a grid's worth by itself
 * (at least min(min, W/count): a lighter piece would lean on neighbours the old grid may have had across a gap).
 * Null when the existing split is too far off (another number of pieces, unlabelled or scattered units).
 */
function existingPieces(
  units: PreparedUnits,
  part: number[],
  count: number,
  bounds: Bounds,
  labelOfUnit: readonly (string | null)[],
  random: Random,
): number[][] | null {
  const byLabel = new Map<string, number>();
  const { planar, parent } = units;
  const gridOf = new Int32Array(planar.graph.size).fill(-1);
  for (const v of part) {
    const label = labelOfUnit[v];
    if (label === null) return null;
    if (!byLabel.has(label)) byLabel.set(label, byLabel.size);
    gridOf[v] = byLabel.get(label)!;
  }
  if (byLabel.size !== count) return null;
  const pieceOf = (index: number): number[] => part.filter((v) => gridOf[v] === index);
  for (let index = 0; index < count; index++) {
    if (components(planar.graph, pieceOf(index), (v, w) => parent[v] === parent[w]).length !== 1) return null;
  }
  const total = part.reduce((sum, v) => sum + planar.weight[v], 0);
  const pieceBounds = { min: Math.min(bounds.min, total / count), max: bounds.max };
  // Only the parent's own units carry a grid here, so contiguity is among them alone. First a steepest descent
  // (the move that removes the most bound violation, then the one moving the fewest households); the greedy repair
  // can stall (a small first move leaves a gap no single unit fits), so it also runs from the old split in a few
  // random orders, and the repair moving the fewest households wins.
  const original = gridOf.slice();
  let best: Int32Array | null = null;
  let bestMoved = Infinity;
  for (let attempt = 0; attempt < 6 && bestMoved > 0; attempt++) {
    const state = new GridState(planar, original.slice(), count);
    const remaining =
      attempt === 0
        ? steepestRepair(state, part, pieceBounds, original)
        : repairBounds(state, {
            bounds: pieceBounds,
            random,
            shouldStop: () => false,
            passes: 10,
            original,
            vertices: part,
          });
    if (remaining > 1e-7) continue;
    let moved = 0;
    for (const v of part) if (state.gridOf[v] !== original[v]) moved += planar.weight[v];
    if (moved < bestMoved) {
      bestMoved = moved;
      best = state.gridOf.slice();
    }
    if (moved === 0) break;
  }
  if (!best) return null;
  const gridOfBest = best;
  return Array.from({ length: count }, (_, index) => part.filter((v) => gridOfBest[v] === index));
}

/** Steepest-descent bound repair of a parent's pieces (one unit per step); returns the violation left. */
function steepestRepair(state: GridState, part: readonly number[], bounds: Bounds, original: Int32Array): number {
  const { graph, weight } = state.planar;
  const violationOf = (grid: number, change: number): number => boundViolation(state.weight[grid] + change, 1, bounds);
  const total = (): number => {
    let sum = 0;
    for (let grid = 0; grid < state.gridCount; grid++) if (state.count[grid] > 0) sum += violationOf(grid, 0);
    return sum;
  };
  for (let step = 0; step < part.length && total() > 1e-7; step++) {
    let bestUnit = -1;
    let bestGrid = -1;
    let bestChange = -1e-7;
    let bestMoved = Infinity;
    for (const v of part) {
      const from = state.gridOf[v];
      if (state.count[from] <= 1) continue;
      const w = weight[v];
      for (let e = graph.start[v]; e < graph.start[v + 1]; e++) {
        const to = state.gridOf[graph.neighbours[e]];
        if (to < 0 || to === from) continue;
        const change = violationOf(from, -w) + violationOf(to, w) - violationOf(from, 0) - violationOf(to, 0);
        const moved = (original[v] === from ? w : 0) - (original[v] === to ? w : 0);
        if (change < bestChange - 1e-9 || (change <= bestChange + 1e-9 && moved < bestMoved)) {
          if (!state.staysConnectedWithout(v)) continue;
          bestUnit = v;
          bestGrid = to;
          bestChange = Math.min(change, bestChange);
          bestMoved = moved;
        }
      }
    }
    if (bestUnit < 0) break;
    state.move(bestUnit, bestGrid);
  }
  return total();
}

export function buildPieces(
  units: PreparedUnits,
  bounds: Bounds,
  random: Random,
  treesPerCut: number,
  labelOfUnit?: readonly (string | null)[],
): Pieces {
  const { planar, parent, ids } = units;
  const size = planar.graph.size;
  const violations: Violation[] = [];
  const members: number[][] = [];
  const byParent = new Map<number, number[]>();
  for (let v = 0; v < size; v++) {
    if (parent[v] < 0) members.push([v]);
    else {
      const list = byParent.get(parent[v]);
      if (list) list.push(v);
      else byParent.set(parent[v], [v]);
    }
  }
  const bisector = new Bisector(planar, bounds, random, treesPerCut);
  for (const [p, list] of byParent) {
    const name = units.parentNames[p];
    const parts = components(planar.graph, list, (v, w) => parent[v] === parent[w]);
    if (parts.length > 1) {
      violations.push({
        kind: 'parent-disconnected',
        message:
          `parent ${JSON.stringify(name)} has units in ${parts.length} places that do not touch ` +
          `(nor lie within gap of) each other: ${parts.map((part) => `[${listIds(ids, part, 5).join(', ')}]`).join(' ')}`,
        parent: name,
        group: units.groupNames[planar.group[list[0]]],
        unitIds: listIds(ids, list, 1000),
      });
    }
    for (const part of parts) {
      let total = 0;
      for (const v of part) total += planar.weight[v];
      if (total <= bounds.max) {
        members.push(part);
        continue;
      }
      const count = Math.ceil(total / bounds.max - 1e-9);
      let pieces: number[][] | null = labelOfUnit
        ? existingPieces(units, part, count, bounds, labelOfUnit, random)
        : null;
      // Prefer pieces that are whole grids by themselves; accept lighter ones when the buildings do not allow it.
      // A piece lighter than min must be completed by units outside the parent, so it has to touch one: a cut
      // that leaves such a piece walled in by the rest of its parent is drawn again (a few times) before it is kept.
      const reachesOutside = (piece: number[]): boolean => {
        let weight = 0;
        for (const v of piece) weight += planar.weight[v];
        if (weight >= bounds.min - 1e-9) return true;
        for (const v of piece) {
          for (let e = planar.graph.start[v]; e < planar.graph.start[v + 1]; e++) {
            const w = planar.graph.neighbours[e];
            if (parent[w] !== parent[v] && planar.group[w] === planar.group[v]) return true;
          }
        }
        return false;
      };
      let walledIn: number[][] | null = null;
      for (const pieceMin of [Math.min(bounds.min, total / count), total / count / 2, 0]) {
        if (pieces) break;
        for (let attempt = 0; attempt < 8 && !pieces; attempt++) {
          const result = new Bisector(planar, { min: pieceMin, max: bounds.max }, random, treesPerCut).partition(
            part,
            count,
          );
          if (!result.exact) break;
          if (result.parts.every(reachesOutside)) pieces = result.parts;
          else walledIn ??= result.parts;
        }
      }
      pieces ??= walledIn;
      if (!pieces) {
        // Its units are too coarse for ceil(W/max) pieces: use more pieces (a reported violation), within bounds.
        for (let more = count + 1; more <= Math.min(part.length, count + 3) && !pieces; more++) {
          const result = new Bisector(planar, { min: 0, max: bounds.max }, random, treesPerCut).partition(part, more);
          if (result.exact) pieces = result.parts;
        }
        // A parent of one unit is reported as a unit too heavy (feasibility).
        if (part.length > 1) {
          violations.push({
            kind: 'parent-too-coarse',
            message:
              `parent ${JSON.stringify(name)} (${total} households in ${part.length} units) cannot be cut into ` +
              `${count} contiguous pieces of at most ${bounds.max}${pieces ? `; cut into ${pieces.length}` : ''}`,
            parent: name,
            group: units.groupNames[planar.group[part[0]]],
            unitIds: listIds(ids, part, 1000),
            weight: total,
          });
        }
        if (!pieces) pieces = bisector.partition(part, count).parts; // best effort: the grids' violations follow
      }
      members.push(...pieces);
    }
  }

  const count = members.length;
  const pieceOfUnit = new Int32Array(size).fill(-1);
  members.forEach((list, piece) => {
    for (const v of list) pieceOfUnit[v] = piece;
  });
  const weight = new Float64Array(count);
  const area = new Float64Array(count);
  const perimeter = new Float64Array(count);
  const centroidX = new Float64Array(count);
  const centroidY = new Float64Array(count);
  const group = new Int32Array(count);
  const sharedBetween = new Map<number, number>();
  members.forEach((list, piece) => {
    let sumX = 0;
    let sumY = 0;
    for (const v of list) {
      weight[piece] += planar.weight[v];
      area[piece] += planar.area[v];
      perimeter[piece] += planar.perimeter[v];
      centroidX[piece] += planar.area[v] * planar.centroidX[v];
      centroidY[piece] += planar.area[v] * planar.centroidY[v];
      sumX += planar.centroidX[v];
      sumY += planar.centroidY[v];
      for (let e = planar.graph.start[v]; e < planar.graph.start[v + 1]; e++) {
        const other = pieceOfUnit[planar.graph.neighbours[e]];
        if (other === piece)
          perimeter[piece] -= planar.graph.shared[e]; // each internal edge is seen twice
        else if (other > piece)
          sharedBetween.set(
            piece * count + other,
            (sharedBetween.get(piece * count + other) ?? 0) + planar.graph.shared[e],
          );
      }
    }
    perimeter[piece] = Math.max(0, perimeter[piece]);
    if (area[piece] > 0) {
      centroidX[piece] /= area[piece];
      centroidY[piece] /= area[piece];
    } else {
      centroidX[piece] = sumX / list.length;
      centroidY[piece] = sumY / list.length;
    }
    group[piece] = planar.group[list[0]];
  });
  const edges: Edge[] = [];
  for (const [key, shared] of sharedBetween) {
    const a = Math.floor(key / count);
    edges.push({ a, b: key - a * count, shared });
  }
  return {
    planar: { graph: graphFromEdges(count, edges), weight, area, perimeter, centroidX, centroidY, group },
    members,
    pieceOfUnit,
    violations,
  };
}
