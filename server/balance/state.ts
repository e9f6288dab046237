// Incremental grid figures for refinement and for the planner's brush: per grid weight, area, union perimeter and
// size; moving one vertex updates the two grids involved in O(degree), and the donor's contiguity is checked by a
// breadth-first search of the donor alone (skipped when the vertex has at most one neighbour in it).
import { polsbyPopper } from './geometry';
import type { PlanarGraph } from './graph';

export class GridState {
  readonly gridOf: Int32Array;
  readonly weight: number[] = [];
  readonly area: number[] = [];
  readonly perimeter: number[] = [];
  readonly count: number[] = [];
  readonly group: number[] = [];
  /** Polsby-Popper of each grid, kept current by `move`: reading it is an array load, so a brush stroke's loop
   * allocates nothing (a call returning a double that the JIT does not inline boxes it: 16 bytes, and so GC). */
  readonly compactness: number[] = [];
  private readonly mark: Int32Array;
  private stamp = 0;
  private readonly queue: Int32Array;

  constructor(
    readonly planar: PlanarGraph,
    gridOf: Int32Array,
    gridCount: number,
  ) {
    this.gridOf = gridOf;
    for (let g = 0; g < gridCount; g++) this.addGrid(-1);
    const { graph } = planar;
    for (let v = 0; v < graph.size; v++) {
      const g = gridOf[v];
      if (g < 0) continue;
      this.weight[g] += planar.weight[v];
      this.area[g] += planar.area[v];
      this.perimeter[g] += planar.perimeter[v];
      this.count[g]++;
      this.group[g] = planar.group[v];
      for (let e = graph.start[v]; e < graph.start[v + 1]; e++) {
        if (gridOf[graph.neighbours[e]] === g) this.perimeter[g] -= graph.shared[e]; // seen from both ends
      }
    }
    for (let g = 0; g < gridCount; g++) this.compactness[g] = this.polsbyPopper(g);
    this.mark = new Int32Array(graph.size);
    this.queue = new Int32Array(graph.size);
  }

  get gridCount(): number {
    return this.weight.length;
  }

  addGrid(group: number): number {
    this.weight.push(0);
    this.area.push(0);
    this.perimeter.push(0);
    this.count.push(0);
    this.group.push(group);
    this.compactness.push(0);
    return this.weight.length - 1;
  }

  polsbyPopper(grid: number): number {
    return polsbyPopper(this.area[grid], Math.max(0, this.perimeter[grid]));
  }

  /** Boundary length v shares with the vertices of `grid` (v itself excluded). */
  sharedWith(v: number, grid: number): number {
    const { graph } = this.planar;
    let shared = 0;
    for (let e = graph.start[v]; e < graph.start[v + 1]; e++)
      if (this.gridOf[graph.neighbours[e]] === grid) shared += graph.shared[e];
    return shared;
  }

  /** Perimeter of `grid` without v (v in grid) or with v (v elsewhere). */
  perimeterAfter(v: number, grid: number): number {
    const shared = this.sharedWith(v, grid);
    return this.gridOf[v] === grid
      ? this.perimeter[grid] - this.planar.perimeter[v] + 2 * shared
      : this.perimeter[grid] + this.planar.perimeter[v] - 2 * shared;
  }

  /** True when the grid of v stays connected without v. */
  staysConnectedWithout(v: number): boolean {
    const grid = this.gridOf[v];
    if (grid < 0 || this.count[grid] <= 2) return true;
    const { graph } = this.planar;
    let first = -1;
    let inside = 0;
    for (let e = graph.start[v]; e < graph.start[v + 1]; e++) {
      const w = graph.neighbours[e];
      if (this.gridOf[w] === grid) {
        if (first < 0) first = w;
        inside++;
      }
    }
    if (inside <= 1) return true;
    const stamp = ++this.stamp;
    this.mark[v] = stamp;
    this.mark[first] = stamp;
    this.queue[0] = first;
    let reached = 1;
    for (let head = 0; head < reached; head++) {
      const u = this.queue[head];
      for (let e = graph.start[u]; e < graph.start[u + 1]; e++) {
        const w = graph.neighbours[e];
        if (this.gridOf[w] === grid && this.mark[w] !== stamp) {
          this.mark[w] = stamp;
          this.queue[reached++] = w;
        }
      }
    }
    return reached === this.count[grid] - 1;
  }

  /** Moves v to `grid` (−1: out of every grid), updating both grids' figures. */
  move(v: number, grid: number): void {
    const from = this.gridOf[v];
    if (from === grid) return;
    const { planar } = this;
    if (from >= 0) {
      this.perimeter[from] = this.perimeterAfter(v, from);
      this.weight[from] -= planar.weight[v];
      this.area[from] -= planar.area[v];
      this.count[from]--;
      this.compactness[from] = this.polsbyPopper(from);
    }
    if (grid >= 0) {
      this.perimeter[grid] = this.perimeterAfter(v, grid);
      this.weight[grid] += planar.weight[v];
      this.area[grid] += planar.area[v];
      this.count[grid]++;
      this.group[grid] = planar.group[v];
      this.compactness[grid] = this.polsbyPopper(grid);
    }
    this.gridOf[v] = grid;
  }

  /** Members of a grid, by scanning (O(n)); for occasional use only. */
  members(grid: number): number[] {
    const list: number[] = [];
    for (let v = 0; v < this.gridOf.length; v++) if (this.gridOf[v] === grid) list.push(v);
    return list;
  }
}
