// Shapes of the inspection API (/api/areas, /api/search, /api/coverage), as the client uses them. They mirror
// server/db/inspect-*.ts; places and counts only, never a person.

export const AREA_LEVELS = ['county', 'street', 'community', 'grid', 'compound', 'building'] as const;
export type AreaLevel = (typeof AREA_LEVELS)[number];

export function isAreaLevel(value: unknown): value is AreaLevel {
  return typeof value === 'string' && (AREA_LEVELS as readonly string[]).includes(value);
}

export interface AreaRef {
  level: AreaLevel;
  id: string;
  name: string;
  nameEn: string | null;
}

export interface AreaFigures {
  households: number;
  population: number;
  communities: number;
  grids: number;
  compounds: number;
  compoundsByType: Record<string, number>;
  buildings: number;
  /** People counts: null for 1 or 2, not published (server/community/small-groups.ts). */
  redStewards: number | null;
  buildingsWithSteward: number;
  stewardShare: number | null;
  partyMembers: number | null;
  inServiceMembers: number | null;
  memberUnits: number;
  socialOrganisations: number | null;
  stations: number;
  stationsByKind: Record<string, number>;
}

export interface NearbyStation {
  id: string;
  name: string;
  nameEn: string | null;
  kind: string;
  distanceM: number;
  inside: boolean;
}

export interface NamedThing {
  id: string;
  name: string;
  nameEn: string | null;
}

export interface AreaCard {
  level: AreaLevel;
  id: string;
  code: string;
  name: string;
  nameEn: string | null;
  parents: AreaRef[];
  bbox: [number, number, number, number];
  attributes: Record<string, unknown>;
  children: { level: AreaLevel; items: (NamedThing & { households: number })[] } | null;
  figures: AreaFigures;
  nearbyStations: NearbyStation[] | null;
  memberUnits: (NamedThing & { trade: string | null })[] | null;
  socialOrganisations: (NamedThing & { service: string | null })[] | null;
}

// Search and coverage answers are declared once, where the server builds them (type-only imports).
export type { SearchHit, SearchKind } from '../../server/db/inspect-search-repo.ts';
export type { Coverage, GridCoverage, UncoveredCompound } from '../../server/db/inspect-coverage-repo.ts';
