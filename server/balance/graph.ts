// A weighted, undirected graph in compressed-sparse-row form, and the few traversals the engine needs.

export interface WeightedGraph {
  size: number;
  /** Neighbours of v are neighbours[start[v] .. start[v + 1]). */
  start: Int32Array;
  neighbours: Int32Array;
  /** Boundary length (metres) shared with, or facing across a gap, the neighbour at the same position. */
  shared: Float64Array;
}

export interface Edge {
  a: number;
  b: number;
  shared: number;
}

export function graphFromEdges(size: number, edges: readonly Edge[]): WeightedGraph {
  const degree = new Int32Array(size + 1);
  for (const { a, b } of edges) {
    degree[a + 1]++;
    degree[b + 1]++;
  }
  for (let v = 0; v < size; v++) degree[v + 1] += degree[v];
  const start = degree.slice();
  const fill = degree.slice(0, size);
  const neighbours = new Int32Array(start[size]);
  const shared = new Float64Array(start[size]);
  for (const edge of edges) {
    neighbours[fill[edge.a]] = edge.b;
    shared[fill[edge.a]++] = edge.shared;
    neighbours[fill[edge.b]] = edge.a;
    shared[fill[edge.b]++] = edge.shared;
  }
  return { size, start, neighbours, shared };
}

/**
 * Connected components of the vertices for which `include(v)` holds, following only edges for which
 * `sameSide(v, w)` holds. Returns the vertex lists, each in breadth-first order.
 */
export function components(
  graph: WeightedGraph,
  vertices: Iterable<number>,
  sameSide: (v: number, w: number) => boolean = () => true,
  include?: (v: number) => boolean,
): number[][] {
  const list = [...vertices];
  const member = new Set(list);
  const seen = new Set<number>();
  const result: number[][] = [];
  for (const seed of list) {
    if (seen.has(seed) || (include && !include(seed))) continue;
    const component = [seed];
    seen.add(seed);
    for (let head = 0; head < component.length; head++) {
      const v = component[head];
      for (let i = graph.start[v]; i < graph.start[v + 1]; i++) {
        const w = graph.neighbours[i];
        if (!seen.has(w) && member.has(w) && (!include || include(w)) && sameSide(v, w)) {
          seen.add(w);
          component.push(w);
        }
      }
    }
    result.push(component);
  }
  return result;
}

/** True when the vertices with `label[v] === target` form one connected piece (an empty set counts as connected). */
export function isLabelConnected(
  graph: WeightedGraph,
  label: ArrayLike<number>,
  target: number,
  members: readonly number[],
): boolean {
  if (members.length <= 1) return true;
  const seen = new Set<number>([members[0]]);
  const queue = [members[0]];
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head];
    for (let i = graph.start[v]; i < graph.start[v + 1]; i++) {
      const w = graph.neighbours[i];
      if (label[w] === target && !seen.has(w)) {
        seen.add(w);
        queue.push(w);
      }
    }
  }
  return seen.size === members.length;
}

/** A graph whose vertices are places: units, or pieces of units that always share a grid. */
export interface PlanarGraph {
  graph: WeightedGraph;
  weight: Float64Array;
  /** Square metres. */
  area: Float64Array;
  /** Metres. */
  perimeter: Float64Array;
  centroidX: Float64Array;
  centroidY: Float64Array;
  /** Group index of each vertex. */
  group: Int32Array;
}
