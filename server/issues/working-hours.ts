/**
 * Working-hours arithmetic for deadlines and overdue flags (pure). A calendar is a weekly pattern of
 * working periods in local time at a fixed UTC offset (Beijing: +8, no daylight saving), plus exceptions:
 * public holidays and the weekend days worked in exchange (调休), as ISO dates.
 */

export interface WorkingCalendar {
  /** Minutes east of UTC of the local time the periods are in (Beijing: 480). */
  utcOffsetMinutes: number;
  /** Working weekdays, 0 = Sunday … 6 = Saturday. */
  weekdays: readonly number[];
  /** Working periods of a working day, [start, end) in minutes after local midnight, ascending. */
  periods: readonly (readonly [number, number])[];
  /** Exceptions by local date 'YYYY-MM-DD': false = holiday, true = working day (调休). */
  exceptions: ReadonlyMap<string, boolean>;
}

const MINUTE = 60_000;
const DAY_MINUTES = 24 * 60;

/** Mon–Fri 8:30–12:00 and 14:30–18:00 Beijing time: 7 working hours a day. */
export const DEFAULT_CALENDAR: WorkingCalendar = {
  utcOffsetMinutes: 480,
  weekdays: [1, 2, 3, 4, 5],
  periods: [
    [8 * 60 + 30, 12 * 60],
    [14 * 60 + 30, 18 * 60],
  ],
  exceptions: new Map(),
};

/** Parses "08:30-12:00,14:30-18:00" into periods; throws naming the problem. */
export function parsePeriods(text: string): [number, number][] {
  const periods = text.split(',').map((part) => {
    const m = /^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$/.exec(part);
    if (!m) throw new Error(`working hours: "${part}" is not HH:MM-HH:MM`);
    const start = Number(m[1]) * 60 + Number(m[2]);
    const end = Number(m[3]) * 60 + Number(m[4]);
    if (!(start < end && end <= DAY_MINUTES && Number(m[2]) < 60 && Number(m[4]) < 60))
      throw new Error(`working hours: "${part}" is not a period within a day`);
    return [start, end] as [number, number];
  });
  periods.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < periods.length; i++) {
    if (periods[i][0] < periods[i - 1][1]) throw new Error(`working hours: periods overlap in "${text}"`);
  }
  return periods;
}

/** Parses "1-5" or "1,2,3,4,5,6" (0 = Sunday) into weekdays. */
export function parseWeekdays(text: string): number[] {
  const days = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^\s*([0-6])\s*(?:-\s*([0-6])\s*)?$/.exec(part);
    if (!m) throw new Error(`working days: "${part}" is not a weekday 0–6 (0 = Sunday) or a range like 1-5`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from) throw new Error(`working days: "${part}" runs backwards`);
    for (let d = from; d <= to; d++) days.add(d);
  }
  return [...days].sort();
}

/** Local day number (days since 1970-01-01 local) and minute of that day for an instant. */
function localParts(at: Date, cal: WorkingCalendar): { day: number; minute: number } {
  const localMinutes = Math.floor(at.getTime() / MINUTE) + cal.utcOffsetMinutes;
  const day = Math.floor(localMinutes / DAY_MINUTES);
  return { day, minute: localMinutes - day * DAY_MINUTES };
}

function instantOf(day: number, minute: number, cal: WorkingCalendar): Date {
  return new Date((day * DAY_MINUTES + minute - cal.utcOffsetMinutes) * MINUTE);
}

/** 'YYYY-MM-DD' of a local day number. */
export function isoDay(day: number): string {
  return new Date(day * DAY_MINUTES * MINUTE).toISOString().slice(0, 10);
}

export function isWorkingDay(day: number, cal: WorkingCalendar): boolean {
  const exception = cal.exceptions.get(isoDay(day));
  if (exception !== undefined) return exception;
  const weekday = (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
  return cal.weekdays.includes(weekday);
}

function dayMinutes(cal: WorkingCalendar): number {
  return cal.periods.reduce((sum, [a, b]) => sum + (b - a), 0);
}

/**
 * The instant `hours` working hours after `start`. A start outside working time counts from the next
 * working period; a deadline that ends exactly at a period's end stays there (not the next morning).
 */
export function addWorkingHours(start: Date, hours: number, cal: WorkingCalendar): Date {
  if (!(hours >= 0)) throw new Error(`addWorkingHours: hours must be ≥ 0, got ${hours}`);
  if (cal.periods.length === 0 || dayMinutes(cal) === 0)
    throw new Error('addWorkingHours: the calendar has no working periods');
  // Whole minutes of work, rounding seconds of the start up so that no deadline comes early.
  let remaining = Math.round(hours * 60);
  const startMs = Math.ceil(start.getTime() / MINUTE) * MINUTE;
  let { day, minute } = localParts(new Date(startMs), cal);
  for (let guard = 0; guard < 366 * 20; guard++) {
    if (isWorkingDay(day, cal)) {
      for (const [a, b] of cal.periods) {
        if (minute >= b) continue;
        const from = Math.max(minute, a);
        const available = b - from;
        if (remaining <= available) return instantOf(day, from + remaining, cal);
        remaining -= available;
        minute = b;
      }
    }
    day += 1;
    minute = 0;
  }
  throw new Error('addWorkingHours: no working time within 20 years (is every day a holiday?)');
}

/** Working hours between two instants (0 when end ≤ start), to the minute. */
export function workingHoursBetween(start: Date, end: Date, cal: WorkingCalendar): number {
  if (end.getTime() <= start.getTime()) return 0;
  const a = localParts(start, cal);
  const b = localParts(end, cal);
  let minutes = 0;
  for (let day = a.day; day <= b.day; day++) {
    if (!isWorkingDay(day, cal)) continue;
    const lo = day === a.day ? a.minute : 0;
    const hi = day === b.day ? b.minute : DAY_MINUTES;
    for (const [p, q] of cal.periods) minutes += Math.max(0, Math.min(q, hi) - Math.max(p, lo));
  }
  return minutes / 60;
}

/** A calendar with these exceptions added (from the working_calendar table). */
export function withExceptions(
  cal: WorkingCalendar,
  rows: readonly { day: string; workday: boolean }[],
): WorkingCalendar {
  const exceptions = new Map(cal.exceptions);
  for (const r of rows) exceptions.set(r.day, r.workday);
  return { ...cal, exceptions };
}

/** The weekly pattern of the configuration (WORKING_DAYS, WORKING_HOURS), without exceptions yet. */
export function calendarFromConfig(config: {
  workingDays: string;
  workingHours: string;
  utcOffsetMinutes: number;
}): WorkingCalendar {
  return {
    utcOffsetMinutes: config.utcOffsetMinutes,
    weekdays: parseWeekdays(config.workingDays),
    periods: parsePeriods(config.workingHours),
    exceptions: new Map(),
  };
}
