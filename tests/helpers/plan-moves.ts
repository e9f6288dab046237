import { planViolations, type PlanUnitsGeoJson } from '../../server/plans/validate-plan.ts';
import { readCountyManifest } from '../../server/demo/data-set.ts';
import { loadConfig } from '../../server/config.ts';

// Moves that keep a plan valid, found with the publish-time check itself: tests publish real changes of the grids.

/** The grid bounds of the data set the test server loaded (its manifest). */
const bounds = readCountyManifest(loadConfig().demoDataDir).bounds;

export interface ValidMove {
  unit: string;
  from: string;
  to: string;
  households: number;
  community: string;
}

/**
 * The first compound (outside `avoid` communities) that can move to another grid of its community with every rule
 * still holding, trying the lightest compounds first; undefined when none can.
 */
export function findValidMove(
  units: PlanUnitsGeoJson,
  assignment: Record<string, string | null>,
  avoid: string[] = [],
): ValidMove | undefined {
  const gridsOf = new Map<string, Set<string>>();
  for (const f of units.features) {
    const label = assignment[f.properties.id];
    if (!label) continue;
    const set = gridsOf.get(f.properties.community_id) ?? new Set<string>();
    set.add(label);
    gridsOf.set(f.properties.community_id, set);
  }
  const candidates = units.features
    .filter(
      (f) =>
        f.properties.kind === 'compound' && f.properties.households > 0 && !avoid.includes(f.properties.community_id),
    )
    .sort((a, b) => a.properties.households - b.properties.households);
  for (const f of candidates.slice(0, 60)) {
    const from = assignment[f.properties.id]!;
    for (const to of gridsOf.get(f.properties.community_id) ?? []) {
      if (to === from) continue;
      const next = { ...assignment, [f.properties.id]: to };
      if (planViolations(units, next, bounds).length === 0)
        return {
          unit: f.properties.id,
          from,
          to,
          households: f.properties.households,
          community: f.properties.community_id,
        };
    }
  }
  return undefined;
}
