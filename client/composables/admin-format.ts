// Small pure helpers of the /admin page: area scopes as a level and a code, server errors as text, times.
import type { AreaScope } from '../api/admin';
import { ApiError } from '../api/http';

/** `memberUnit`: a member-unit account's unit (吹哨报到) instead of an area. */
export const SCOPE_LEVELS = ['county', 'street', 'community', 'grid', 'memberUnit'] as const;
export type ScopeLevel = (typeof SCOPE_LEVELS)[number];

/** The most specific level of a scope, and its code. */
export function scopeParts(scope: AreaScope): { level: ScopeLevel; id: string } {
  if (scope.memberUnitId) return { level: 'memberUnit', id: scope.memberUnitId };
  if (scope.gridId) return { level: 'grid', id: scope.gridId };
  if (scope.communityId) return { level: 'community', id: scope.communityId };
  if (scope.streetId) return { level: 'street', id: scope.streetId };
  return { level: 'county', id: '' };
}

/** What the API takes: only the level chosen (the server fills in the parents). */
export function scopeFrom(level: ScopeLevel, id: string): Partial<AreaScope> {
  const code = id.trim();
  if (level === 'county' || !code) return {};
  return { [`${level}Id`]: code };
}

/** The server's own message of a refused request ("… HTTP 400 the password must …" → "the password must …"). */
export function errorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof ApiError && error.kind === 'http') return message.replace(/^.*?HTTP \d{3} /, '');
  return message;
}

/** A time in the page's language, to the minute. */
export function formatTime(iso: string | null, locale: string): string {
  if (!iso) return '';
  return new Date(iso).toLocaleString(locale === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'short', timeStyle: 'short' });
}

/**
 * A compact one-line view of an audit row's change: of two objects only the fields that differ
 * (`disabled: false → true`), otherwise before → after as JSON.
 */
export function changeText(before: unknown, after: unknown): string {
  const json = (v: unknown) => (v === null || v === undefined ? '' : JSON.stringify(v));
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys
      .filter((k) => json(before[k]) !== json(after[k]))
      .map((k) => `${k}: ${json(before[k]) || '—'} → ${json(after[k]) || '—'}`)
      .join('; ');
  }
  return [json(before), json(after)].filter(Boolean).join(' → ');
}

/** The day after a yyyy-mm-dd date: the audit filter's "to" day is included. */
export function dayAfter(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
