// The publish-time check of a plan with the same engine the planner's browser uses (server/balance): every hard
// rule (bounds, contiguity, community nesting, compounds whole or split into as few grids as allowed, no unit left
// out) evaluated on the units as the database has them now.
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { evaluatePlan, prepareUnits, resolveOptions, type Violation } from '../balance/index.ts';

export interface PlanUnitsGeoJson extends FeatureCollection<Polygon | MultiPolygon, { id: string; kind: 'compound' | 'building'; households: number; community_id: string; compound_id: string }> {
  parents: Record<string, Polygon | MultiPolygon>;
}

/** Bounds of a grid's households, as the planner shows them. */
export const PUBLISH_BOUNDS = { min: 300, max: 500 } as const;

/** The violations of `assignment` (unit id → grid label) over `units`; empty when the plan may be published. */
export function planViolations(units: PlanUnitsGeoJson, assignment: Record<string, string | null>): Violation[] {
  const options = resolveOptions({ ...PUBLISH_BOUNDS, parents: units.parents });
  const prepared = prepareUnits(
    units.features.map((f) => ({
      id: f.properties.id,
      geometry: f.geometry,
      weight: f.properties.households,
      group: f.properties.community_id,
      parent: f.properties.kind === 'building' ? f.properties.compound_id : null,
    })),
    options,
  );
  const labels: string[] = [];
  const index = new Map<string, number>();
  const gridOfUnit = new Int32Array(prepared.ids.length).fill(-1);
  prepared.ids.forEach((id, u) => {
    const label = assignment[id];
    if (!label) return;
    if (!index.has(label)) index.set(label, labels.push(label) - 1);
    gridOfUnit[u] = index.get(label)!;
  });
  return evaluatePlan(prepared, gridOfUnit, labels, options).violations;
}
