// Features and table rows of a county file as the rows staged for the report: our fields taken from the mapped
// columns, coordinates checked (finite, closed rings, lon/lat in range when staged as WGS84) and offsets converted.
import type { Feature, Geometry, Position } from 'geojson';
import type { PackageRole } from '../../shared/county-manifest.ts';
import type { Problem } from '../../shared/api/county-report.ts';
import type { CompoundType } from '../../shared/map/kinds.ts';
import type { LngLat } from '../plans/gcj02.ts';
import type { Table } from './csv.ts';
import { compoundTypeOf, householdsOf, type Field } from './columns.ts';
import { boxCentre, convertPoint, eachPosition, gcj02Twin, type CrsPlan } from './crs.ts';
import { problem } from './problems.ts';

export interface StageRow {
  role: PackageRole;
  seq: number;
  fid: string;
  name: string | null;
  community: string | null;
  /** The grid a row names (people). */
  grid: string | null;
  /** NaN when the cell holds no number; `householdsText` keeps what it held. */
  households: number | null;
  householdsText: string | null;
  type: CompoundType | null;
  /** Coordinates in `srid` (converted from GCJ-02/BD-09 already); null when the row has none usable. */
  geometry: Geometry | null;
  srid: number;
  /** For the offset hint: the box centre as read and its GCJ-02-converted twin (WGS84 inside China only). */
  point: LngLat | null;
  twin: LngLat | null;
}

type Fields = Partial<Record<Field, string>>;
const text = (v: unknown) => (v === null || v === undefined || String(v).trim() === '' ? null : String(v).trim());

/** Why a geometry cannot be staged at all (PostGIS would refuse to build it), or null. */
function malformed(geometry: Geometry, wgs84: boolean): string | null {
  let bad: string | null = null;
  eachPosition(geometry, (p) => {
    if (!Number.isFinite(p[0]) || !Number.isFinite(p[1])) bad ??= 'a coordinate is not a number';
    else if (wgs84 && (Math.abs(p[0]) > 180 || Math.abs(p[1]) > 90)) bad ??= 'out_of_range';
  });
  const rings = (r: Position[][]) =>
    r.some((ring) => ring.length < 4 || ring[0][0] !== ring.at(-1)![0] || ring[0][1] !== ring.at(-1)![1]);
  if (!bad && geometry.type === 'Polygon' && rings(geometry.coordinates)) bad = 'a ring is not closed or too short';
  if (!bad && geometry.type === 'MultiPolygon' && geometry.coordinates.some(rings))
    bad = 'a ring is not closed or too short';
  return bad;
}

interface Collected {
  rows: StageRow[];
  problems: Problem[];
}

function collector(role: PackageRole, plan: CrsPlan, named: boolean) {
  const rows: StageRow[] = [];
  const problems: Problem[] = [];
  const unknownTypes = new Map<string, number>();
  let outOfRange = 0;
  const add = (row: Omit<StageRow, 'point' | 'twin' | 'srid' | 'type'>, word: string | null) => {
    let geometry = row.geometry;
    const why = geometry && malformed(geometry, plan.srid === 4326);
    if (why === 'out_of_range') outOfRange++;
    else if (why)
      problems.push(
        problem('geometry_malformed', 'block', { layer: role, id: row.fid, name: row.name }, { message: why }),
      );
    if (why) geometry = null;
    const type = word === null ? null : compoundTypeOf(word);
    if (word !== null && type === null && role === 'compounds')
      unknownTypes.set(word, (unknownTypes.get(word) ?? 0) + 1);
    const point = geometry && plan.srid === 4326 ? boxCentre(geometry) : null;
    rows.push({ ...row, geometry, type, srid: plan.srid, point, twin: gcj02Twin(point, plan, named) });
  };
  const done = (): Collected => {
    if (outOfRange) problems.push(problem('coordinates_out_of_range', 'block', { layer: role }, { count: outOfRange }));
    if (unknownTypes.size)
      problems.push(
        problem(
          'types_unknown',
          'warn',
          { layer: role },
          {
            words: [...unknownTypes.keys()].slice(0, 20).join('、'),
            count: [...unknownTypes.values()].reduce((a, b) => a + b, 0),
          },
        ),
      );
    return { rows, problems };
  };
  return { add, done };
}

export function layerRows(
  role: PackageRole,
  features: Feature<Geometry | null, Record<string, unknown>>[],
  fields: Fields,
  plan: CrsPlan,
  named: boolean,
  seq: { next: number },
): Collected {
  const { add, done } = collector(role, plan, named);
  const at = (f: Feature<Geometry | null, Record<string, unknown>>, field: Field) =>
    fields[field] === undefined ? null : f.properties[fields[field]];
  features.forEach((f, i) => {
    const households = at(f, 'households');
    add(
      {
        role,
        seq: seq.next++,
        fid: text(at(f, 'id')) ?? text(f.id) ?? String(i + 1),
        name: text(at(f, 'name')),
        community: text(at(f, 'community')),
        grid: text(at(f, 'grid')),
        households: householdsOf(households),
        householdsText: text(households),
        geometry: f.geometry,
      },
      text(at(f, 'type')),
    );
  });
  return done();
}

export function tableRows(
  role: PackageRole,
  table: Table,
  fields: Fields,
  plan: CrsPlan,
  seq: { next: number },
): Collected {
  const { add, done } = collector(role, plan, plan.offset !== null || plan.srid !== 4326);
  const missing: Problem[] = [];
  const spatial = role === 'compounds' || role === 'buildings' || role === 'stations';
  const column = (field: Field) => (fields[field] === undefined ? -1 : table.header.indexOf(fields[field]));
  const idx = Object.fromEntries(
    (['id', 'name', 'community', 'grid', 'households', 'type', 'lon', 'lat'] as const).map((f) => [f, column(f)]),
  ) as Record<Field, number>;
  const cell = (row: string[], field: Field) => (idx[field] < 0 ? null : text(row[idx[field]]));
  table.rows.forEach((row, i) => {
    const lon = cell(row, 'lon');
    const lat = cell(row, 'lat');
    const x = Number(lon);
    const y = Number(lat);
    const geometry: Geometry | null =
      lon !== null && lat !== null && Number.isFinite(x) && Number.isFinite(y)
        ? { type: 'Point', coordinates: plan.srid === 4326 ? convertPoint([x, y], plan.offset) : [x, y] }
        : null;
    const where = { layer: role, id: cell(row, 'id') ?? String(i + 2), name: cell(row, 'name') };
    if (!geometry && spatial)
      missing.push(problem('coordinates_missing', 'block', where, { lon: lon ?? '', lat: lat ?? '' }));
    add(
      {
        role,
        seq: seq.next++,
        fid: where.id,
        name: where.name,
        community: cell(row, 'community'),
        grid: cell(row, 'grid'),
        households: householdsOf(cell(row, 'households')),
        householdsText: cell(row, 'households'),
        geometry,
      },
      cell(row, 'type'),
    );
  });
  const result = done();
  return { rows: result.rows, problems: [...missing, ...result.problems] };
}
