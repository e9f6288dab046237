// The planner's editing on the demo data (client/composables/plan-editor.ts, client/map/plan-hit.ts): brush
// strokes as one step, locks, new / merged / deleted grids, compounds split into buildings and merged back, and
// balancing around locked grids — after each, the live figures equal a full evaluatePlan() and undo restores.
import { describe, expect, it } from 'vitest';
import type { Polygon } from 'geojson';
import { PlanEditor } from '../../client/composables/plan-editor';
import { relabel } from '../../client/composables/plan-balance';
import { unitAt, unitsInPolygon, unitsUnderBrush } from '../../client/map/plan-hit';
import { balance } from '../../server/balance/index';
import { balanceUnitsOf } from '../../client/composables/plan-grid-model';
import { demoUnits, expectSameFigures } from './plan-editor-helpers';

const { units, assignment, bounds } = demoUnits();

/** Two grids of one community that touch, and a unit of the second on their common border. */
function neighbourPair(editor: PlanEditor) {
  for (const row of editor.rows()) {
    for (const other of editor.neighbourGrids(row.label)) {
      const otherRow = editor.row(other)!;
      if (otherRow.community !== row.community) continue;
      return { a: row.label, b: other, community: row.community };
    }
  }
  throw new Error('no neighbouring grids');
}

function membersOf(editor: PlanEditor, label: string): string[] {
  return Object.entries(editor.assignment())
    .filter(([, l]) => l === label)
    .map(([id]) => id);
}

describe('PlanEditor editing', () => {
  it('paints a stroke of several dabs as one undoable step', () => {
    const editor = new PlanEditor(units, assignment, bounds);
    const { a, b } = neighbourPair(editor);
    const [first, second] = membersOf(editor, b);
    editor.beginStroke();
    expect(editor.paint([first], a)).toBe(1);
    expect(editor.paint([first], a)).toBe(0);
    expect(editor.paint([second], a)).toBe(1);
    expect(editor.endStroke()).toBe(true);
    expect(editor.undoDepth).toBe(1);
    expect(editor.labelOf(first)).toBe(a);
    expectSameFigures(editor);
    editor.undo();
    expect(editor.assignment()).toEqual(assignment);
    editor.redo();
    expect(editor.labelOf(second)).toBe(a);
    expectSameFigures(editor);
  });

  it('takes a cancelled stroke back (a second finger on a touch screen): figures, history and redo as before', () => {
    const editor = new PlanEditor(units, assignment, bounds);
    const { a, b } = neighbourPair(editor);
    const [first, second] = membersOf(editor, b);
    editor.move(first, a);
    editor.undo();
    expect(editor.canRedo).toBe(true);
    editor.beginStroke();
    expect(editor.paint([second], a)).toBe(1);
    expect(editor.cancelStroke()).toBe(true);
    expect(editor.assignment()).toEqual(assignment);
    expect(editor.undoDepth).toBe(0);
    expectSameFigures(editor);
    expect(editor.redo()).toBe(true);
    expect(editor.labelOf(first)).toBe(a);
    // A stroke that painted nothing has nothing to take back.
    editor.beginStroke();
    expect(editor.cancelStroke()).toBe(false);
  });

  it('hands out the same row object for a grid a stroke did not change, a new one for the grids it did', () => {
    const editor = new PlanEditor(units, assignment, bounds);
    const { a, b } = neighbourPair(editor);
    const before = new Map(editor.rows().map((r) => [r.label, r]));
    editor.move(membersOf(editor, b)[0], a);
    const after = editor.rows();
    const changed = after.filter((r) => r !== before.get(r.label)).map((r) => r.label);
    expect(changed.sort()).toEqual([a, b].sort());
    expect(after.map((r) => r.label)).toEqual([...before.keys()]);
  });

  it('leaves locked grids alone: they neither give nor take units, and balancing results skip them', () => {
    const editor = new PlanEditor(units, assignment, bounds);
    const { a, b } = neighbourPair(editor);
    editor.setLocked(b, true);
    const unitOfB = membersOf(editor, b)[0];
    const unitOfA = membersOf(editor, a)[0];
    expect(editor.paint([unitOfB], a)).toBe(0);
    expect(editor.paint([unitOfA], b)).toBe(0);
    expect(editor.mergeGrids(a, b)).toBe(false);
    expect(editor.deleteGrid(b)).toBeNull();
    expect(editor.applyAssignment({ [unitOfB]: a, [unitOfA]: b })).toBe(0);
    expect(editor.row(b)!.locked).toBe(true);
    expect(editor.summary().locked).toBe(1);
    editor.setLocked(b, false);
    expect(editor.paint([unitOfB], a)).toBe(1);
  });

  it('makes a new grid, merges two grids and deletes a grid into its neighbours, each one step', () => {
    const editor = new PlanEditor(units, assignment, bounds);
    const label = editor.newGrid();
    expect(editor.row(label)).toMatchObject({ households: 0, unitCount: 0, status: 'under' });
    const { a, b } = neighbourPair(editor);
    const sum = editor.row(a)!.households + editor.row(b)!.households;
    expect(editor.mergeGrids(a, b)).toBe(true);
    expect(editor.row(a)!.households).toBe(sum);
    expect(editor.row(b)).toBeNull();
    expectSameFigures(editor);
    editor.undo();
    expect(editor.assignment()).toEqual(assignment);

    const before = editor.rows().length;
    const moved = membersOf(editor, a);
    const outcome = editor.deleteGrid(a)!;
    expect(outcome.toNeighbours + outcome.unassigned).toBe(moved.length);
    expect(outcome.toNeighbours).toBeGreaterThan(0);
    expect(editor.row(a)).toBeNull();
    // Every unit went to a grid of its own community, or to none.
    const community = (id: string) => units.features.find((f) => f.properties.id === id)!.properties.community_id;
    for (const id of moved) {
      const to = editor.labelOf(id);
      if (to) expect(editor.row(to)!.community).toBe(community(id));
    }
    expect(editor.summary().unassigned).toBe(outcome.unassigned);
    expect(editor.rows().length).toBe(before - 1);
    expectSameFigures(editor);
    editor.undo();
    expect(editor.assignment()).toEqual(assignment);
  });

  it('splits a compound into its buildings and merges it back, with undo and redo across the rebuilds', () => {
    const editor = new PlanEditor(units, assignment, bounds);
    const compound = units.features.find(
      (f) =>
        f.properties.kind === 'compound' &&
        units.compoundBuildings!.filter((b) => b.properties.compound_id === f.properties.id).length >= 3,
    )!;
    const id = compound.properties.id;
    const grid = editor.labelOf(id)!;
    const buildings = units
      .compoundBuildings!.filter((b) => b.properties.compound_id === id)
      .map((b) => b.properties.id);
    expect(editor.compoundOf(id)).toMatchObject({ compound: id, canSplit: true, splitByPlanner: false });

    expect(editor.splitCompound(id)).toBe(true);
    expect(editor.unitCount).toBe(units.features.length - 1 + buildings.length);
    expect(editor.hasUnit(id)).toBe(false);
    for (const b of buildings) expect(editor.labelOf(b)).toBe(grid);
    expect(editor.compoundOf(buildings[0])).toMatchObject({ compound: id, splitByPlanner: true, grids: [grid] });
    // The compound picked before the split still names it.
    expect(editor.compoundOf(id)).toMatchObject({ compound: id, splitByPlanner: true });
    expect(editor.splitByPlanner()).toEqual([id]);
    expectSameFigures(editor);

    // One building to a neighbouring grid: the compound is split over two grids — a light compound may not be.
    const splitBefore = editor.summary().splitCompounds;
    const other = editor.neighbourGrids(grid).find((l) => editor.row(l)!.community === editor.row(grid)!.community)!;
    expect(editor.move(buildings[0], other)).toBe(true);
    expect(editor.summary()).toMatchObject({ splitCompounds: splitBefore + 1, badlySplitCompounds: 1, valid: false });
    expectSameFigures(editor);

    // Merge back: the whole compound goes to the grid holding most of its households.
    expect(editor.mergeCompound(id)).toBe(true);
    expect(editor.labelOf(id)).toBe(grid);
    expect(editor.hasUnit(buildings[0])).toBe(false);
    expect(editor.compoundOf(buildings[0])).toMatchObject({ compound: id, splitByPlanner: false, canSplit: true });
    expectSameFigures(editor);

    editor.undo(); // merge
    expect(editor.labelOf(buildings[0])).toBe(other);
    editor.undo(); // move
    editor.undo(); // split
    expect(editor.assignment()).toEqual(assignment);
    expectSameFigures(editor);
    editor.redo();
    editor.redo();
    editor.redo();
    expect(editor.labelOf(id)).toBe(grid);

    // A draft saved with the buildings opens split.
    const saved = editor.assignment();
    editor.undo();
    const reopened = new PlanEditor(units, editor.assignment(), bounds);
    expect(reopened.splitByPlanner()).toEqual([id]);
    expect(reopened.labelOf(buildings[0])).toBe(other);
    expect(saved[id]).toBe(grid);
  });

  it('balances the whole plan around a locked grid: the locked grid stays, every grid comes out valid', async () => {
    const editor = new PlanEditor(units, assignment, bounds);
    const { a, b } = neighbourPair(editor);
    // Break grid a by moving one of its units to b, then lock a third grid.
    editor.move(membersOf(editor, a)[0], b);
    const locked = editor.rows().find((r) => r.label !== a && r.label !== b && r.status === 'ok')!.label;
    editor.setLocked(locked, true);
    const lockedMembers = membersOf(editor, locked);
    const ids = editor.unlockedUnits(editor.unitsOfCommunity(null));
    expect(ids).toHaveLength(editor.unitCount - lockedMembers.length);
    const chosen = new Set(ids);
    const subset = { ...editor.units, features: editor.units.features.filter((f) => chosen.has(f.properties.id)) };
    // Rebalance: only the broken grids change.
    const result = await balance(
      balanceUnitsOf(subset),
      {
        ...bounds,
        parents: editor.units.parents,
        assignment: Object.fromEntries(ids.map((id) => [id, editor.labelOf(id)])),
      },
      { timeBudgetMs: 5000 },
    );
    const moved = editor.applyAssignment(relabel(editor, editor.units, result.assignment));
    expect(moved).toBeGreaterThan(0);
    expect(moved).toBeLessThan(10);
    expect(membersOf(editor, locked).sort()).toEqual(lockedMembers.sort());
    expect(editor.summary().valid).toBe(true);
    expectSameFigures(editor);
  });
});

describe('plan-hit', () => {
  const compound = units.features.find((f) => f.properties.kind === 'compound')!;
  const ring = (
    compound.geometry.type === 'Polygon' ? compound.geometry.coordinates : compound.geometry.coordinates[0]
  )[0];
  const xs = ring.map((p) => p[0]);
  const ys = ring.map((p) => p[1]);
  const centre: [number, number] = [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2];

  it('finds the unit under the pointer and the units under a brush, more with a bigger brush', () => {
    expect(unitAt(units, ...centre)?.properties.id).toBe(compound.properties.id);
    expect(unitsUnderBrush(units, ...centre, 1)).toEqual([compound.properties.id]);
    const wide = unitsUnderBrush(units, ...centre, 400);
    expect(wide).toContain(compound.properties.id);
    expect(wide.length).toBeGreaterThan(1);
    expect(unitsUnderBrush(units, 0, 0, 100)).toEqual([]);
  });

  it('takes the units whose interior point lies inside a drawn polygon', () => {
    const [x, y] = centre;
    const d = 0.004;
    const box: Polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [x - d, y - d],
          [x + d, y - d],
          [x + d, y + d],
          [x - d, y + d],
          [x - d, y - d],
        ],
      ],
    };
    const inside = unitsInPolygon(units, box);
    expect(inside).toContain(compound.properties.id);
    // Nothing whose every vertex lies outside the box is taken.
    for (const id of inside) {
      const f = units.features.find((u) => u.properties.id === id)!;
      const points = (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates).flatMap(
        (p) => p[0],
      );
      expect(points.some(([px, py]) => Math.abs(px - x) <= d && Math.abs(py - y) <= d)).toBe(true);
    }
    const tiny: Polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [x + 1, y],
          [x + 1.0001, y],
          [x + 1, y + 0.0001],
          [x + 1, y],
        ],
      ],
    };
    expect(unitsInPolygon(units, tiny)).toEqual([]);
  });
});
