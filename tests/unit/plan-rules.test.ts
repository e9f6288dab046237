// The planning rules of shared/plan-rules.ts, and the planner's figures under a county's own bounds: the same
// verdicts as the balancing engine, whatever the bounds.
import { describe, expect, it } from 'vitest';
import { DEFAULT_GRID_BOUNDS, gridsAllowedForCompound } from '../../shared/plan-rules';
import { PlanEditor } from '../../client/composables/plan-editor';
import { demoUnits, expectSameFigures, fullEvaluation } from './plan-editor-helpers';

describe('the split-compound rule', () => {
  it('keeps a compound of at most max households whole and lets a heavier one span ⌈households / max⌉ grids', () => {
    expect(gridsAllowedForCompound(1, 500)).toBe(1);
    expect(gridsAllowedForCompound(500, 500)).toBe(1);
    expect(gridsAllowedForCompound(501, 500)).toBe(2);
    expect(gridsAllowedForCompound(1000, 500)).toBe(2);
    expect(gridsAllowedForCompound(1001, 500)).toBe(3);
    expect(gridsAllowedForCompound(401, 400)).toBe(2);
  });

  it('tolerates rounding of fractional households as the engine does', () => {
    expect(gridsAllowedForCompound(500 + 1e-9, 500)).toBe(1);
    expect(gridsAllowedForCompound(1000 + 1e-12, 500)).toBe(2);
  });
});

describe("the planner's figures under the county's bounds", () => {
  const { units, assignment, bounds } = demoUnits();

  it('takes the demo county its bounds from its manifest', () => {
    expect(bounds).toEqual(DEFAULT_GRID_BOUNDS);
  });

  it('judges grids and split compounds by the bounds it is given, as the engine does', () => {
    const tight = { min: 380, max: 440 };
    const editor = new PlanEditor(units, assignment, tight);
    const rows = editor.rows();
    expect(rows.filter((r) => r.status === 'over').map((r) => r.label)).toEqual(
      rows.filter((r) => r.households > tight.max).map((r) => r.label),
    );
    expect(rows.filter((r) => r.status === 'under').map((r) => r.label)).toEqual(
      rows.filter((r) => r.households < tight.min).map((r) => r.label),
    );
    expect(editor.summary().over + editor.summary().under).toBeGreaterThan(0);
    expect(editor.summary().valid).toBe(false);
    expectSameFigures(editor);
    // The county's own bounds: every grid of the demo data is valid.
    expect(new PlanEditor(units, assignment, bounds).summary().valid).toBe(true);
  });

  it('counts the compounds split over more grids than the rule allows as the engine does', () => {
    for (const max of [bounds.max, 1000, 5000]) {
      const editor = new PlanEditor(units, assignment, { min: 1, max });
      const engine = fullEvaluation(editor).violations.filter((v) => v.kind === 'parent-split').length;
      expect(editor.summary().badlySplitCompounds, `max ${max}`).toBe(engine);
    }
    // Under a max far above the heaviest compound, the compounds the data splits over grids break the rule.
    const roomy = new PlanEditor(units, assignment, { min: 1, max: 5000 });
    expect(roomy.summary().badlySplitCompounds).toBeGreaterThan(0);
  });
});
