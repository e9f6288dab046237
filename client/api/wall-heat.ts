// The wall's heat from the server: the `issues` tile layer's bins (a count per square cell) of the rolling
// window, one tile at a time. Tiles are decoded here (only the bins' cells and counts are read).
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { BIN_TILE_ZOOM, BINS_PER_TILE, type HeatCell } from '../../shared/map/wall-bins';
import { ApiError } from './http';

export const issueBinTileUrl = (x: number, y: number, days: number) =>
  `/tiles/issues/${BIN_TILE_ZOOM}/${x}/${y}.mvt?days=${days}`;

/** The cells of one bin tile with their counts over the last `days` days. */
export async function fetchBinTile(x: number, y: number, days: number, signal?: AbortSignal): Promise<HeatCell[]> {
  const url = issueBinTileUrl(x, y, days);
  let response: Response;
  try {
    // Counts change with every report: never an answer from the browser's cache.
    response = await fetch(url, { cache: 'no-store', signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError('unreachable', url, `GET ${url}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!response.ok) throw new ApiError('http', url, `GET ${url}: HTTP ${response.status}`, response.status);
  const layer = new VectorTile(new PbfReader(new Uint8Array(await response.arrayBuffer()))).layers.issues;
  const cells: HeatCell[] = [];
  if (!layer) return cells;
  const binExtent = layer.extent / BINS_PER_TILE;
  for (let k = 0; k < layer.length; k++) {
    const feature = layer.feature(k);
    const ring = feature.loadGeometry()[0];
    if (!ring?.length) continue;
    // A bin is a square of the tile grid: its centre says which one.
    const xs = ring.map((p) => p.x);
    const ys = ring.map((p) => p.y);
    const cx = (Math.min(...xs) + Math.max(...xs)) / 2;
    const cy = (Math.min(...ys) + Math.max(...ys)) / 2;
    const cellX = x * BINS_PER_TILE + Math.floor(cx / binExtent);
    const cellY = y * BINS_PER_TILE + Math.floor(cy / binExtent);
    cells.push({ key: `${cellX}/${cellY}`, x: cellX, y: cellY, count: Number(feature.properties.count) || 0 });
  }
  return cells;
}
