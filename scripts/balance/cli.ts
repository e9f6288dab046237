// npm run balance -- --in units.geojson --weight households [--group community_id] [--parent compound_id]
//   [--parents compounds.geojson [--parent-id id]] [--min 300] [--max 500] [--gap M] [--assignment current.geojson]
//   [--out plan.geojson] [--seed N] [--time-budget MS]
//
// --parents gives the outlines of the parents (compounds): features whose --parent-id property (default: the feature
// id, then property "id") equals the units' --parent value. A parent of several units is partitioned among them
// into cells that tile its outline (adjacency is measured between cells: building footprints stand inside the
// compound wall); a parent without an outline there gets the convex hull of its units grown by 5 m.
//
// Reads a GeoJSON FeatureCollection of polygons, balances them into grids and writes the features with a `grid`
// property (to --out, or to stdout when --out is absent). Progress goes to stderr; the last stdout line is one JSON
// object: {"grids","valid","violations","minWeight","maxWeight","meanPolsbyPopper","splitParents","householdsMoved","seconds"}.
// Exit codes: 0 valid plan, 2 the rules cannot be met (reasons listed), 1 bad input, 70 an internal error
// (a bug of the engine, not of the input: its stack on stderr).
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import {
  balance,
  BalanceInputError,
  BALANCE_DEFAULTS,
  type BalanceProgress,
  type BalanceUnit,
} from '../../server/balance/index';

class InputError extends Error {}

const USAGE =
  'usage: npm run balance -- --in units.geojson --weight PROPERTY [--group PROPERTY] [--parent PROPERTY] ' +
  '[--parents parents.geojson [--parent-id PROPERTY]] ' +
  '[--min 300] [--max 500] [--gap METRES] [--assignment current.geojson] [--out plan.geojson] [--seed N] [--time-budget MS]\n' +
  '  --parents: outlines of the parents (e.g. compounds), matched to --parent by --parent-id (default: feature id, then "id");\n' +
  '  the units of a parent get cells tiling its outline; without --parents, the hull of its units grown by 5 m.';

function readCollection(file: string, role: string): FeatureCollection {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read ${role} file ${file}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${role} file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (
    !data ||
    typeof data !== 'object' ||
    (data as { type?: unknown }).type !== 'FeatureCollection' ||
    !Array.isArray((data as { features?: unknown }).features)
  ) {
    throw new InputError(`${role} file ${file} is not a GeoJSON FeatureCollection`);
  }
  return data as FeatureCollection;
}

function numberOption(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed))
    throw new InputError(`--${name} must be a number, got ${JSON.stringify(value)}`);
  return parsed;
}

const describe = (feature: Feature, index: number): string =>
  feature.id !== undefined ? `feature ${index} (id ${JSON.stringify(feature.id)})` : `feature ${index}`;

function categorical(feature: Feature, index: number, property: string | undefined): string | null {
  if (!property) return null;
  const value = feature.properties?.[property];
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new InputError(
      `${describe(feature, index)}: property ${JSON.stringify(property)} must be a string or number, got ${JSON.stringify(value)}`,
    );
  }
  return String(value);
}

/** Unit ids: the features' ids when all are present and distinct, else their positions. */
function unitIds(features: Feature[]): string[] {
  const ids = features.map((feature) => (feature.id === undefined || feature.id === null ? null : String(feature.id)));
  if (ids.every((id) => id !== null) && new Set(ids).size === ids.length) return ids as string[];
  return features.map((_, index) => String(index));
}

function toUnits(
  collection: FeatureCollection,
  args: { weight: string; group?: string; parent?: string },
): BalanceUnit[] {
  const ids = unitIds(collection.features);
  return collection.features.map((feature, index) => {
    const name = describe(feature, index);
    if (!feature || feature.type !== 'Feature') throw new InputError(`${name}: not a GeoJSON Feature`);
    const geometry = feature.geometry;
    if (!geometry || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon')) {
      throw new InputError(
        `${name}: geometry must be a Polygon or MultiPolygon, got ${geometry ? geometry.type : 'null'}`,
      );
    }
    const raw = feature.properties?.[args.weight];
    const weight = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    if (raw === undefined || raw === null)
      throw new InputError(`${name}: property ${JSON.stringify(args.weight)} (the weight) is missing`);
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) {
      throw new InputError(
        `${name}: property ${JSON.stringify(args.weight)} (the weight) must be a finite number ≥ 0, got ${JSON.stringify(raw)}`,
      );
    }
    return {
      id: ids[index],
      geometry: geometry as Polygon | MultiPolygon,
      weight,
      group: categorical(feature, index, args.group),
      parent: categorical(feature, index, args.parent),
    };
  });
}

/** Parent outlines by id: --parent-id property, else the feature id, else property "id". */
function readParents(file: string, idProperty: string | undefined): Record<string, Polygon | MultiPolygon> {
  const collection = readCollection(file, 'parents');
  const parents: Record<string, Polygon | MultiPolygon> = {};
  collection.features.forEach((feature, index) => {
    const name = `parents ${describe(feature, index)}`;
    const raw = idProperty ? feature.properties?.[idProperty] : (feature.id ?? feature.properties?.id);
    if (raw === undefined || raw === null || raw === '' || (typeof raw !== 'string' && typeof raw !== 'number')) {
      throw new InputError(
        `${name}: ${idProperty ? `property ${JSON.stringify(idProperty)}` : 'id (feature id or property "id")'} must be a string or number, ` +
          `got ${JSON.stringify(raw)}`,
      );
    }
    const geometry = feature.geometry;
    if (!geometry || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon')) {
      throw new InputError(
        `${name}: geometry must be a Polygon or MultiPolygon, got ${geometry ? geometry.type : 'null'}`,
      );
    }
    parents[String(raw)] = geometry;
  });
  return parents;
}

function readAssignment(
  file: string,
  units: BalanceUnit[],
  collection: FeatureCollection,
): Record<string, string | null> {
  const current = readCollection(file, 'assignment');
  const currentIds = unitIds(current.features);
  const known = new Set(units.map((unit) => unit.id));
  const byId = currentIds.every((id) => known.has(id)) && current.features.some((feature) => feature.id !== undefined);
  if (!byId && current.features.length !== collection.features.length) {
    throw new InputError(
      `assignment file ${file} has ${current.features.length} features and no matching ids; the input has ${collection.features.length}`,
    );
  }
  const assignment: Record<string, string | null> = {};
  current.features.forEach((feature, index) => {
    const grid = feature.properties?.grid;
    if (grid !== undefined && grid !== null && typeof grid !== 'string' && typeof grid !== 'number') {
      throw new InputError(
        `assignment ${describe(feature, index)}: property "grid" must be a string, a number or null, got ${JSON.stringify(grid)}`,
      );
    }
    const id = byId ? currentIds[index] : units[index].id;
    assignment[id] = grid === undefined || grid === null || grid === '' ? null : String(grid);
  });
  return assignment;
}

const STRING_OPTIONS = [
  'in',
  'weight',
  'group',
  'parent',
  'parents',
  'parent-id',
  'min',
  'max',
  'gap',
  'assignment',
  'out',
  'seed',
  'time-budget',
] as const;
const stringOptions = Object.fromEntries(STRING_OPTIONS.map((name) => [name, { type: 'string' }])) as {
  [K in (typeof STRING_OPTIONS)[number]]: { type: 'string' };
};

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ options: { ...stringOptions, help: { type: 'boolean' } } }));
  } catch (error) {
    throw new InputError(`${(error as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    process.stderr.write(`${USAGE}\n`);
    return 0;
  }
  if (!values.in) throw new InputError(`--in is required\n${USAGE}`);
  if (!values.weight) throw new InputError(`--weight is required\n${USAGE}`);
  const collection = readCollection(values.in, 'input');
  const units = toUnits(collection, { weight: values.weight, group: values.group, parent: values.parent });
  const assignment = values.assignment ? readAssignment(values.assignment, units, collection) : undefined;
  if (values.parents && !values.parent)
    throw new InputError(`--parents needs --parent (the units' property naming their parent)\n${USAGE}`);
  const parents = values.parents ? readParents(values.parents, values['parent-id']) : undefined;
  const options = {
    min: numberOption(values.min, 'min', BALANCE_DEFAULTS.min),
    max: numberOption(values.max, 'max', BALANCE_DEFAULTS.max),
    gap: numberOption(values.gap, 'gap', BALANCE_DEFAULTS.gap),
    seed: numberOption(values.seed, 'seed', BALANCE_DEFAULTS.seed),
    assignment,
    parents,
  };
  const timeBudgetMs = numberOption(values['time-budget'], 'time-budget', BALANCE_DEFAULTS.timeBudgetMs);

  let lastPhase = '';
  let lastReport = 0;
  const onProgress = (progress: BalanceProgress): void => {
    const time = Date.now();
    if (progress.phase === lastPhase && time - lastReport < 500 && progress.done < progress.total) return;
    lastPhase = progress.phase;
    lastReport = time;
    process.stderr.write(`balance: ${progress.phase} ${progress.message}\n`);
  };
  let result;
  try {
    result = await balance(units, options, { onProgress, timeBudgetMs });
  } catch (error) {
    if (error instanceof BalanceInputError) {
      // Unit positions are feature positions.
      throw new InputError(
        error.message.replace(/^balance: unit (\d+)/, (_, index: string) =>
          describe(collection.features[Number(index)], Number(index)),
        ),
      );
    }
    throw error;
  }
  for (const notice of result.notices) process.stderr.write(`balance: note: ${notice}\n`);
  for (const violation of result.violations) process.stderr.write(`balance: violation: ${violation.message}\n`);

  const features = collection.features.map((feature, index) => ({
    ...feature,
    properties: { ...(feature.properties ?? {}), grid: result.assignment[units[index].id] },
  }));
  const plan = JSON.stringify({ ...collection, features });
  if (values.out) writeFileSync(values.out, plan);
  else process.stdout.write(`${plan}\n`);
  const summary = {
    grids: result.grids.length,
    valid: result.valid,
    violations: result.violations,
    minWeight: result.minWeight,
    maxWeight: result.maxWeight,
    meanPolsbyPopper: result.meanPolsbyPopper,
    splitParents: result.splitParents,
    householdsMoved: result.householdsMoved,
    seconds: result.seconds,
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  return result.valid ? 0 : 2;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof InputError) {
      process.stderr.write(`balance: bad input: ${error.message}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`balance: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
      process.exitCode = 70;
    }
  },
);
