// The publish-time check of a plan with the same engine the planner's browser uses (server/balance): every hard
// rule (bounds, contiguity, community nesting, compounds whole or split into as few grids as allowed, no unit left
// out) evaluated on the units as the database has them now and the county's grid bounds — with the compounds the
// planner split into their buildings counted as those buildings, each compound their parent (shared/plan-rules.ts).
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { evaluatePlan, prepareUnits, resolveOptions, type Violation } from '../balance/index.ts';
import { gridsAllowedForCompound, type HouseholdBounds } from '../../shared/plan-rules.ts';

type UnitFeature = Feature<
  Polygon | MultiPolygon,
  { id: string; kind: 'compound' | 'building'; households: number; community_id: string; compound_id: string }
>;

export interface PlanUnitsGeoJson extends FeatureCollection<Polygon | MultiPolygon, UnitFeature['properties']> {
  parents: Record<string, Polygon | MultiPolygon>;
  /** Buildings of the compounds kept whole (GET /api/plan/units): a planner may split one into them. */
  compoundBuildings?: UnitFeature[];
}

/**
 * The unit set `assignment` names: a compound kept whole whose id is absent but whose buildings are all named is
 * replaced by them (split by the planner), its outline becoming their parent. `split` lists those compounds.
 */
export function unitsOfAssignment(
  units: PlanUnitsGeoJson,
  assignment: Record<string, string | null>,
): { features: UnitFeature[]; parents: Record<string, Polygon | MultiPolygon>; split: string[] } {
  const buildingsOf = new Map<string, UnitFeature[]>();
  for (const b of units.compoundBuildings ?? [])
    buildingsOf.set(b.properties.compound_id, [...(buildingsOf.get(b.properties.compound_id) ?? []), b]);
  const features: UnitFeature[] = [];
  const parents = { ...units.parents };
  const split: string[] = [];
  for (const f of units.features) {
    const buildings =
      f.properties.kind === 'compound' && !(f.properties.id in assignment)
        ? buildingsOf.get(f.properties.id)
        : undefined;
    if (!buildings?.length || !buildings.every((b) => b.properties.id in assignment)) {
      features.push(f);
      continue;
    }
    split.push(f.properties.id);
    parents[f.properties.id] = f.geometry;
    features.push(...buildings);
  }
  return { features, parents, split };
}

/**
 * The violations of `assignment` (unit id → grid label) over `units` within the county's `bounds`; empty when the
 * plan may be published.
 */
export function planViolations(
  units: PlanUnitsGeoJson,
  assignment: Record<string, string | null>,
  bounds: HouseholdBounds,
): Violation[] {
  const { features, parents, split } = unitsOfAssignment(units, assignment);
  const options = resolveOptions({ min: bounds.min, max: bounds.max, parents });
  const prepared = prepareUnits(
    features.map((f) => ({
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
  const splitByPlanner = new Set(split);
  const gridsOfCompound = (compound: string) =>
    [
      ...new Set(
        features.filter((f) => f.properties.compound_id === compound).map((f) => assignment[f.properties.id] ?? '—'),
      ),
    ]
      .sort()
      .join(', ');
  return evaluatePlan(prepared, gridOfUnit, labels, options).violations.map((v) =>
    v.kind === 'parent-split' && v.parent && splitByPlanner.has(v.parent) && v.weight !== undefined
      ? {
          ...v,
          message:
            gridsAllowedForCompound(v.weight, bounds.max) === 1
              ? `compound ${v.parent} (${v.weight} households) is split over grids ${gridsOfCompound(v.parent)}: ` +
                `a compound of at most ${bounds.max} households stays whole — ` +
                'merge it back, or put all its buildings in one grid'
              : v.message,
        }
      : v,
  );
}
