import { describe, expect, it } from 'vitest';
import type { Feature, Geometry } from 'geojson';
import { extractRows, guessMapping, listFields } from '../../server/plans/import-mapping.ts';

const feature = (properties: Record<string, unknown>): Feature<Geometry | null, Record<string, unknown>> => ({
  type: 'Feature',
  geometry: null,
  properties,
});

describe('mapping an imported file onto an assignment', () => {
  it('lists fields with their value types and guesses the usual names', () => {
    const features = [
      feature({ UNIT_ID: 'C001', grid: 'G001', households: 40 }),
      feature({ UNIT_ID: 'C002', grid: null, households: 3.5 }),
    ];
    const fields = listFields(features);
    expect(fields).toEqual([
      { name: 'UNIT_ID', types: ['string'] },
      { name: 'grid', types: ['null', 'string'] },
      { name: 'households', types: ['integer', 'number'] },
    ]);
    expect(guessMapping(fields)).toEqual({ unitField: 'UNIT_ID', labelField: 'grid', householdsField: 'households' });
  });

  it('reads ids and labels, integer ids as text, empty labels as no grid, and lists wrong types by row', () => {
    const features = [
      feature({ id: 'C001', label: 'G001', hh: 40 }),
      feature({ id: 17, label: '', hh: null }),
      feature({ id: 'C003', label: 'G 1', hh: 1 }),
      feature({ id: 'C004', label: 'G002', hh: -2 }),
      feature({ id: 'C001', label: 'G003', hh: 1 }),
    ];
    const { rows, problems } = extractRows(features, listFields(features), {
      unitField: 'id',
      labelField: 'label',
      householdsField: 'hh',
    });
    expect(rows.map((r) => [r.unitId, r.gridLabel, r.households])).toEqual([
      ['C001', 'G001', 40],
      ['17', null, null],
      ['C001', 'G003', 1],
    ]);
    expect(problems.typeErrors.map((e) => [e.row, e.field])).toEqual([
      [3, 'label'],
      [4, 'hh'],
    ]);
    expect(problems.duplicates).toEqual(['C001']);
  });

  it('names the fields still to be mapped, and reads nothing until they are', () => {
    const features = [feature({ a: 'C001' })];
    const { rows, problems } = extractRows(features, listFields(features), {
      unitField: 'a',
      labelField: null,
      householdsField: 'nope',
    });
    expect(problems.missingFields).toEqual(['labelField', 'householdsField']);
    expect(rows).toEqual([]);
  });
});
