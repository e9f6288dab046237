// The attributes of an imported file mapped onto an assignment: which field is the unit id, which the grid label,
// which the households. Values of the wrong type are listed row by row, never guessed at.
import type { Feature, Geometry } from 'geojson';
import type { ImportedRow } from '../db/plan-files-repo.ts';

export interface FieldMapping {
  unitField: string | null;
  labelField: string | null;
  householdsField: string | null;
}

export interface FieldInfo {
  name: string;
  /** The JSON types its values have ('string', 'integer', 'number', 'boolean', 'null'). */
  types: string[];
}

export interface MappingProblems {
  missingFields: string[];
  typeErrors: { row: number; field: string; value: unknown; message: string }[];
  duplicates: string[];
}

const LABEL = /^[A-Za-z0-9_-]{1,32}$/;
const UNIT = /^[A-Za-z0-9_-]{1,40}$/;
const GUESSES: Record<keyof FieldMapping, string[]> = {
  unitField: ['unit_id', 'unitid', 'unit', 'id', 'compound_id'],
  labelField: ['grid_label', 'grid_id', 'grid', 'label'],
  householdsField: ['households', 'household', 'hh', '户数'],
};

function typeOf(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

export function listFields(features: Feature<Geometry | null, Record<string, unknown>>[]): FieldInfo[] {
  const types = new Map<string, Set<string>>();
  for (const f of features)
    for (const [key, value] of Object.entries(f.properties))
      (types.get(key) ?? types.set(key, new Set()).get(key)!).add(typeOf(value));
  return [...types].map(([name, set]) => ({ name, types: [...set].sort() }));
}

export function guessMapping(fields: FieldInfo[]): FieldMapping {
  const pick = (names: string[]) =>
    names.map((n) => fields.find((f) => f.name.toLowerCase() === n)?.name).find(Boolean) ?? null;
  return {
    unitField: pick(GUESSES.unitField),
    labelField: pick(GUESSES.labelField),
    householdsField: pick(GUESSES.householdsField),
  };
}

export function extractRows(
  features: Feature<Geometry | null, Record<string, unknown>>[],
  fields: FieldInfo[],
  mapping: FieldMapping,
): { fields: FieldInfo[]; rows: ImportedRow[]; problems: MappingProblems } {
  const names = new Set(fields.map((f) => f.name));
  const missingFields = (['unitField', 'labelField'] as const)
    .filter((k) => !mapping[k] || !names.has(mapping[k]!))
    .map(String);
  if (mapping.householdsField && !names.has(mapping.householdsField)) missingFields.push('householdsField');
  const problems: MappingProblems = { missingFields, typeErrors: [], duplicates: [] };
  if (missingFields.length) return { fields, rows: [], problems };
  const rows: ImportedRow[] = [];
  const seen = new Set<string>();
  features.forEach((f, index) => {
    const row = index + 1;
    const error = (field: string, value: unknown, message: string) =>
      problems.typeErrors.push({ row, field, value, message });
    const rawId = f.properties[mapping.unitField!];
    const unitId = typeof rawId === 'number' && Number.isInteger(rawId) ? String(rawId) : rawId;
    if (typeof unitId !== 'string' || !UNIT.test(unitId))
      return error(mapping.unitField!, rawId, 'a unit id is 1–40 letters, digits, "_" or "-"');
    const rawLabel = f.properties[mapping.labelField!];
    const label =
      rawLabel === null || rawLabel === undefined || rawLabel === ''
        ? null
        : typeof rawLabel === 'number'
          ? String(rawLabel)
          : rawLabel;
    if (label !== null && (typeof label !== 'string' || !LABEL.test(label)))
      return error(
        mapping.labelField!,
        rawLabel,
        'a grid label is 1–32 letters, digits, "_" or "-" (or empty: no grid)',
      );
    let households: number | null = null;
    if (mapping.householdsField) {
      const raw = f.properties[mapping.householdsField];
      if (raw !== null && raw !== undefined) {
        if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 0)
          return error(mapping.householdsField, raw, 'households is a whole number ≥ 0');
        households = raw;
      }
    }
    if (seen.has(unitId)) problems.duplicates.push(unitId);
    seen.add(unitId);
    rows.push({ unitId, gridLabel: label, households, geometry: f.geometry ? JSON.stringify(f.geometry) : null });
  });
  return { fields, rows, problems };
}
