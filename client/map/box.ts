// A lng/lat box [west, south, east, north], the form maplibre's fitBounds takes and the API's bbox has.
export type Box = [number, number, number, number];

/** The smallest box around the points (null when there are none). */
export function boxAround(points: Iterable<readonly number[]>): Box | null {
  let [west, south, east, north] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of points) {
    west = Math.min(west, x);
    east = Math.max(east, x);
    south = Math.min(south, y);
    north = Math.max(north, y);
  }
  return Number.isFinite(west) ? [west, south, east, north] : null;
}
