import { describe, expect, it } from 'vitest';
import {
  addWorkingHours,
  DEFAULT_CALENDAR,
  parsePeriods,
  parseWeekdays,
  withExceptions,
  workingHoursBetween,
} from '../../server/issues/working-hours.ts';

/** A Beijing wall-clock time as an instant. */
const bj = (local: string) => new Date(`${local}+08:00`);
const cal = DEFAULT_CALENDAR;

describe('working hours (Mon–Fri 8:30–12:00, 14:30–18:00 Beijing)', () => {
  it('adds hours within a morning', () => {
    expect(addWorkingHours(bj('2026-11-25T09:00:00'), 2, cal)).toEqual(bj('2026-11-25T11:00:00'));
  });

  it('skips the lunch break', () => {
    // 11:00 + 2 h: 1 h to noon, 1 h from 14:30. 11:00 + 5 h: 1 h to noon, 3.5 h to 18:00, 0.5 h next morning.
    expect(addWorkingHours(bj('2026-11-25T11:00:00'), 2, cal)).toEqual(bj('2026-11-25T15:30:00'));
    expect(addWorkingHours(bj('2026-11-25T11:00:00'), 5, cal)).toEqual(bj('2026-11-26T09:00:00'));
  });

  it('counts a report made at lunch, at night or on a weekend from the next working period', () => {
    expect(addWorkingHours(bj('2026-11-25T12:30:00'), 1, cal)).toEqual(bj('2026-11-25T15:30:00'));
    expect(addWorkingHours(bj('2026-11-25T22:00:00'), 1, cal)).toEqual(bj('2026-11-26T09:30:00'));
    // Friday 17:00 + 2 h → Monday 9:30; Saturday → Monday.
    expect(addWorkingHours(bj('2026-11-27T17:00:00'), 2, cal)).toEqual(bj('2026-11-30T09:30:00'));
    expect(addWorkingHours(bj('2026-11-28T10:00:00'), 1, cal)).toEqual(bj('2026-11-30T09:30:00'));
  });

  it('ends a deadline at the end of a period rather than the next morning', () => {
    expect(addWorkingHours(bj('2026-11-25T08:30:00'), 3.5, cal)).toEqual(bj('2026-11-25T12:00:00'));
    expect(addWorkingHours(bj('2026-11-25T08:30:00'), 7, cal)).toEqual(bj('2026-11-25T18:00:00'));
  });

  it('makes 15 working days three calendar weeks', () => {
    expect(addWorkingHours(bj('2026-11-02T08:30:00'), 15 * 7, cal)).toEqual(bj('2026-11-20T18:00:00'));
  });

  it('skips public holidays and works the exchanged weekend days (调休)', () => {
    const national = withExceptions(cal, [
      ...['01', '02', '03', '04', '05', '06', '07'].map((d) => ({ day: `2026-10-${d}`, workday: false })),
      { day: '2026-10-10', workday: true },
    ]);
    // Wednesday 30 September 17:00 + 2 h → Thursday 8 October 9:30.
    expect(addWorkingHours(bj('2026-09-30T17:00:00'), 2, national)).toEqual(bj('2026-10-08T09:30:00'));
    // Friday 9 October 17:00 + 2 h → Saturday 10 October (a working day) 9:30.
    expect(addWorkingHours(bj('2026-10-09T17:00:00'), 2, national)).toEqual(bj('2026-10-10T09:30:00'));
  });

  it('measures working hours between two instants, the inverse of adding them', () => {
    expect(workingHoursBetween(bj('2026-11-25T11:00:00'), bj('2026-11-26T09:00:00'), cal)).toBe(5);
    expect(workingHoursBetween(bj('2026-11-27T17:00:00'), bj('2026-11-30T09:30:00'), cal)).toBe(2);
    expect(workingHoursBetween(bj('2026-11-28T00:00:00'), bj('2026-11-29T23:59:00'), cal)).toBe(0);
    expect(workingHoursBetween(bj('2026-11-26T00:00:00'), bj('2026-11-25T00:00:00'), cal)).toBe(0);
    for (const [start, hours] of [
      ['2026-11-25T07:13:00', 13.25],
      ['2026-11-27T16:45:00', 40],
      ['2026-11-25T12:10:00', 0.5],
    ] as const) {
      const end = addWorkingHours(bj(start), hours, cal);
      expect(workingHoursBetween(bj(start), end, cal), `${start} + ${hours}`).toBeCloseTo(Math.max(hours, 0), 5);
    }
  });

  it('rounds a start with seconds up to the next minute, never making a deadline early', () => {
    expect(addWorkingHours(new Date(bj('2026-11-25T09:00:00').getTime() + 20_000), 1, cal)).toEqual(
      bj('2026-11-25T10:01:00'),
    );
  });

  it('parses configured periods and weekdays, and refuses nonsense', () => {
    expect(parsePeriods('14:30-18:00, 08:30-12:00')).toEqual([
      [510, 720],
      [870, 1080],
    ]);
    expect(parseWeekdays('1-5')).toEqual([1, 2, 3, 4, 5]);
    expect(parseWeekdays('1-5,6')).toEqual([1, 2, 3, 4, 5, 6]);
    expect(() => parsePeriods('8-12')).toThrow(/HH:MM/);
    expect(() => parsePeriods('12:00-08:00')).toThrow(/within a day/);
    expect(() => parsePeriods('08:00-12:00,11:00-13:00')).toThrow(/overlap/);
    expect(() => parseWeekdays('7')).toThrow(/weekday/);
    expect(() => addWorkingHours(new Date(), -1, cal)).toThrow();
  });
});
