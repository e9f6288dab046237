// For the planner's unit tests: the units GET /api/plan/units serves, built from the committed demo files the
// same way as the SQL (view plan_units and server/db/plans-repo.ts), and the editor's figures checked against a
// full evaluatePlan().
import type { PlanUnits, PlanUnitFeature } from '../../client/api/plans';
import { expect } from 'vitest';
import type { PlanEditor } from '../../client/composables/plan-editor';
import { evaluatePlan } from '../../server/balance/index';
import { load, readJson, type F } from './geodata-load';
import { CountyManifest } from '../../shared/county-manifest';
import type { HouseholdBounds } from '../../shared/plan-rules';

/** A building of compound `c` as a unit of its own. */
function buildingUnit(b: F, c: F): PlanUnitFeature {
  return {
    type: 'Feature',
    id: b.id,
    geometry: b.geometry as PlanUnitFeature['geometry'],
    properties: {
      id: b.id,
      kind: 'building',
      households: b.properties.households,
      community_id: c.properties.community_id,
      compound_id: c.id,
      grid_id: b.properties.grid_id,
    },
  };
}

/** The units GET /api/plan/units serves, built from the committed files the same way as the SQL view, and the
 * county's bounds from its manifest. */
export function demoUnits(): {
  units: PlanUnits;
  assignment: Record<string, string | null>;
  bounds: HouseholdBounds;
} {
  const { compounds, buildings } = load();
  const { bounds } = CountyManifest.parse(readJson('county.json'));
  const features: PlanUnitFeature[] = [];
  const compoundBuildings: PlanUnitFeature[] = [];
  const parents: PlanUnits['parents'] = {};
  for (const c of compounds) {
    const own = buildings.filter((b) => b.properties.compound_id === c.id);
    if (c.properties.households <= bounds.max) {
      for (const b of own) {
        compoundBuildings.push(buildingUnit(b, c));
      }
      const byGrid = new Map<string, number>();
      for (const b of own)
        byGrid.set(b.properties.grid_id, (byGrid.get(b.properties.grid_id) ?? 0) + b.properties.households);
      const grid = c.properties.grid_id ?? [...byGrid].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];
      features.push({
        type: 'Feature',
        id: c.id,
        geometry: c.geometry as PlanUnitFeature['geometry'],
        properties: {
          id: c.id,
          kind: 'compound',
          households: c.properties.households,
          community_id: c.properties.community_id,
          compound_id: c.id,
          grid_id: grid,
        },
      });
    } else {
      parents[c.id] = c.geometry as PlanUnits['parents'][string];
      for (const b of own) {
        features.push(buildingUnit(b, c));
      }
    }
  }
  const units: PlanUnits = { type: 'FeatureCollection', features, parents, compoundBuildings };
  const assignment = Object.fromEntries(features.map((f) => [f.properties.id, f.properties.grid_id]));
  return { units, assignment, bounds };
}

export function fullEvaluation(editor: PlanEditor) {
  const labels = editor.labels;
  const index = new Map(labels.map((l, i) => [l, i]));
  const gridOf = Int32Array.from(editor.prepared.ids, (id) => {
    const label = editor.labelOf(id);
    return label === null ? -1 : index.get(label)!;
  });
  return evaluatePlan(editor.prepared, gridOf, labels, editor.bounds);
}

export function expectSameFigures(editor: PlanEditor): void {
  const full = fullEvaluation(editor);
  // New grids without units yet are the planner's, unknown to the engine.
  const rows = editor.rows().filter((r) => r.unitCount > 0);
  expect(rows.map((r) => r.label).sort()).toEqual(full.grids.map((g) => g.id).sort());
  for (const grid of full.grids) {
    const row = editor.row(grid.id)!;
    expect(row.households).toBeCloseTo(grid.weight, 6);
    expect(row.contiguous, grid.id).toBe(grid.contiguous);
    expect(row.compactness).toBeCloseTo(grid.polsbyPopper, 6);
    expect(row.status === 'ok').toBe(grid.withinBounds);
  }
  expect(editor.summary().splitCompounds).toBe(full.splitParents);
  expect(editor.summary().valid).toBe(full.violations.length === 0);
}
