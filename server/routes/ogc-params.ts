import { HttpError } from '../http-error.ts';
import type { BBox, ItemsQuery } from '../db/features-repo.ts';
import type { LayerDef } from '../db/layers.ts';

export const LIMIT_DEFAULT = 100;
export const LIMIT_MAX = 10_000;
const RESERVED = new Set(['bbox', 'limit', 'offset', 'f']);

type Query = Record<string, unknown>;

function single(query: Query, name: string): string | undefined {
  const v = query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new HttpError(400, `query parameter "${name}" must be given once`);
  return v;
}

function integer(query: Query, name: string, min: number, max: number, fallback: number): number {
  const raw = single(query, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new HttpError(400, `"${name}" must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

export function parseBBox(raw: string): BBox {
  const parts = raw.split(',');
  if (parts.length === 6)
    throw new HttpError(400, 'bbox with 6 values (3D) is not supported: give minLon,minLat,maxLon,maxLat');
  const nums = parts.map((s) => (s.trim() === '' ? NaN : Number(s)));
  if (nums.length !== 4 || nums.some((n) => !Number.isFinite(n))) {
    throw new HttpError(400, `bbox must be four numbers minLon,minLat,maxLon,maxLat, got "${raw}"`);
  }
  const [x0, y0, x1, y1] = nums;
  if (x0 < -180 || x1 > 180 || y0 < -90 || y1 > 90)
    throw new HttpError(400, `bbox is outside longitude/latitude range: "${raw}"`);
  if (x0 > x1 || y0 > y1) throw new HttpError(400, `bbox minimum is greater than its maximum: "${raw}"`);
  return [x0, y0, x1, y1];
}

/** The documents that take no parameter but the format: anything else is unknown (OGC: a 400). */
export function checkOnlyFormat(query: Query): void {
  const unknown = Object.keys(query).filter((name) => name !== 'f');
  if (unknown.length)
    throw new HttpError(
      400,
      `unknown query parameter${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}; allowed: f`,
    );
  checkFormat(query);
}

export function checkFormat(query: Query): void {
  const f = single(query, 'f');
  if (f !== undefined && f !== 'json' && f !== 'geojson') {
    throw new HttpError(400, `format f="${f}" is not offered; use f=json`);
  }
}

const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))?$/;

function instant(raw: string, whole: string): Date {
  const at = INSTANT.test(raw) ? new Date(raw) : undefined;
  if (!at || Number.isNaN(at.getTime())) {
    throw new HttpError(
      400,
      `datetime must be an RFC 3339 date or date-time, or an interval of them with ".." for an open end, got "${whole}"`,
    );
  }
  return at;
}

/** OGC `datetime`: an instant (a date means that whole UTC day) or an interval `start/end` with `..` or empty for an open end. */
export function parseDatetime(raw: string): [Date | null, Date | null] {
  const parts = raw.split('/');
  if (parts.length === 1) {
    const at = instant(raw, raw);
    return raw.length === 10 ? [at, new Date(at.getTime() + 86_400_000 - 1)] : [at, at];
  }
  if (parts.length !== 2) throw new HttpError(400, `datetime has at most one "/", got "${raw}"`);
  const [from, to] = parts.map((p) => (p === '' || p === '..' ? null : instant(p, raw)));
  if (!from && !to) throw new HttpError(400, `datetime "${raw}" is open at both ends`);
  if (from && to && from > to) throw new HttpError(400, `datetime starts after it ends: "${raw}"`);
  return [from, to];
}

export function parseItemsQuery(layer: LayerDef, query: Query): ItemsQuery {
  checkFormat(query);
  const bboxRaw = single(query, 'bbox');
  const datetimeRaw = layer.temporal ? single(query, 'datetime') : undefined;
  const equals: Record<string, string> = {};
  for (const name of Object.keys(query)) {
    if (RESERVED.has(name) || (name === 'datetime' && layer.temporal)) continue;
    if (!(name in layer.properties)) {
      const allowed = [...RESERVED, ...Object.keys(layer.properties)].join(', ');
      throw new HttpError(400, `unknown query parameter "${name}" for collection ${layer.id}; allowed: ${allowed}`);
    }
    equals[name] = single(query, name) as string;
  }
  return {
    bbox: bboxRaw === undefined ? undefined : parseBBox(bboxRaw),
    limit: integer(query, 'limit', 1, LIMIT_MAX, LIMIT_DEFAULT),
    offset: integer(query, 'offset', 0, Number.MAX_SAFE_INTEGER, 0),
    equals,
    datetime: datetimeRaw === undefined ? undefined : parseDatetime(datetimeRaw),
  };
}
