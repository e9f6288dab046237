// The planner's in-browser model (client/composables/plan-editor.ts) on the demo data: incremental figures
// equal a full evaluatePlan() after any sequence of moves, and undo / redo go back and forth ≥ 100 steps.
import { describe, expect, it } from 'vitest';
import type { PlanUnits, PlanUnitFeature } from '../../client/api/plans';
import { PlanEditor, UNDO_LIMIT, PLAN_BOUNDS } from '../../client/composables/plan-editor';
import { relabel } from '../../client/composables/plan-balance';
import { balance, evaluatePlan } from '../../server/balance/index';
import { load } from './geodata-load';

/** The units GET /api/plan/units serves, built from the committed files the same way as the SQL view. */
function demoUnits(): { units: PlanUnits; assignment: Record<string, string | null> } {
  const { compounds, buildings } = load();
  const features: PlanUnitFeature[] = [];
  const parents: PlanUnits['parents'] = {};
  for (const c of compounds) {
    const own = buildings.filter((b) => b.properties.compound_id === c.id);
    if (c.properties.households <= PLAN_BOUNDS.max) {
      const byGrid = new Map<string, number>();
      for (const b of own) byGrid.set(b.properties.grid_id, (byGrid.get(b.properties.grid_id) ?? 0) + b.properties.households);
      const grid = c.properties.grid_id ?? [...byGrid].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];
      features.push({ type: 'Feature', id: c.id, geometry: c.geometry as PlanUnitFeature['geometry'], properties: { id: c.id, kind: 'compound', households: c.properties.households, community_id: c.properties.community_id, compound_id: c.id, grid_id: grid } });
    } else {
      parents[c.id] = c.geometry as PlanUnits['parents'][string];
      for (const b of own) {
        features.push({ type: 'Feature', id: b.id, geometry: b.geometry as PlanUnitFeature['geometry'], properties: { id: b.id, kind: 'building', households: b.properties.households, community_id: c.properties.community_id, compound_id: c.id, grid_id: b.properties.grid_id } });
      }
    }
  }
  const units: PlanUnits = { type: 'FeatureCollection', features, parents };
  return { units, assignment: Object.fromEntries(features.map((f) => [f.properties.id, f.properties.grid_id])) };
}

function fullEvaluation(editor: PlanEditor) {
  const labels = editor.labels;
  const index = new Map(labels.map((l, i) => [l, i]));
  const gridOf = Int32Array.from(editor.prepared.ids, (id) => {
    const label = editor.labelOf(id);
    return label === null ? -1 : index.get(label)!;
  });
  return evaluatePlan(editor.prepared, gridOf, labels, PLAN_BOUNDS);
}

function expectSameFigures(editor: PlanEditor): void {
  const full = fullEvaluation(editor);
  const rows = editor.rows();
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

describe('PlanEditor', () => {
  const { units, assignment } = demoUnits();
  const editor = new PlanEditor(units, assignment);

  it('starts from the current grids: 116 valid grids, figures equal to evaluatePlan()', () => {
    expect(editor.rows()).toHaveLength(116);
    expect(editor.summary().valid).toBe(true);
    expectSameFigures(editor);
  });

  it('keeps the incremental figures equal to a full evaluation over many moves, and undoes and redoes them all', () => {
    const ids = units.features.map((f) => f.properties.id);
    const labels = [...new Set(Object.values(assignment))] as string[];
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const before = editor.assignment();
    let moves = 0;
    while (moves < 150) {
      if (editor.move(ids[Math.floor(random() * ids.length)], labels[Math.floor(random() * labels.length)])) moves++;
      if (moves % 25 === 0) expectSameFigures(editor);
    }
    expectSameFigures(editor);
    const after = editor.assignment();
    expect(editor.undoDepth).toBe(150);
    expect(UNDO_LIMIT).toBeGreaterThanOrEqual(100);
    while (editor.undo());
    expect(editor.assignment()).toEqual(before);
    expectSameFigures(editor);
    while (editor.redo());
    expect(editor.assignment()).toEqual(after);
    expectSameFigures(editor);
    while (editor.undo());
  });

  it('applies a balancing result, relabelled to the current labels, as one undoable step', async () => {
    const result = await balance(
      units.features.map((f) => ({ id: f.properties.id, geometry: f.geometry, weight: f.properties.households, group: f.properties.community_id, parent: f.properties.kind === 'building' ? f.properties.compound_id : null })),
      { parents: units.parents },
      { timeBudgetMs: 5000 },
    );
    expect(result.valid).toBe(true);
    const relabelled = relabel(editor, units, result.assignment);
    // Most grids keep a current label; the rest get fresh N… labels.
    const current = new Set(Object.values(assignment));
    const kept = new Set(Object.values(relabelled).filter((l) => l && current.has(l)));
    expect(kept.size).toBeGreaterThan(result.grids.length * 0.8);
    const depth = editor.undoDepth;
    const moved = editor.applyAssignment(relabelled);
    expect(moved).toBeGreaterThan(0);
    expect(editor.undoDepth).toBe(depth + 1);
    expect(editor.summary().valid).toBe(true);
    expectSameFigures(editor);
    editor.undo();
    expect(editor.assignment()).toEqual(assignment);
  });
});
