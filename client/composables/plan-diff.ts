// The open draft against the current grids: which units move, how many households, which grids change, are new
// or retired. The current grid of a unit is what GET /api/plan/units said (reloaded after every publication); the
// draft's is the editor's. Cheap (one pass over the units), recomputed whenever the draft changes.
import { computed, shallowRef, type Ref } from 'vue';
import type { Layer } from '@deck.gl/core';
import type { PlanUnitFeature, PlanUnits } from '../api/plans';
import { planDiffLayers } from '../map/plan-diff-layers';

export interface UnitMove {
  unit: string;
  kind: 'compound' | 'building';
  from: string | null;
  to: string | null;
  households: number;
}

export interface PlanDiff {
  moves: UnitMove[];
  householdsMoved: number;
  /** Grids that gain or lose a unit, new ones included. */
  gridsChanged: string[];
  gridsNew: string[];
  gridsRetired: string[];
}

export function planDiff(units: PlanUnits, labelOf: (unitId: string) => string | null): PlanDiff {
  const moves: UnitMove[] = [];
  const current = new Set<string>();
  const planned = new Set<string>();
  const changed = new Set<string>();
  for (const f of units.features) {
    const { id, kind, households, grid_id: from } = f.properties;
    const to = labelOf(id);
    if (from) current.add(from);
    if (to) planned.add(to);
    if (from === to) continue;
    moves.push({ unit: id, kind, from, to, households });
    if (from) changed.add(from);
    if (to) changed.add(to);
  }
  const sorted = (set: Iterable<string>) => [...set].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  return {
    moves: moves.sort((a, b) => a.unit.localeCompare(b.unit, 'en', { numeric: true })),
    householdsMoved: moves.reduce((sum, m) => sum + m.households, 0),
    gridsChanged: sorted(changed),
    gridsNew: sorted([...planned].filter((g) => !current.has(g))),
    gridsRetired: sorted([...current].filter((g) => !planned.has(g))),
  };
}

/** The diff of the open draft, and the map layers marking its moved units while `showOnMap` is on. */
export function usePlanDiff(session: {
  units: Ref<PlanUnits | null>;
  editor: Ref<{ labelOf(id: string): string | null } | null>;
  version: Ref<number>;
}) {
  const showOnMap = shallowRef(true);
  const diff = computed<PlanDiff | null>(() => {
    void session.version.value;
    const units = session.units.value;
    const editor = session.editor.value;
    return units && editor ? planDiff(units, (id) => editor.labelOf(id)) : null;
  });
  const layers = computed<Layer[]>(() => {
    const units = session.units.value;
    if (!showOnMap.value || !units || !diff.value?.moves.length) return [];
    const moved = new Set(diff.value.moves.map((m) => m.unit));
    return planDiffLayers(units.features.filter((f: PlanUnitFeature) => moved.has(f.properties.id)));
  });
  return { diff, showOnMap, layers };
}
