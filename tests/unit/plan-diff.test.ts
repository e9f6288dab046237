import { describe, expect, it } from 'vitest';
import type { PlanUnits } from '../../client/api/plans';
import { planDiff } from '../../client/composables/plan-diff';

// The planner's diff against the current grids: moves, households, grids changed, new and retired.

function units(list: [id: string, grid: string, households: number][]): PlanUnits {
  return {
    type: 'FeatureCollection',
    parents: {},
    features: list.map(([id, grid, households]) => ({
      type: 'Feature',
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 0],
            [1, 1],
            [0, 0],
          ],
        ],
      },
      properties: { id, kind: 'compound', households, community_id: 'C01', compound_id: id, grid_id: grid },
    })),
  };
}

describe('planDiff', () => {
  const current = units([
    ['Q1', 'G1', 100],
    ['Q2', 'G1', 200],
    ['Q3', 'G2', 300],
    ['Q10', 'G3', 50],
  ]);

  it('is empty when the draft is the current grids', () => {
    expect(planDiff(current, (id) => current.features.find((f) => f.properties.id === id)!.properties.grid_id)).toEqual(
      {
        moves: [],
        householdsMoved: 0,
        gridsChanged: [],
        gridsNew: [],
        gridsRetired: [],
      },
    );
  });

  it('lists moved units in natural order with their households, and the grids that change, appear and go', () => {
    const draft: Record<string, string | null> = { Q1: 'G2', Q2: 'G1', Q3: 'N1', Q10: 'G2' };
    const diff = planDiff(current, (id) => draft[id]);
    expect(diff.moves.map((m) => `${m.unit}:${m.from}>${m.to}`)).toEqual(['Q1:G1>G2', 'Q3:G2>N1', 'Q10:G3>G2']);
    expect(diff.householdsMoved).toBe(450);
    expect(diff.gridsChanged).toEqual(['G1', 'G2', 'G3', 'N1']);
    expect(diff.gridsNew).toEqual(['N1']);
    expect(diff.gridsRetired).toEqual(['G3']);
  });

  it('counts a unit left without grid as moved', () => {
    const diff = planDiff(current, (id) =>
      id === 'Q2' ? null : current.features.find((f) => f.properties.id === id)!.properties.grid_id,
    );
    expect(diff.moves).toEqual([{ unit: 'Q2', kind: 'compound', from: 'G1', to: null, households: 200 }]);
    expect(diff.gridsChanged).toEqual(['G1']);
  });
});
