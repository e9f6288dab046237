// The wall's issue heat on a geographic scale: reports counted in square cells of one fixed ground size, so a
// colour means the same number of reports per cell at every zoom and wherever the tour flies. The cells are
// the server's `issues` tile bins at BIN_TILE_ZOOM (32 bins per tile side): bin (i, j) of tile (x, y) is the
// XYZ tile (32x + i, 32y + j) at BIN_TILE_ZOOM + 5, so points from the stream or the playback fall in the
// very cells the server counts in.

/** The zoom whose tiles the wall asks the server for: 32 bins per side, ≈120 m at Yanchi's latitude. */
export const BIN_TILE_ZOOM = 13;
/** Bins per tile side (server/db/tiles-repo.ts BINS_PER_TILE). */
export const BINS_PER_TILE = 32;
/** A bin is an XYZ tile of this zoom. */
export const BIN_ZOOM = BIN_TILE_ZOOM + Math.log2(BINS_PER_TILE);
/** The heat's rolling window and the playback's days (the server's issue points use them too). */
export const HEAT_WINDOW_DAYS = 7;
export const PLAYBACK_DAYS = 30;
/** At most this many bin tiles for one view (zoomed far out over a large area): beyond, the heat is off. */
export const MAX_BIN_TILES = 256;

/**
 * Low → high, one colour per class (the legend draws the same): a ramp from cool to hot in saturated colours
 * that stand out on the wall's dark map, where pale tints read as blank squares.
 */
export const HEAT_COLOURS: readonly [number, number, number][] = [
  [0, 200, 255],
  [0, 230, 120],
  [255, 225, 0],
  [255, 120, 0],
  [255, 30, 30],
  [255, 0, 200],
];
/** Alpha per class: few reports tint the map, many cover it. */
export const HEAT_ALPHAS: readonly number[] = [150, 170, 190, 215, 235, 255];
/**
 * Fixed lower bounds of the classes, in reports per cell over the window: never rescaled to what is in view,
 * so the colours keep their meaning as the tour moves.
 */
export const HEAT_CLASS_MINS: readonly number[] = [1, 2, 3, 5, 8, 12];

/** A heat colour as #rrggbb (the legend's data-colour). */
export const heatHex = (c: readonly number[]) => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;

/** The side of a cell on the ground at a latitude, in metres. */
export function cellGroundMetres(latitude: number): number {
  return (40_075_016.686 / 2 ** BIN_ZOOM) * Math.cos((latitude * Math.PI) / 180);
}

/** Class of a count (null: 0, not drawn). */
export function heatClass(count: number): number | null {
  if (count < HEAT_CLASS_MINS[0]) return null;
  let k = 0;
  while (k + 1 < HEAT_CLASS_MINS.length && count >= HEAT_CLASS_MINS[k + 1]) k++;
  return k;
}

/** A cell: its XYZ address at BIN_ZOOM ("x/y") and the reports counted in it. */
export interface HeatCell {
  key: string;
  x: number;
  y: number;
  count: number;
}

const tileX = (lon: number, z: number) => Math.floor(((lon + 180) / 360) * 2 ** z);
function tileY(lat: number, z: number): number {
  const r = (Math.max(-85.0511, Math.min(85.0511, lat)) * Math.PI) / 180;
  return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z);
}
const lonOf = (x: number, z: number) => (x / 2 ** z) * 360 - 180;
const latOf = (y: number, z: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / 2 ** z))) * 180) / Math.PI;

/** The cell a point falls in. */
export function cellOf(lon: number, lat: number): { key: string; x: number; y: number } {
  const x = tileX(lon, BIN_ZOOM);
  const y = tileY(lat, BIN_ZOOM);
  return { key: `${x}/${y}`, x, y };
}

/** The cell's corners as a closed ring of [lon, lat]. */
export function cellRing(cell: { x: number; y: number }): [number, number][] {
  const w = lonOf(cell.x, BIN_ZOOM);
  const e = lonOf(cell.x + 1, BIN_ZOOM);
  const n = latOf(cell.y, BIN_ZOOM);
  const s = latOf(cell.y + 1, BIN_ZOOM);
  return [
    [w, s],
    [e, s],
    [e, n],
    [w, n],
    [w, s],
  ];
}

/** The bin tiles (at BIN_TILE_ZOOM) covering a view [west, south, east, north]; null when too many. */
export function binTilesFor(bounds: [number, number, number, number]): [number, number][] | null {
  const [w, s, e, n] = bounds;
  const x0 = tileX(Math.max(-180, w), BIN_TILE_ZOOM);
  const x1 = tileX(Math.min(179.9999, e), BIN_TILE_ZOOM);
  const y0 = tileY(n, BIN_TILE_ZOOM);
  const y1 = tileY(s, BIN_TILE_ZOOM);
  if ((x1 - x0 + 1) * (y1 - y0 + 1) > MAX_BIN_TILES) return null;
  const out: [number, number][] = [];
  for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) out.push([x, y]);
  return out;
}

/** Counts points into cells: the playback and the reports from the stream. */
export function binPoints(
  points: Iterable<readonly [number, number]>,
  into = new Map<string, HeatCell>(),
): Map<string, HeatCell> {
  for (const [lon, lat] of points) {
    const c = cellOf(lon, lat);
    const cell = into.get(c.key);
    if (cell) cell.count++;
    else into.set(c.key, { ...c, count: 1 });
  }
  return into;
}
