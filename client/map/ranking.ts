// Ranking order of grids or communities by a metric: a stable sort with missing values last.
import type { Metric } from '../../shared/map/area-metrics';

export interface Rankable {
  id: string;
  values: Record<Metric, number | null>;
}

export function rankRows<T extends Rankable>(rows: readonly T[], metric: Metric, descending: boolean): T[] {
  return [...rows].sort((a, b) => {
    const x = a.values[metric];
    const y = b.values[metric];
    if (x === null || y === null) return x === y ? a.id.localeCompare(b.id) : x === null ? 1 : -1;
    if (x !== y) return descending ? y - x : x - y;
    return a.id.localeCompare(b.id);
  });
}
