/**
 * Business-day arithmetic for transitional-care deadlines (CPT 99495/99496: interactive contact
 * within 2 business days of discharge). Business days are Monday–Friday minus US federal
 * holidays, observed on the nearest weekday. Dates are calendar dates in UTC; a facility time
 * zone is a known gap (see docs/architecture.md).
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

export function isBusinessDay(date: Date, holidays: ReadonlySet<string>): boolean {
  const day = date.getUTCDay();
  return day !== 0 && day !== 6 && !holidays.has(date.toISOString().slice(0, 10));
}

/**
 * The end of the `count`-th business day after `from` (the discharge day itself never counts),
 * as an ISO instant at 23:59:59.999Z.
 */
export function businessDaysAfter(from: Date, count: number, extraHolidays: readonly string[] = []): Date {
  const years = [from.getUTCFullYear(), from.getUTCFullYear() + 1];
  const holidays = new Set([...years.flatMap(usFederalHolidays), ...extraHolidays]);
  let cursor = utcDate(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
  let remaining = count;
  while (remaining > 0) {
    cursor = new Date(cursor.getTime() + DAY_MS);
    if (isBusinessDay(cursor, holidays)) remaining -= 1;
  }
  return new Date(cursor.getTime() + DAY_MS - 1);
}
