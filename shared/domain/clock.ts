/** Clocks differ a little between hospital systems; more than five minutes ahead is an error. */
export const CLOCK_SKEW_MS = 5 * 60_000;

export const isInTheFuture = (iso: string, now: Date = new Date()): boolean => new Date(iso).getTime() > now.getTime() + CLOCK_SKEW_MS;

/**
 * Clinical days are the facility's local calendar days (its IANA zone from the stage config):
 * a TCM deadline, an "end of day", a length of stay, a metrics day. Plain Intl, no time-zone
 * library: the runtime's ICU data holds the zone rules.
 */
const DAY_MS = 86_400_000;

/** YYYY-MM-DD, a calendar date with no zone. */
export type LocalDate = string;

const formatters = new Map<string, Intl.DateTimeFormat>();
const formatterFor = (timeZone: string) => {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
};

/** The wall clock in `timeZone` at an instant, as if it were UTC (milliseconds kept). */
function wallClockMs(epochMs: number, timeZone: string): number {
  const parts = formatterFor(timeZone).formatToParts(new Date(epochMs));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'), ((epochMs % 1000) + 1000) % 1000);
}

/** Minutes the zone is ahead of UTC at an instant (New York in July: -240). */
export const utcOffsetMinutes = (epochMs: number, timeZone: string): number =>
  Math.round((wallClockMs(epochMs, timeZone) - epochMs) / 60_000);

/** The facility's calendar date at an instant. */
export function localDate(at: string | Date | number, timeZone: string): LocalDate {
  const ms = typeof at === 'number' ? at : new Date(at).getTime();
  return new Date(wallClockMs(ms, timeZone)).toISOString().slice(0, 10);
}

/** The facility's local date and hour of an instant. */
export function localDateAndHour(at: string | Date, timeZone: string): { day: LocalDate; hour: number } {
  const wall = new Date(wallClockMs(new Date(at).getTime(), timeZone));
  return { day: wall.toISOString().slice(0, 10), hour: wall.getUTCHours() };
}

/**
 * The instant a local wall-clock time names in `timeZone` (`wallMs`: its fields as if UTC).
 * Daylight saving leaves two cases without one answer; both follow RFC 5545 §3.3.5 (as do
 * java.time and TC39 Temporal's "compatible"):
 * - a time in the spring-forward gap (02:30 on the US spring day) does not exist: it is read with
 *   the offset in force before the gap, so it lands as far after the gap as it was into it (03:30);
 * - a time in the fall-back hour happens twice: the first occurrence (the earlier offset) is taken.
 */
export function instantOfLocal(wallMs: number, timeZone: string): number {
  if (timeZone === 'UTC') return wallMs;
  // Zone transitions are months apart: the offsets a day either side are the only candidates.
  const before = utcOffsetMinutes(wallMs - DAY_MS, timeZone);
  const after = utcOffsetMinutes(wallMs + DAY_MS, timeZone);
  const fits = [before, after]
    .map((offset) => wallMs - offset * 60_000)
    .filter((ms) => utcOffsetMinutes(ms, timeZone) * 60_000 === wallMs - ms);
  if (fits.length > 0) return Math.min(...fits);
  return wallMs - before * 60_000;
}

const dateMs = (date: LocalDate) => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));

export const addDays = (date: LocalDate, days: number): LocalDate => new Date(dateMs(date) + days * DAY_MS).toISOString().slice(0, 10);

/** The same day of the month `months` earlier or later, clamped to the month's last day (31 Aug − 6 months = 28/29 Feb). */
export function addMonths(date: LocalDate, months: number): LocalDate {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7)) - 1 + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(Number(date.slice(8, 10)), lastDay))).toISOString().slice(0, 10);
}

/** Calendar days from one date to another (0 for the same date). */
export const daysBetween = (from: LocalDate, to: LocalDate): number => Math.round((dateMs(to) - dateMs(from)) / DAY_MS);

/** 0 Sunday … 6 Saturday. */
export const weekdayOf = (date: LocalDate): number => new Date(dateMs(date)).getUTCDay();

/** The first instant of a local day (its midnight, or the first time it has when midnight falls in a gap). */
export const startOfLocalDay = (date: LocalDate, timeZone: string): Date => new Date(instantOfLocal(dateMs(date), timeZone));

/** The last millisecond of a local day: "by the end of the day" at the facility. */
export const endOfLocalDay = (date: LocalDate, timeZone: string): Date =>
  new Date(startOfLocalDay(addDays(date, 1), timeZone).getTime() - 1);
