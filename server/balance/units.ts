// Input validation and the unit-level model: ids, weights, groups, parents, projected shapes, adjacency.
import { buildAdjacency } from './adjacency';
import type { ResolvedOptions } from './defaults';
import { createProjection, projectShape, type PlanarShape } from './geometry';
import type { PlanarGraph } from './graph';
import type { BalanceUnit } from './types';

/** Bad input: names the unit (feature id) and the field at fault. */
export class BalanceInputError extends Error {
  override readonly name = 'BalanceInputError';
  constructor(message: string, readonly unitId?: string, readonly field?: string) {
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
  shapes: PlanarShape[];
  planar: PlanarGraph;
}

export function validateOptions(options: ResolvedOptions): void {
  const { min, max, gap, parentGap } = options;
  if (!Number.isFinite(min) || min < 0) throw new BalanceInputError(`balance: option min must be a finite number ≥ 0, got ${min}`, undefined, 'min');
  if (!Number.isFinite(max) || max <= 0 || max < min) throw new BalanceInputError(`balance: option max must be a finite number > 0 and ≥ min (${min}), got ${max}`, undefined, 'max');
  if (!Number.isFinite(gap) || gap < 0) throw new BalanceInputError(`balance: option gap must be a finite number of metres ≥ 0, got ${gap}`, undefined, 'gap');
  if (!Number.isFinite(parentGap) || parentGap < 0) throw new BalanceInputError(`balance: option parentGap must be a finite number of metres ≥ 0, got ${parentGap}`, undefined, 'parentGap');
}

function validateUnit(unit: BalanceUnit, position: number): void {
  const name = `unit ${position} (id ${JSON.stringify(unit?.id)})`;
  if (typeof unit?.id !== 'string' || unit.id === '') throw new BalanceInputError(`balance: ${name}: id must be a non-empty string`, undefined, 'id');
  if (typeof unit.weight !== 'number' || !Number.isFinite(unit.weight) || unit.weight < 0) {
    throw new BalanceInputError(`balance: ${name}: weight must be a finite number ≥ 0, got ${JSON.stringify(unit.weight)}`, unit.id, 'weight');
  }
  const geometry = unit.geometry;
  if (!geometry || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon')) {
    throw new BalanceInputError(`balance: ${name}: geometry must be a Polygon or MultiPolygon, got ${geometry ? (geometry as { type: string }).type : 'none'}`, unit.id, 'geometry');
  }
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  if (!Array.isArray(polygons) || polygons.length === 0) throw new BalanceInputError(`balance: ${name}: geometry has no polygon`, unit.id, 'geometry');
  for (const polygon of polygons) {
    if (!Array.isArray(polygon) || polygon.length === 0 || !Array.isArray(polygon[0]) || polygon[0].length < 4) {
      throw new BalanceInputError(`balance: ${name}: every polygon needs an outer ring of at least 4 positions`, unit.id, 'geometry');
    }
    for (const ring of polygon) {
      for (const position of ring) {
        if (!Array.isArray(position) || !Number.isFinite(position[0]) || !Number.isFinite(position[1])) {
          throw new BalanceInputError(`balance: ${name}: geometry has a position that is not two finite numbers`, unit.id, 'geometry');
        }
      }
    }
  }
  for (const field of ['group', 'parent'] as const) {
    const value = unit[field];
    if (value !== undefined && value !== null && typeof value !== 'string') {
      throw new BalanceInputError(`balance: ${name}: ${field} must be a string or null, got ${JSON.stringify(value)}`, unit.id, field);
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
    if (indexOf.has(unit.id)) throw new BalanceInputError(`balance: unit ${position}: id ${JSON.stringify(unit.id)} is used twice`, unit.id, 'id');
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
          `balance: unit ${v} (id ${JSON.stringify(unit.id)}): parent ${JSON.stringify(unit.parent)} has units in groups ${JSON.stringify(groupNames[parentGroup[parent[v]]])} and ${JSON.stringify(groupName)}; a parent must lie in one group`,
          unit.id,
          'parent',
        );
      }
    }
  });

  const projection = createProjection(units.map((unit) => unit.geometry));
  const shapes = units.map((unit) => projectShape(unit.geometry, projection));
  const graph = buildAdjacency(shapes, { gap: options.gap, parentGap: options.parentGap, parentOf: parent, onProgress });
  return {
    ids: units.map((unit) => unit.id),
    indexOf,
    groupNames,
    parentNames,
    parent,
    shapes,
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
