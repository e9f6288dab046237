// Fixture in/out pairs (Turf style): every tests/fixtures/balance/in/*.geojson is balanced and compared with
// out/ of the same name. REGEN=1 rewrites the outputs; they are coloured by grid, to be opened and looked at.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FeatureCollection } from 'geojson';
import { describe, expect, test } from 'vitest';
import { balance, type BalanceOptions, type BalanceResult } from '../../../server/balance/index';
import { expectHonest, repoRoot, unitsFromCollection } from './helpers';

const fixtures = path.join(repoRoot, 'tests/fixtures/balance');
const PALETTE = [
  '#e6194b',
  '#3cb44b',
  '#ffe119',
  '#4363d8',
  '#f58231',
  '#911eb4',
  '#46f0f0',
  '#f032e6',
  '#bcf60c',
  '#fabebe',
  '#008080',
  '#e6beff',
  '#9a6324',
  '#800000',
  '#aaffc3',
  '#808000',
  '#000075',
];

interface FixtureConfig {
  weight: string;
  group?: string;
  parent?: string;
  options: Partial<BalanceOptions>;
  assignment: string | null;
  expect: { valid: boolean; violations?: string[]; maxHouseholdsMoved?: number; splitParents?: number };
}

const round = (value: number): number => Math.round(value * 1e4) / 1e4;

function render(input: FeatureCollection, result: BalanceResult): unknown {
  const order = [...new Set(Object.values(result.assignment).filter((grid): grid is string => grid !== null))];
  const features = input.features.map((feature, index) => {
    const id = feature.id !== undefined ? String(feature.id) : String(index);
    const grid = result.assignment[id];
    const colour = grid === null ? '#bbbbbb' : PALETTE[order.indexOf(grid) % PALETTE.length];
    return {
      ...feature,
      properties: { ...feature.properties, grid, fill: colour, 'fill-opacity': 0.6, stroke: '#333333' },
    };
  });
  return {
    type: 'FeatureCollection',
    summary: {
      valid: result.valid,
      grids: result.grids.map((grid) => ({
        id: grid.id,
        weight: round(grid.weight),
        units: grid.unitCount,
        polsbyPopper: round(grid.polsbyPopper),
      })),
      violations: result.violations.map((violation) => `${violation.kind}: ${violation.message}`),
      notices: result.notices,
      splitParents: result.splitParents,
      householdsMoved: result.householdsMoved,
      meanPolsbyPopper: round(result.meanPolsbyPopper),
    },
    features,
  };
}

describe('balance fixtures', () => {
  for (const file of readdirSync(path.join(fixtures, 'in'))
    .filter((name) => name.endsWith('.geojson'))
    .sort()) {
    test(file.replace('.geojson', ''), async () => {
      const input = JSON.parse(readFileSync(path.join(fixtures, 'in', file), 'utf8')) as FeatureCollection & {
        balance: FixtureConfig;
      };
      const config = input.balance;
      const units = unitsFromCollection(input, config);
      let assignment: Record<string, string | null> | undefined;
      if (config.assignment) {
        assignment = Object.fromEntries(
          units.map((unit, index) => [
            unit.id,
            (input.features[index].properties?.[config.assignment!] as string | undefined) ?? null,
          ]),
        );
      }
      const result = await balance(units, { ...config.options, assignment });

      expect(expectHonest(units, result, config.options)).toEqual([]);
      expect(result.valid).toBe(config.expect.valid);
      for (const kind of config.expect.violations ?? [])
        expect(result.violations.map((violation) => violation.kind)).toContain(kind);
      if (config.expect.maxHouseholdsMoved !== undefined)
        expect(result.householdsMoved).toBeLessThanOrEqual(config.expect.maxHouseholdsMoved);
      if (config.expect.splitParents !== undefined) expect(result.splitParents).toBe(config.expect.splitParents);

      const output = render(input, result);
      const outFile = path.join(fixtures, 'out', file);
      if (process.env.REGEN || !existsSync(outFile)) writeFileSync(outFile, `${JSON.stringify(output, null, 1)}\n`);
      expect(output).toEqual(JSON.parse(readFileSync(outFile, 'utf8')));
    });
  }
});
