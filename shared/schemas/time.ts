import * as z from 'zod';
import { EARLIEST_RECORD_YEAR } from '../domain/date-bounds';

/**
 * The one definition of a date and an instant in a request. The ISO formats alone accept year
 * 0000 (a default-filled field, not a date); zod's formats already refuse a fifth year digit.
 * Birth dates keep their own floor (`birthDateSchema`, patient.ts).
 */
const fromEarliestYear = `must be in ${EARLIEST_RECORD_YEAR} or later`;
// Checked only once the format holds (a five-digit year is a format error, not year 1000), and
// aborting, so a cross-field check (birth date before admission) does not add a second complaint.
const fromYear = (text: string) => !/^\d{4}-/.test(text) || Number(text.slice(0, 4)) >= EARLIEST_RECORD_YEAR;
const yearCheck = { message: fromEarliestYear, abort: true } as const;

/** A calendar date, YYYY-MM-DD. */
export const calendarDate = z.iso.date({ error: 'must be a date, YYYY-MM-DD', abort: true }).refine(fromYear, yearCheck);

/** A calendar month, YYYY-MM. */
export const calendarMonth = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: 'must be a month, YYYY-MM', abort: true })
  .refine(fromYear, yearCheck);

/** An instant with its offset (Z or ±hh:mm), kept as written. */
export const instant = z.iso
  .datetime({ offset: true, error: 'must be a date and time with an offset, e.g. 2026-03-01T09:30:00Z', abort: true })
  .refine(fromYear, yearCheck);

/** An instant normalised to UTC (…Z), for values that are compared or sorted as text (index keys, ranges). */
export const utcInstant = instant.transform((text) => new Date(text).toISOString());
