// The metrics of the inspection map's choropleth and rankings, the levels they exist for, and who serves an
// area: shared by the server (server/db/inspect-metrics-repo.ts, inspect-people-repo.ts) and the client.

export const METRICS = [
  'households',
  'issuesPer100',
  'overdue',
  'partyPer100',
  'stewardCoverage',
  'stationCoverage',
] as const;
export type Metric = (typeof METRICS)[number];

export const METRIC_LEVELS = ['grid', 'community'] as const;
export type MetricLevel = (typeof METRIC_LEVELS)[number];

/** Shares (0–1), shown as percentages; the others are counts or rates per 100 households. */
export const SHARE_METRICS: readonly Metric[] = ['stewardCoverage', 'stationCoverage'];

export function isMetric(value: unknown): value is Metric {
  return typeof value === 'string' && (METRICS as readonly string[]).includes(value);
}

/** Levels whose card lists the people serving them (personal data: masked per role). */
export const PEOPLE_LEVELS = ['community', 'grid', 'compound', 'building'] as const;

/**
 * Who answers for an area: the county leader in charge of its community (包抓社区的县级领导, the 网格长), the
 * street cadre liaising with its grid (联系网格干部), then its grid workers.
 */
export const SERVICE_ROLES = [
  'community_leader',
  'liaison_cadre',
  'community_staff',
  'auxiliary_worker',
  'rider_worker',
] as const;
export type ServiceRole = (typeof SERVICE_ROLES)[number];
