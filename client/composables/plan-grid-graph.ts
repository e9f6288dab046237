// Walks over the engine's unit adjacency graph for a grid assignment (`gridOf`: unit → grid index, −1 none):
// contiguity of one grid, the grids next to one, and a colouring of the grids. Pure functions: the plan editor
// calls them per move on the grids a move touched.
import { isLabelConnected } from '../../server/balance/graph';
import type { PreparedUnits } from '../../server/balance/index';

type UnitGraph = PreparedUnits['planar']['graph'];

export const GRID_COLOUR_COUNT = 10;

/** Whether grid g's units (`size` of them) form one piece over the unit adjacency graph: the engine's own test. */
export function isGridConnected(graph: UnitGraph, gridOf: Int32Array, g: number, size: number): boolean {
  if (size <= 1) return true;
  const members: number[] = [];
  for (let v = 0; v < gridOf.length && members.length < size; v++) if (gridOf[v] === g) members.push(v);
  return isLabelConnected(graph, gridOf, g, members);
}

/** Indexes of the grids adjacent to grid g (through any of its units). */
export function neighbourGridIndexes(graph: UnitGraph, gridOf: Int32Array, g: number): Set<number> {
  const found = new Set<number>();
  for (let v = 0; v < graph.size; v++) {
    if (gridOf[v] !== g) continue;
    for (let e = graph.start[v]; e < graph.start[v + 1]; e++) {
      const h = gridOf[graph.neighbours[e]];
      if (h >= 0 && h !== g) found.add(h);
    }
  }
  return found;
}

/** Greedy colouring of the grid adjacency graph (slot per grid index), so that neighbouring grids differ where they can. */
export function gridColourSlots(graph: UnitGraph, gridOf: Int32Array, gridCount: number): Int32Array {
  const neighbours = Array.from({ length: gridCount }, () => new Set<number>());
  for (let v = 0; v < graph.size; v++) {
    for (let e = graph.start[v]; e < graph.start[v + 1]; e++) {
      const a = gridOf[v];
      const b = gridOf[graph.neighbours[e]];
      if (a >= 0 && b >= 0 && a !== b) neighbours[a].add(b);
    }
  }
  const slot = new Int32Array(gridCount).fill(-1);
  const order = neighbours.map((_, g) => g).sort((a, b) => neighbours[b].size - neighbours[a].size);
  for (const g of order) {
    const used = new Set<number>();
    for (const n of neighbours[g]) if (slot[n] >= 0) used.add(slot[n]);
    let c = 0;
    while (used.has(c) && c < GRID_COLOUR_COUNT - 1) c++;
    slot[g] = c;
  }
  return slot;
}
