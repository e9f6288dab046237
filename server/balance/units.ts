// Input validation and the unit-level model: ids, weights, groups, parents, projected footprints and cells, adjacency.
import type { MultiPolygon, Polygon } from 'geojson';
import { buildAdjacency } from './adjacency';
import { derivedOutline, parentCells, type PlanarPolygons } from './cells';
import type { ResolvedOptions } from './defaults';
import { createProjection, polygonsOf, projectShape, type PlanarShape, type Projection } from './geometry';
import type { PlanarGraph } from './graph';
import type { BalanceUnit } from './types';

/** Bad input: names the unit (feature id) and the field at fault. */
export class BalanceInputError extends Error {
  override readonly name = 'BalanceInputError';
  constructor(
    message: string,
    readonly unitId?: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export interface PreparedUnits {
  ids: string[];
  indexOf: Map<string, number>;
  groupNames: (string | null)[];
  parentNames: string[];
  /** Parent index per unit, −1 for none. */
  parent: Int32Array;
  /** Geometry for adjacency and compactness: the unit's cell when it belongs to a parent of several units
   * (or the parent's whole outline when given for a parent of one unit), else its footprint. */
  shapes: PlanarShape[];
  /** The units' own geometry, projected. */
  footprints: PlanarShape[];
  /** How each parent's cells were made: 'given' outline, 'derived' (hull of its units + 5 m), or 'none'. */
  parentOutline: ('given' | 'derived' | 'none')[];
  /** Parents some of whose footprints may stick out of their cells (polygon operations failed; rare). */
  parentsWithLooseCells: string[];
  planar: PlanarGraph;
}

export function validateOptions(options: ResolvedOptions): void {
  const { min, max, gap } = options;
  if (!Number.isFinite(min) || min < 0)
    throw new BalanceInputError(`balance: option min must be a finite number ≥ 0, got ${min}`, undefined, 'min');
  if (!Number.isFinite(max) || max <= 0 || max < min)
    throw new BalanceInputError(
      `balance: option max must be a finite number > 0 and ≥ min (${min}), got ${max}`,
      undefined,
      'max',
    );
  if (!Number.isFinite(gap) || gap < 0)
    throw new BalanceInputError(
      `balance: option gap must be a finite number of metres ≥ 0, got ${gap}`,
      undefined,
      'gap',
    );
  const parents = options.parents;
  if (parents !== undefined && (parents === null || typeof parents !== 'object' || Array.isArray(parents))) {
    throw new BalanceInputError(
      'balance: option parents must be an object of parent id → Polygon or MultiPolygon',
      undefined,
      'parents',
    );
  }
  for (const [id, geometry] of Object.entries(parents ?? {}))
    validateGeometry(geometry, `option parents: parent ${JSON.stringify(id)}`, undefined, 'parents');
}

function validateGeometry(
  geometry: Polygon | MultiPolygon | undefined,
  name: string,
  unitId: string | undefined,
  field: string,
): void {
  if (!geometry || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon')) {
    throw new BalanceInputError(
      `balance: ${name}: geometry must be a Polygon or MultiPolygon, got ${geometry ? (geometry as { type: string }).type : 'none'}`,
      unitId,
      field,
    );
  }
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  if (!Array.isArray(polygons) || polygons.length === 0)
    throw new BalanceInputError(`balance: ${name}: geometry has no polygon`, unitId, field);
  for (const polygon of polygons) {
    if (!Array.isArray(polygon) || polygon.length === 0 || !Array.isArray(polygon[0]) || polygon[0].length < 4) {
      throw new BalanceInputError(
        `balance: ${name}: every polygon needs an outer ring of at least 4 positions`,
        unitId,
        field,
      );
    }
    for (const ring of polygon) {
      for (const position of ring) {
        if (!Array.isArray(position) || !Number.isFinite(position[0]) || !Number.isFinite(position[1])) {
          throw new BalanceInputError(
            `balance: ${name}: geometry has a position that is not two finite numbers`,
            unitId,
            field,
          );
        }
      }
    }
  }
}

function validateUnit(unit: BalanceUnit, position: number): void {
  const name = `unit ${position} (id ${JSON.stringify(unit?.id)})`;
  if (typeof unit?.id !== 'string' || unit.id === '')
    throw new BalanceInputError(`balance: ${name}: id must be a non-empty string`, undefined, 'id');
  if (typeof unit.weight !== 'number' || !Number.isFinite(unit.weight) || unit.weight < 0) {
    throw new BalanceInputError(
      `balance: ${name}: weight must be a finite number ≥ 0, got ${JSON.stringify(unit.weight)}`,
      unit.id,
      'weight',
    );
  }
  validateGeometry(unit.geometry, name, unit.id, 'geometry');
  for (const field of ['group', 'parent'] as const) {
    const value = unit[field];
    if (value !== undefined && value !== null && typeof value !== 'string') {
      throw new BalanceInputError(
        `balance: ${name}: ${field} must be a string or null, got ${JSON.stringify(value)}`,
        unit.id,
        field,
      );
    }
  }
}

export function prepareUnits(
  units: readonly BalanceUnit[],
  options: ResolvedOptions,
  onProgress?: (done: number, total: number) => void,
): PreparedUnits {
  // Input validation
  if (!Array.isArray(units)) throw new BalanceInputError('balance: units must be an array');
  const indexOf = new Map<string, number>();
  units.forEach((unit, position) => {
    validateUnit(unit, position);
    if (indexOf.has(unit.id))
      throw new BalanceInputError(
        `balance: unit ${position}: id ${JSON.stringify(unit.id)} is used twice`,
        unit.id,
        'id',
      );
    indexOf.set(unit.id, position);
  });

  // Main
  const size = units.length;
  const groupIndex = new Map<string | null, number>();
  const groupNames: (string | null)[] = [];
  const parentIndex = new Map<string, number>();
  const parentNames: string[] = [];
  const parentGroup: number[] = [];
  const group = new Int32Array(size);
  const parent = new Int32Array(size).fill(-1);
  const weight = new Float64Array(size);
  units.forEach((unit, v) => {
    const groupName = unit.group ?? null;
    if (!groupIndex.has(groupName)) {
      groupIndex.set(groupName, groupNames.length);
      groupNames.push(groupName);
    }
    group[v] = groupIndex.get(groupName)!;
    weight[v] = unit.weight;
    if (unit.parent !== undefined && unit.parent !== null && unit.parent !== '') {
      if (!parentIndex.has(unit.parent)) {
        parentIndex.set(unit.parent, parentNames.length);
        parentNames.push(unit.parent);
        parentGroup.push(group[v]);
      }
      parent[v] = parentIndex.get(unit.parent)!;
      if (parentGroup[parent[v]] !== group[v]) {
        throw new BalanceInputError(
          `balance: unit ${v} (id ${JSON.stringify(unit.id)}): parent ${JSON.stringify(unit.parent)} has units ` +
            `in groups ${JSON.stringify(groupNames[parentGroup[parent[v]]])} and ${JSON.stringify(groupName)}; ` +
            'a parent must lie in one group',
          unit.id,
          'parent',
        );
      }
    }
  });

  const given = options.parents ?? {};
  const outlines = parentNames.map((name) =>
    Object.prototype.hasOwnProperty.call(given, name) ? given[name] : undefined,
  );
  const projection = createProjection([
    ...units.map((unit) => unit.geometry),
    ...outlines.filter((outline) => outline !== undefined),
  ]);
  const footprints = units.map((unit) => projectShape(unit.geometry, projection));
  const { shapes, tileOf, parentOutline, parentsWithLooseCells } = unitCells(
    units,
    footprints,
    parent,
    parentNames,
    outlines,
    projection,
  );
  const graph = buildAdjacency(shapes, { gap: options.gap, tileOf, onProgress });
  return {
    ids: units.map((unit) => unit.id),
    indexOf,
    groupNames,
    parentNames,
    parent,
    shapes,
    footprints,
    parentOutline,
    parentsWithLooseCells,
    planar: {
      graph,
      weight,
      area: Float64Array.from(shapes, (shape) => shape.area),
      perimeter: Float64Array.from(shapes, (shape) => shape.perimeter),
      centroidX: Float64Array.from(shapes, (shape) => shape.centroidX),
      centroidY: Float64Array.from(shapes, (shape) => shape.centroidY),
      group,
    },
  };
}

function projectPolygons(geometry: Polygon | MultiPolygon, projection: Projection): PlanarPolygons {
  return polygonsOf(geometry).map((polygon) =>
    polygon.map((ring) =>
      ring.map(([lon, lat]) => [
        (lon - projection.lon0) * projection.metresPerDegreeX,
        (lat - projection.lat0) * projection.metresPerDegreeY,
      ]),
    ),
  );
}

/**
 * The geometry each unit is measured by. A parent of several units is partitioned among them (cells.ts): its
 * given outline, or else the convex hull of its units grown by 5 m. A parent of one unit with a given outline
 * takes the outline. Cells of a parent with a one-part outline form a tiling: they are adjacent where they touch.
 */
function unitCells(
  units: readonly BalanceUnit[],
  footprints: PlanarShape[],
  parent: Int32Array,
  parentNames: string[],
  outlines: (Polygon | MultiPolygon | undefined)[],
  projection: Projection,
): {
  shapes: PlanarShape[];
  tileOf: Int32Array;
  parentOutline: ('given' | 'derived' | 'none')[];
  parentsWithLooseCells: string[];
} {
  const shapes = footprints.slice();
  const tileOf = new Int32Array(footprints.length).fill(-1);
  const members: number[][] = parentNames.map(() => []);
  parent.forEach((p, u) => {
    if (p >= 0) members[p].push(u);
  });
  const parentOutline: ('given' | 'derived' | 'none')[] = parentNames.map(() => 'none');
  const parentsWithLooseCells: string[] = [];
  members.forEach((list, p) => {
    const outline = outlines[p];
    if (!outline && list.length < 2) return;
    const polygons = outline ? projectPolygons(outline, projection) : derivedOutline(list.map((u) => footprints[u]));
    parentOutline[p] = outline ? 'given' : 'derived';
    const { cells, containsFootprints } = parentCells(
      list.map((u) => footprints[u]),
      polygons,
      list.map((u) => projectPolygons(units[u].geometry, projection)),
    );
    if (!containsFootprints) parentsWithLooseCells.push(parentNames[p]);
    list.forEach((u, i) => {
      shapes[u] = cells[i];
      if (polygons.length === 1 && cells[i] !== footprints[u]) tileOf[u] = p;
    });
  });
  return { shapes, tileOf, parentOutline, parentsWithLooseCells };
}
