// The shape of every id and label that crosses the API: ids of areas, units, people, categories and codes are
// 1–40 letters, digits, "_" or "-"; grid labels of a plan 1–32. Anchored character classes: no backtracking.
import { z } from 'zod';

export const ID_PATTERN = /^[A-Za-z0-9_-]{1,40}$/;
export const LABEL_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

export const isId = (value: unknown): value is string => typeof value === 'string' && ID_PATTERN.test(value);
export const isLabel = (value: unknown): value is string => typeof value === 'string' && LABEL_PATTERN.test(value);

/** An id field; `what` names it in the 400 (e.g. "an area is a grid, community or street id"). */
export const idSchema = (what = 'an id') => z.string().regex(ID_PATTERN, `${what}: 1–40 letters, digits, "_" or "-"`);
/** A grid label of a plan. */
export const labelSchema = (what = 'a grid label') =>
  z.string().regex(LABEL_PATTERN, `${what}: 1–32 letters, digits, "_" or "-"`);
