import { HttpError } from '../http-error.ts';

/** The 409 of an edit to a published plan. */
export function publishedPlanError(id: number, what: string): HttpError {
  return new HttpError(
    409,
    `plan ${id} is published and read-only (${what}): open a copy as a new draft (POST /api/plans with "copyOf": ${id}) or restore it from the history`,
    'PlanPublished',
    { id },
  );
}

export const noPlan = (id: number | undefined) => new HttpError(404, `no plan ${id}`);
