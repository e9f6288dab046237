/**
 * The spatial layers gridlink publishes, as SQL fragments: one definition feeds both the OGC API
 * collections and the vector tiles. Only counts and names of places here — never a person.
 */
export type PropertyType = 'string' | 'integer' | 'number' | 'boolean';

export interface LayerProperty {
  sql: string;
  type: PropertyType;
}

export interface LayerDef {
  id: string;
  title: { zh: string; en: string };
  description: string;
  /** FROM clause; the main row is aliased t and has county_code, id, geom, geom_3857. */
  from: string;
  properties: Record<string, LayerProperty>;
  /** Tiles below this zoom are empty for the layer. */
  minzoom: number;
  geometryType: 'point' | 'polygon' | 'mixed';
  /** Served as an OGC API collection (the base map is tiles only). */
  ogc: boolean;
  /** Below this zoom a point layer's tiles carry square bins with a count instead of points. */
  binsBelowZoom?: number;
  /** Positions public to the heat cell only (public-position.ts): points at their cell's centre, bins no finer than a cell. */
  publicCells?: boolean;
  /** Changes with every report, not with a publish: never kept under the data version (not cached). */
  live?: boolean;
  /** Values of the placeholders $2… that `from` uses ($1 is the county code). */
  params?: unknown[];
  /** The row's time (SQL on t) that the OGC `datetime` parameter filters. */
  temporal?: string;
  /** The row's time (SQL on t) that a tile's `days` window filters. */
  windowColumn?: string;
  /** Tiles below `belowZoom` cover wide areas: fewer features and coarser outlines there (docs/scaling.md). */
  lowZoom?: LowZoom;
}

export interface LowZoom {
  belowZoom: number;
  /** Polygon simplification tolerance in pixels (half a pixel from `belowZoom` on). */
  simplifyPx?: number;
  /** SQL condition on `t`: only these features are drawn below `belowZoom`. */
  where?: string;
  /**
   * Point layers whose FROM is a single relation `t`: one feature per square cell of `cellPx` pixels, the one
   * with the highest `rank` (SQL on `t`). Cells are aligned with the tile grid, so neighbours agree.
   */
  thin?: { cellPx: number; rank: string };
  /** A time column of t: tiles may be limited to its last N days (`?days=N`, the wall's rolling window). */
  windowColumn?: string;
}

const str = (sql: string): LayerProperty => ({ sql, type: 'string' });
const int = (sql: string): LayerProperty => ({ sql, type: 'integer' });
/** Text properties named like their column of `t`. */
const columnsOfT = (...columns: string[]): Record<string, LayerProperty> =>
  Object.fromEntries(columns.map((c) => [c, str(`t.${c}`)]));

/** One label point per polygon of `table` (tiles only): see migration 003_label_points.sql. */
function labelPoints(
  id: string,
  table: string,
  title: LayerDef['title'],
  columns: string[],
  minzoom: number,
  lowZoom?: LowZoom,
): LayerDef {
  return {
    id,
    title,
    description: `label points of ${table}, one inside each polygon`,
    // `size` ranks the labels kept when a wide view thins them: the larger place keeps its label.
    from: `(select county_code, ${columns.join(', ')}, label_3857 as geom_3857, st_transform(label_3857, 4326) as geom,
                   st_area(geom) as size
            from ${table}) t`,
    properties: columnsOfT(...columns),
    minzoom,
    lowZoom,
    geometryType: 'point',
    ogc: false,
  };
}

export const LAYERS: readonly LayerDef[] = [
  {
    id: 'basemap',
    title: { zh: '底图', en: 'Base map' },
    description: 'Roads, blocks, water, green and landmarks of the county town',
    from: 'basemap_features t',
    properties: columnsOfT('kind', 'class', 'name', 'name_en'),
    minzoom: 0,
    // A wide view keeps the main roads, water, green and the boundary; blocks and lanes from z12.
    lowZoom: {
      belowZoom: 12,
      simplifyPx: 1,
      where: `t.kind in ('boundary', 'water', 'green') or (t.kind = 'road' and t.class in ('primary', 'secondary'))`,
    },
    geometryType: 'mixed',
    ogc: false,
  },
  {
    id: 'streets',
    title: { zh: '街道（镇）', en: 'Streets and towns' },
    description: 'Street offices and towns (街道/乡镇)',
    from: 'streets t',
    properties: columnsOfT('id', 'code', 'name', 'name_en'),
    minzoom: 0,
    geometryType: 'polygon',
    ogc: true,
  },
  {
    id: 'communities',
    title: { zh: '社区', en: 'Communities' },
    description: 'Communities (社区) with their households',
    // Totals of the rows read, by key (lateral), not the community_totals view's sums over every building.
    from: `communities t cross join lateral (
             select (select count(*) from grids g where g.county_code = t.county_code and g.community_id = t.id)::integer as grids,
                    coalesce(sum(b.households), 0)::integer as households
             from grids g join buildings b on b.county_code = g.county_code and b.grid_id = g.id
             where g.county_code = t.county_code and g.community_id = t.id) s`,
    properties: {
      ...columnsOfT('id', 'code', 'name', 'name_en', 'street_id'),
      households: int('s.households'),
      grids: int('s.grids'),
    },
    minzoom: 0,
    lowZoom: { belowZoom: 12, simplifyPx: 2 },
    geometryType: 'polygon',
    ogc: true,
  },
  {
    id: 'grids',
    title: { zh: '网格', en: 'Grids' },
    description: "Governance grids (网格), each within the county's household bounds (GET /api/county)",
    // As grid_totals, for the rows read only (a view with GROUP BY would sum every building first).
    from: `grids t cross join lateral (
             select coalesce(sum(b.households), 0)::integer as households, coalesce(sum(b.population), 0)::integer as population
             from buildings b where b.county_code = t.county_code and b.grid_id = t.id) s`,
    properties: {
      ...columnsOfT('id', 'code', 'name', 'name_en', 'community_id'),
      households: int('s.households'),
      population: int('s.population'),
    },
    // Below z10 a view spans dozens of towns: the community outlines draw the structure there.
    minzoom: 10,
    lowZoom: { belowZoom: 12, simplifyPx: 2 },
    geometryType: 'polygon',
    ogc: true,
  },
  {
    id: 'compounds',
    title: { zh: '小区', en: 'Residential compounds' },
    description: 'Residential compounds (小区) by type',
    from: 'compounds t',
    properties: {
      ...columnsOfT('id', 'name', 'name_en', 'type'),
      households: int('t.households'),
      population: int('t.population'),
      ...columnsOfT('community_id', 'grid_id'),
    },
    // A compound is a few pixels below z11; the town's compounds at their usual zooms (z12 on) unchanged
    // but for a coarser outline at z11–12.
    minzoom: 11,
    lowZoom: { belowZoom: 13, simplifyPx: 2 },
    geometryType: 'polygon',
    ogc: true,
  },
  {
    id: 'buildings',
    title: { zh: '楼栋', en: 'Buildings' },
    description: 'Residential buildings (楼栋) with households',
    from: 'buildings t',
    properties: {
      ...columnsOfT('id', 'name', 'compound_id', 'grid_id'),
      households: int('t.households'),
      floors: int('t.floors'),
    },
    minzoom: 14,
    geometryType: 'polygon',
    ogc: true,
  },
  {
    id: 'stations',
    title: { zh: '党群服务阵地', en: 'Service stations' },
    description: 'Party–mass service posts: micro living rooms, street-side posts, grid service centres',
    from: 'stations t',
    properties: {
      ...columnsOfT('id', 'name', 'name_en', 'kind', 'community_id', 'grid_id'),
      // What the post offers, comma-separated (tiles carry no arrays); shared/api/stations.ts splits it.
      facilities: str(`array_to_string(t.facilities, ',')`),
    },
    // Drawn from /api/stations by the client; the tiles carry the station labels of the style (z15.5 on).
    minzoom: 14,
    geometryType: 'point',
    ogc: true,
  },
  {
    id: 'issues',
    title: { zh: '问题分布', en: 'Issues' },
    description:
      'Reported issues: counts in square bins below zoom 15, points with their category from zoom 15, both no finer than the ≈120 m heat cell; never a person',
    from: `(select county_code, id, category_id, created_at, location as geom, st_transform(location, 3857) as geom_3857
            from issues where state not in ('void', 'duplicate')) t`,
    properties: { category_id: str('t.category_id'), count: int('1') },
    minzoom: 0,
    geometryType: 'point',
    ogc: false,
    binsBelowZoom: 15,
    publicCells: true,
    live: true,
    windowColumn: 't.created_at',
  },
  // The style draws grid labels from z13 (the tiles start a zoom lower for other clients) and compound labels
  // from z15; community labels at every zoom, the largest community of each 128-pixel cell below z12.
  labelPoints(
    'community_labels',
    'communities',
    { zh: '社区注记', en: 'Community labels' },
    ['id', 'name', 'name_en'],
    0,
    {
      belowZoom: 12,
      thin: { cellPx: 128, rank: 't.size' },
    },
  ),
  labelPoints(
    'grid_labels',
    'grids',
    { zh: '网格注记', en: 'Grid labels' },
    ['id', 'code', 'name', 'name_en', 'community_id'],
    12,
  ),
  labelPoints(
    'compound_labels',
    'compounds',
    { zh: '小区注记', en: 'Compound labels' },
    ['id', 'name', 'name_en', 'type'],
    15,
  ),
];

export function findLayer(id: string): LayerDef | undefined {
  return LAYERS.find((l) => l.id === id);
}
