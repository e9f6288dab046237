import type { Pool, Queryable } from '../postgres/pool.ts';
import type { LayerDef, LowZoom } from './layers.ts';
import { PUBLIC_CELL_MERCATOR_METRES, publicCell3857 } from './public-position.ts';

export const TILE_EXTENT = 4096;
const TILE_BUFFER = 64;
const WORLD_METRES = 40075016.686;

/** Simplification tolerance in metres: half a pixel of a 512 px tile at zoom z. */
export function simplifyTolerance(z: number): number {
  return WORLD_METRES / (2 ** z * 1024);
}

/** The layer's low-zoom rules at zoom z, if they apply there. */
function lowZoomAt(layer: LayerDef, z: number): LowZoom | undefined {
  return layer.lowZoom && z < layer.lowZoom.belowZoom ? layer.lowZoom : undefined;
}

/** Rows of the last `days` days only (layers with a windowColumn): the condition, its argument pushed on args. */
function windowCondition(layer: LayerDef, args: unknown[], days: number | undefined): string {
  if (days === undefined || !layer.windowColumn) return '';
  args.push(days);
  return ` and ${layer.windowColumn} >= now() - make_interval(days => $${args.length})`;
}

/** The SQL and arguments that make one layer's MVT tile; the benchmark runs the same SQL directly. */
export function tileQuery(layer: LayerDef, countyCode: string, z: number, x: number, y: number, days?: number) {
  const low = lowZoomAt(layer, z);
  const props = Object.entries(layer.properties)
    .map(([name, p]) => `${p.sql} as "${name}"`)
    .join(', ');
  const args: unknown[] = [countyCode, z, x, y];
  const geom =
    layer.geometryType === 'point'
      ? layer.publicCells
        ? publicCell3857('t.geom_3857')
        : 't.geom_3857'
      : `case when st_dimension(t.geom_3857) = 0 then t.geom_3857
              else st_simplifypreservetopology(t.geom_3857, $${args.push(simplifyTolerance(z) * 2 * (low?.simplifyPx ?? 0.5))}) end`;
  const where = low?.where ? ` and (${low.where})` : '';
  // A point drawn at its cell's centre may come from a row a cell away (tiles smaller than a cell).
  const near = layer.publicCells ? `st_expand(bounds.buffered, ${PUBLIC_CELL_MERCATOR_METRES})` : 'bounds.buffered';
  let from = `${layer.from}, bounds`;
  if (low?.thin) {
    // Every cell touching the buffered tile is read whole (cells are larger than the buffer), so a tile and
    // its neighbour keep the same feature of a cell they share.
    const cell = `$${args.push((WORLD_METRES / (2 ** z * 512)) * low.thin.cellPx)}::float8`;
    from = `(select t.*, row_number() over (partition by floor(st_x(t.geom_3857) / ${cell}), floor(st_y(t.geom_3857) / ${cell})
                                             order by ${low.thin.rank} desc, t.id) as rank_in_cell
             from ${layer.from}, bounds
             where t.county_code = $1 and t.geom_3857 && st_expand(bounds.buffered, ${cell})${where}) t, bounds`;
  }
  const sql = `
    with bounds as (
      select st_tileenvelope($2, $3, $4) as env,
             st_tileenvelope($2, $3, $4, margin => ${TILE_BUFFER / TILE_EXTENT}) as buffered),
    rows as (
      select st_asmvtgeom(${geom}, bounds.env, ${TILE_EXTENT}, ${TILE_BUFFER}, true) as geom, ${props}
      from ${from}
      where t.county_code = $1 and t.geom_3857 && ${near}${low?.thin ? ' and t.rank_in_cell = 1' : where}${windowCondition(layer, args, days)})
    select st_asmvt(rows.*, '${layer.id}', ${TILE_EXTENT}, 'geom') as tile from rows where geom is not null`;
  return { sql, args };
}

/** Bins per tile side: 16 px bins on a 512 px tile. */
export const BINS_PER_TILE = 32;
const HALF_WORLD = WORLD_METRES / 2;

/**
 * A tile of square bins with the count of the layer's points in each. Bins nest in tiles at every zoom
 * (tile side / BINS_PER_TILE, aligned with the tile grid), so each point is counted in exactly one bin of
 * exactly one tile, and a bin never straddles two tiles.
 */
export function binTileQuery(layer: LayerDef, countyCode: string, z: number, x: number, y: number, days?: number) {
  const args: unknown[] = [countyCode, z, x, y];
  // Public cells nest in the tiles up to their own zoom: a bin of one cell still never straddles two tiles.
  const size = layer.publicCells
    ? `greatest(${2 * HALF_WORLD} / 2 ^ $2 / ${BINS_PER_TILE}, ${PUBLIC_CELL_MERCATOR_METRES})`
    : `${2 * HALF_WORLD} / 2 ^ $2 / ${BINS_PER_TILE}`;
  const sql = `
    with bounds as (select st_tileenvelope($2, $3, $4) as env, ${size} as size),
    cells as (
      select floor((st_x(t.geom_3857) + ${HALF_WORLD}) / b.size) as i, floor((st_y(t.geom_3857) + ${HALF_WORLD}) / b.size) as j,
             count(*)::integer as count
      from ${layer.from}, bounds b
      where t.county_code = $1 and t.geom_3857 && b.env${windowCondition(layer, args, days)}
      group by 1, 2),
    rows as (
      select st_asmvtgeom(st_makeenvelope(c.i * b.size - ${HALF_WORLD}, c.j * b.size - ${HALF_WORLD},
                                          (c.i + 1) * b.size - ${HALF_WORLD}, (c.j + 1) * b.size - ${HALF_WORLD}, 3857),
                          b.env, ${TILE_EXTENT}, 0, true) as geom, c.count
      from cells c, bounds b
      -- a point on the tile's edge is in the envelope of two tiles: its bin's centre says which one counts it
      where st_contains(b.env, st_point((c.i + 0.5) * b.size - ${HALF_WORLD}, (c.j + 0.5) * b.size - ${HALF_WORLD}, 3857)))
    select st_asmvt(rows.*, '${layer.id}', ${TILE_EXTENT}, 'geom') as tile from rows where geom is not null`;
  return { sql, args };
}

/** The query of one tile as served: none below the layer's minzoom, bins where the layer bins its points.
 * `days`: only the rows of the last N days, for layers with a windowColumn (the others ignore it). */
export function servedTileQuery(layer: LayerDef, countyCode: string, z: number, x: number, y: number, days?: number) {
  if (z < layer.minzoom) return undefined;
  return layer.binsBelowZoom !== undefined && z < layer.binsBelowZoom
    ? binTileQuery(layer, countyCode, z, x, y, days)
    : tileQuery(layer, countyCode, z, x, y, days);
}

export async function queryTile(
  pool: Queryable,
  layer: LayerDef,
  countyCode: string,
  z: number,
  x: number,
  y: number,
  days?: number,
): Promise<Buffer> {
  const query = servedTileQuery(layer, countyCode, z, x, y, days);
  if (!query) return Buffer.alloc(0);
  const { rows } = await pool.query<{ tile: Buffer | null }>(query.sql, query.args);
  return rows[0]?.tile ?? Buffer.alloc(0);
}

export async function queryDataVersion(pool: Pick<Pool, 'query'>, countyCode: string): Promise<number> {
  const { rows } = await pool.query<{ version: number }>('select version from data_versions where county_code = $1', [
    countyCode,
  ]);
  return rows[0]?.version ?? 0;
}
