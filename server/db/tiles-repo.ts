import type { Pool } from './pool.ts';
import type { LayerDef } from './layers.ts';

export const TILE_EXTENT = 4096;
const TILE_BUFFER = 64;
const WORLD_METRES = 40075016.686;

/** Simplification tolerance in metres: half a pixel of a 512 px tile at zoom z. */
export function simplifyTolerance(z: number): number {
  return WORLD_METRES / (2 ** z * 1024);
}

/** The SQL and arguments that make one layer's MVT tile; the benchmark runs the same SQL directly. */
export function tileQuery(layer: LayerDef, countyCode: string, z: number, x: number, y: number) {
  const props = Object.entries(layer.properties)
    .map(([name, p]) => `${p.sql} as "${name}"`)
    .join(', ');
  const geom =
    layer.geometryType === 'point'
      ? 't.geom_3857'
      : `case when st_dimension(t.geom_3857) = 0 then t.geom_3857
              else st_simplifypreservetopology(t.geom_3857, $5) end`;
  const sql = `
    with bounds as (
      select st_tileenvelope($2, $3, $4) as env,
             st_tileenvelope($2, $3, $4, margin => ${TILE_BUFFER / TILE_EXTENT}) as buffered),
    rows as (
      select st_asmvtgeom(${geom}, bounds.env, ${TILE_EXTENT}, ${TILE_BUFFER}, true) as geom, ${props}
      from ${layer.from}, bounds
      where t.county_code = $1 and t.geom_3857 && bounds.buffered)
    select st_asmvt(rows.*, '${layer.id}', ${TILE_EXTENT}, 'geom') as tile from rows where geom is not null`;
  const args: unknown[] = [countyCode, z, x, y];
  if (layer.geometryType !== 'point') args.push(simplifyTolerance(z));
  return { sql, args };
}

export async function queryTile(pool: Pool, layer: LayerDef, countyCode: string, z: number, x: number, y: number): Promise<Buffer> {
  if (z < layer.minzoom) return Buffer.alloc(0);
  const { sql, args } = tileQuery(layer, countyCode, z, x, y);
  const { rows } = await pool.query<{ tile: Buffer | null }>(sql, args);
  return rows[0]?.tile ?? Buffer.alloc(0);
}

export async function queryDataVersion(pool: Pool, countyCode: string): Promise<number> {
  const { rows } = await pool.query<{ version: number }>(
    'select version from data_versions where county_code = $1',
    [countyCode],
  );
  return rows[0]?.version ?? 0;
}
