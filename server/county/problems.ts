// Problems of a county package as the report lists them (shared/api/county-report.ts), made in one place.
import type { PackageRole } from '../../shared/county-manifest.ts';
import type { Problem, ProblemCode, Severity } from '../../shared/api/county-report.ts';

export interface Place {
  layer?: PackageRole | null;
  id?: string | null;
  name?: string | null;
  lon?: number | null;
  lat?: number | null;
}

export function problem(
  code: ProblemCode,
  severity: Severity,
  where: Place,
  details: Problem['details'] = {},
): Problem {
  const round = (v: number | null | undefined) => (v === null || v === undefined ? null : Math.round(v * 1e6) / 1e6);
  return {
    code,
    severity,
    where: {
      layer: where.layer ?? null,
      id: where.id ?? null,
      name: where.name ?? null,
      lon: round(where.lon),
      lat: round(where.lat),
    },
    details,
  };
}
