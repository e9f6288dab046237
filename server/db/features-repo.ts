import type { Pool } from '../postgres/pool.ts';
import type { LayerDef } from './layers.ts';

/** [minLon, minLat, maxLon, maxLat] in WGS84. */
export type BBox = [number, number, number, number];

export interface ItemsQuery {
  bbox?: BBox;
  limit: number;
  offset: number;
  /** property name → value, compared as text */
  equals: Record<string, string>;
  /** OGC `datetime`: from (inclusive) and to (inclusive), either open (null). */
  datetime?: [Date | null, Date | null];
}

export interface ItemsPage {
  /** JSON text of the features array, built by PostGIS. */
  featuresJson: string;
  numberMatched: number;
  numberReturned: number;
}

function featureSql(layer: LayerDef): string {
  const props = Object.entries(layer.properties)
    .map(([name, p]) => `'${name}', ${p.sql}`)
    .join(', ');
  return `json_build_object('type', 'Feature', 'id', t.id,
    'geometry', st_asgeojson(t.geom, 7)::json, 'properties', json_build_object(${props}))`;
}

/** The county ($1), then the layer's own parameters ($2…). */
const baseArgs = (layer: LayerDef, countyCode: string): unknown[] => [countyCode, ...(layer.params ?? [])];

function whereSql(layer: LayerDef, countyCode: string, q: Pick<ItemsQuery, 'bbox' | 'equals' | 'datetime'>) {
  const args = baseArgs(layer, countyCode);
  const clauses = ['t.county_code = $1'];
  if (q.bbox) {
    const at = args.length;
    args.push(...q.bbox);
    const env = `st_makeenvelope($${at + 1}, $${at + 2}, $${at + 3}, $${at + 4}, 4326)`;
    clauses.push(`t.geom && ${env} and st_intersects(t.geom, ${env})`);
  }
  if (q.datetime && layer.temporal) {
    const [from, to] = q.datetime;
    if (from) clauses.push(`${layer.temporal} >= $${args.push(from)}`);
    if (to) clauses.push(`${layer.temporal} <= $${args.push(to)}`);
  }
  for (const [name, value] of Object.entries(q.equals)) {
    args.push(value);
    clauses.push(`(${layer.properties[name].sql})::text = $${args.length}`);
  }
  return { where: clauses.join(' and '), args };
}

export async function queryItems(pool: Pool, layer: LayerDef, countyCode: string, q: ItemsQuery): Promise<ItemsPage> {
  const { where, args } = whereSql(layer, countyCode, q);
  const n = args.length;
  const sql = `
    with matched as (select count(*)::integer as n from ${layer.from} where ${where}),
    page as (
      select ${featureSql(layer)} as f from ${layer.from} where ${where}
      order by t.id limit $${n + 1} offset $${n + 2})
    select (select n from matched) as matched, (select count(*) from page)::integer as returned,
           coalesce((select json_agg(f) from page), '[]'::json)::text as features`;
  const { rows } = await pool.query<{ matched: number; returned: number; features: string }>(sql, [
    ...args,
    q.limit,
    q.offset,
  ]);
  return { featuresJson: rows[0].features, numberMatched: rows[0].matched, numberReturned: rows[0].returned };
}

/** JSON text of one feature, or undefined. */
export async function queryItem(
  pool: Pool,
  layer: LayerDef,
  countyCode: string,
  id: string,
): Promise<string | undefined> {
  const { rows } = await pool.query<{ f: string }>(
    `select ${featureSql(layer)}::text as f from ${layer.from} where t.county_code = $1 and t.id = $${baseArgs(layer, countyCode).length + 1}`,
    [...baseArgs(layer, countyCode), id],
  );
  return rows[0]?.f;
}

/** Bounding box of a layer's data, or undefined when it is empty. */
export async function queryExtent(pool: Pool, layer: LayerDef, countyCode: string): Promise<BBox | undefined> {
  const { rows } = await pool.query<{ xmin: number | null; ymin: number; xmax: number; ymax: number }>(
    `select st_xmin(e) as xmin, st_ymin(e) as ymin, st_xmax(e) as xmax, st_ymax(e) as ymax
     from (select st_extent(t.geom) as e from ${layer.from} where t.county_code = $1) x`,
    baseArgs(layer, countyCode),
  );
  const r = rows[0];
  return r.xmin === null ? undefined : [r.xmin, r.ymin, r.xmax, r.ymax];
}
