// The planner's in-browser model (client/composables/plan-editor.ts) on the demo data: incremental figures
// equal a full evaluatePlan() after any sequence of moves, and undo / redo go back and forth ≥ 100 steps.
import { describe, expect, it } from 'vitest';
import { PlanEditor } from '../../client/composables/plan-editor';
import { UNDO_LIMIT } from '../../client/composables/plan-undo';
import { relabel } from '../../client/composables/plan-balance';
import { balance } from '../../server/balance/index';
import { demoUnits, expectSameFigures } from './plan-editor-helpers';

describe('PlanEditor', () => {
  const { units, assignment, bounds } = demoUnits();
  const editor = new PlanEditor(units, assignment, bounds);

  it('starts from the current grids: 116 valid grids, figures equal to evaluatePlan()', () => {
    expect(editor.rows()).toHaveLength(116);
    expect(editor.summary().valid).toBe(true);
    expectSameFigures(editor);
  });

  it('keeps the incremental figures equal to a full evaluation over many moves, and undoes and redoes them all', () => {
    const ids = units.features.map((f) => f.properties.id);
    const labels = [...new Set(Object.values(assignment))] as string[];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
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
      units.features.map((f) => ({
        id: f.properties.id,
        geometry: f.geometry,
        weight: f.properties.households,
        group: f.properties.community_id,
        parent: f.properties.kind === 'building' ? f.properties.compound_id : null,
      })),
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
