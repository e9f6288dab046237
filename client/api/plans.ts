// The planner's API (/plan): the units a plan assigns, and draft plans. Shapes are checked lightly here; the
// server validates every write.
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { ApiError, getJson, isRecord, sendJson } from './http';

export interface PlanUnitProperties {
  id: string;
  kind: 'compound' | 'building';
  households: number;
  community_id: string;
  compound_id: string;
  /** The unit's grid today. */
  grid_id: string | null;
}

export type PlanUnitFeature = Feature<Polygon | MultiPolygon, PlanUnitProperties>;

export interface PlanUnits {
  type: 'FeatureCollection';
  features: PlanUnitFeature[];
  /** Outlines of the compounds split into their buildings, by compound id. */
  parents: Record<string, Polygon | MultiPolygon>;
  /** Buildings of the compounds kept whole (kind 'building'), for splitting one in the planner. */
  compoundBuildings?: PlanUnitFeature[];
}

// Draft plans: the API contract (shared/api/plans.ts).
import { PlanDetail, PlanSummary } from '../../shared/api/plans.ts';
export type { PlanDetail, PlanSummary };

const isPlanSummary = (value: unknown): value is PlanSummary => PlanSummary.safeParse(value).success;

function planDetail(body: unknown, url: string): PlanDetail {
  if (!PlanDetail.safeParse(body).success) throw new ApiError('invalid', url, `${url}: not a plan`);
  return body as PlanDetail;
}

export async function fetchPlanUnits(signal?: AbortSignal): Promise<PlanUnits> {
  const url = '/api/plan/units';
  const body = await getJson(url, signal);
  if (!isRecord(body) || !Array.isArray(body.features) || !isRecord(body.parents))
    throw new ApiError('invalid', url, `GET ${url}: not a FeatureCollection with parents`);
  return body as unknown as PlanUnits;
}

export async function listPlans(signal?: AbortSignal): Promise<PlanSummary[]> {
  const url = '/api/plans';
  const body = await getJson(url, signal);
  if (!isRecord(body) || !Array.isArray(body.plans)) throw new ApiError('invalid', url, `GET ${url}: no plans array`);
  return body.plans.filter(isPlanSummary);
}

export async function fetchPlan(id: number, signal?: AbortSignal): Promise<PlanDetail> {
  const url = `/api/plans/${id}`;
  return planDetail(await getJson(url, signal), url);
}

/** A new draft made from the current grids, or a copy of plan `copyOf`. */
export async function createPlan(name: string, copyOf?: number): Promise<PlanDetail> {
  const url = '/api/plans';
  return planDetail(await sendJson('POST', url, copyOf === undefined ? { name } : { name, copyOf }), url);
}

/** Replaces the draft's whole assignment and its locked grids (autosave); `keepalive` when the page is going away. */
export async function savePlanAssignments(
  id: number,
  assignments: Record<string, string | null>,
  locks: string[],
  keepalive = false,
): Promise<void> {
  await sendJson('PUT', `/api/plans/${id}/assignments`, { assignments, locks }, { keepalive });
}

export async function deletePlan(id: number): Promise<void> {
  await sendJson('DELETE', `/api/plans/${id}`);
}
