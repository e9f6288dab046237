// Shapes of the inspection API (/api/areas, /api/search, /api/coverage): the API contract in shared/api/inspect.ts.
// Places and counts only, never a person.
import { AREA_LEVELS, type AreaLevel } from '../../shared/api/inspect.ts';

export { AREA_LEVELS };
export type {
  AreaCard,
  AreaFigures,
  AreaLevel,
  AreaRef,
  Coverage,
  GridCoverage,
  NamedThing,
  NearbyStation,
  SearchHit,
  SearchKind,
  UncoveredCompound,
} from '../../shared/api/inspect.ts';

export function isAreaLevel(value: unknown): value is AreaLevel {
  return typeof value === 'string' && (AREA_LEVELS as readonly string[]).includes(value);
}
