import { describe, expect, it } from 'vitest';
import { changeText, dayAfter, errorText, scopeFrom, scopeParts } from '../../client/composables/admin-format.ts';
import { ApiError } from '../../client/api/http.ts';

describe('admin page helpers', () => {
  it('reads and writes an area scope as level and code', () => {
    expect(scopeParts({ streetId: 'S01', communityId: 'C02', gridId: null })).toEqual({
      level: 'community',
      id: 'C02',
    });
    expect(scopeParts({ streetId: null, communityId: null, gridId: null })).toEqual({ level: 'county', id: '' });
    expect(scopeFrom('grid', ' G003 ')).toEqual({ gridId: 'G003' });
    expect(scopeFrom('county', 'C01')).toEqual({});
    expect(scopeFrom('street', '')).toEqual({});
    expect(scopeFrom('memberUnit', ' MU007 ')).toEqual({ memberUnitId: 'MU007' });
    expect(scopeParts({ streetId: null, communityId: null, gridId: null, memberUnitId: 'MU007' })).toEqual({
      level: 'memberUnit',
      id: 'MU007',
    });
  });

  it('shows only the fields that changed', () => {
    expect(
      changeText({ role: 'reporter', disabled: false }, { role: 'reporter', disabled: true, sessionsEnded: 2 }),
    ).toBe('disabled: false → true; sessionsEnded: — → 2');
    expect(changeText(null, { sessionsEnded: 1 })).toBe('{"sessionsEnded":1}');
    expect(changeText(null, null)).toBe('');
  });

  it('includes the "to" day and shows the server\'s own message', () => {
    expect(dayAfter('2026-12-31')).toBe('2027-01-01');
    expect(
      errorText(
        new ApiError(
          'http',
          '/api/admin/users',
          'POST /api/admin/users: HTTP 400 the password must have at least 12 characters',
          400,
        ),
      ),
    ).toBe('the password must have at least 12 characters');
    expect(errorText(new Error('offline'))).toBe('offline');
  });
});
