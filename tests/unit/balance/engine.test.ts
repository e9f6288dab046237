// The engine's contract beyond the plan itself: input errors, progress, cancellation, time budget, rebalance.
import fc from 'fast-check';
import type { Polygon } from 'geojson';
import { describe, expect, test } from 'vitest';
import {
  balance,
  BALANCE_DEFAULTS,
  BalanceInputError,
  type BalanceProgress,
  type BalanceUnit,
} from '../../../server/balance/index';
import { expectHonest, rectangle } from './helpers';

function square(col: number, row: number): Polygon {
  const size = 60;
  const pitch = 75; // 15 m roads
  const [x0, y0] = [col * pitch, row * pitch];
  return rectangle(x0, y0, x0 + size, y0 + size);
}

function createStreetGrid(cols: number, rows: number, weight: (index: number) => number): BalanceUnit[] {
  const units: BalanceUnit[] = [];
  for (let row = 0; row < rows; row++)
    for (let col = 0; col < cols; col++)
      units.push({ id: `u${units.length}`, geometry: square(col, row), weight: weight(units.length) });
  return units;
}

describe('balance engine contract', () => {
  test('one defaults object: 300–500 households, 30 m gap', () => {
    expect(BALANCE_DEFAULTS).toMatchObject({ min: 300, max: 500, gap: 30 });
  });

  test('bad input names the unit and the field', async () => {
    const units = createStreetGrid(3, 3, () => 80);
    units[4] = { ...units[4], weight: Number.NaN };
    await expect(balance(units)).rejects.toThrow(BalanceInputError);
    await expect(balance(units)).rejects.toThrow(/unit 4 \(id "u4"\): weight/);
    const duplicate = createStreetGrid(2, 2, () => 80);
    duplicate[3] = { ...duplicate[3], id: 'u0' };
    await expect(balance(duplicate)).rejects.toThrow(/id "u0" is used twice/);
    await expect(
      balance(
        createStreetGrid(2, 2, () => 80),
        { min: 600, max: 500 },
      ),
    ).rejects.toThrow(/max/);
  });

  test('reports progress through every phase', async () => {
    const phases = new Set<BalanceProgress['phase']>();
    await balance(
      createStreetGrid(6, 6, () => 60),
      {},
      { onProgress: (progress) => phases.add(progress.phase) },
    );
    expect([...phases]).toEqual(expect.arrayContaining(['adjacency', 'feasibility', 'initial', 'refine', 'validate']));
  });

  test('an aborted signal rejects, before or during the run', async () => {
    const units = createStreetGrid(6, 6, () => 60);
    await expect(balance(units, {}, { signal: AbortSignal.abort() })).rejects.toThrow(/abort/i);
    const controller = new AbortController();
    const run = balance(
      units,
      {},
      {
        signal: controller.signal,
        onProgress: (progress) => {
          if (progress.phase === 'initial') controller.abort();
        },
      },
    );
    await expect(run).rejects.toThrow(/abort/i);
  });

  test('a zero time budget still returns a valid plan (refinement is skipped, never the rules)', async () => {
    const units = createStreetGrid(8, 6, (index) => 40 + ((index * 37) % 60));
    const result = await balance(units, {}, { timeBudgetMs: 0 });
    expect(result.valid).toBe(true);
    expect(expectHonest(units, result, {})).toEqual([]);
  });

  test('rebalance after a compound grows: valid again, and a modest growth moves at most one grid of households', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 47 }), fc.integer({ min: 20, max: 300 }), async (grown, extra) => {
        const units = createStreetGrid(8, 6, (index) => 40 + ((index * 37) % 60));
        const before = await balance(units);
        expect(before.valid).toBe(true);
        units[grown] = { ...units[grown], weight: units[grown].weight + extra };
        const after = await balance(units, { assignment: before.assignment });
        expect(expectHonest(units, after, {})).toEqual([]);
        expect(after.valid).toBe(true);
        if (extra <= 120) expect(after.householdsMoved).toBeLessThanOrEqual(500);
      }),
      { numRuns: 20, seed: 5 },
    );
  });
});
