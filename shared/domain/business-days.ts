import { addDays, endOfLocalDay, localDate, weekdayOf, type LocalDate } from './clock';

/**
 * Business-day arithmetic for transitional-care deadlines (CPT 99495/99496: interactive contact
 * within 2 business days of discharge). Business days are Monday–Friday minus US federal
 * holidays, observed on the nearest weekday, and the facility's own holidays. Every day here is
 * the facility's local calendar day: a 20:00 discharge in New York is that day's, not the next
 * UTC day's.
 */
const DAY_MS = 86_400_000;

function utcDate(year: number, month: number, day: number): Date {
  return new Date(Date.UTC(year, month, day));
}

function nthWeekday(year: number, month: number, weekday: number, n: number): Date {
  const first = utcDate(year, month, 1);
  const offset = (weekday - first.getUTCDay() + 7) % 7;
  return utcDate(year, month, 1 + offset + (n - 1) * 7);
}

function lastWeekday(year: number, month: number, weekday: number): Date {
  const last = utcDate(year, month + 1, 0);
  const offset = (last.getUTCDay() - weekday + 7) % 7;
  return utcDate(year, month, last.getUTCDate() - offset);
}

function observed(date: Date): Date {
  const day = date.getUTCDay();
  if (day === 6) return new Date(date.getTime() - DAY_MS);
  if (day === 0) return new Date(date.getTime() + DAY_MS);
  return date;
}

const MON = 1;
const THU = 4;

export function usFederalHolidays(year: number): string[] {
  const days = [
    observed(utcDate(year, 0, 1)),
    nthWeekday(year, 0, MON, 3),
    nthWeekday(year, 1, MON, 3),
    lastWeekday(year, 4, MON),
    observed(utcDate(year, 5, 19)),
    observed(utcDate(year, 6, 4)),
    nthWeekday(year, 8, MON, 1),
    nthWeekday(year, 9, MON, 2),
    observed(utcDate(year, 10, 11)),
    nthWeekday(year, 10, THU, 4),
    observed(utcDate(year, 11, 25)),
  ];
  return days.map((d) => d.toISOString().slice(0, 10));
}

export function isBusinessDay(date: LocalDate, holidays: ReadonlySet<string>): boolean {
  const day = weekdayOf(date);
  return day !== 0 && day !== 6 && !holidays.has(date);
}

/**
 * The end (last millisecond, facility time) of the `count`-th business day after the local day
 * of `from` (the discharge day itself never counts). Holidays are local dates.
 */
export function businessDaysAfter(from: Date, count: number, timeZone: string, extraHolidays: readonly string[] = []): Date {
  let cursor = localDate(from, timeZone);
  const year = Number(cursor.slice(0, 4));
  const holidays = new Set([...[year, year + 1].flatMap(usFederalHolidays), ...extraHolidays]);
  let remaining = count;
  while (remaining > 0) {
    cursor = addDays(cursor, 1);
    if (isBusinessDay(cursor, holidays)) remaining -= 1;
  }
  return endOfLocalDay(cursor, timeZone);
}
