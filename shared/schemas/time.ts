import * as z from 'zod';
import { EARLIEST_RECORD_YEAR } from '../domain/date-bounds';

/**
 * The one definition of a date and an instant in a request. The ISO formats alone accept year
 * 0000 (a default-filled field, not a date); zod's formats already refuse a fifth year digit.
 * Birth dates keep their own floor (`birthDateSchema`, patient.ts).
 */
const fromEarliestYear = `must be in ${EARLIEST_RECORD_YEAR} or later`;
const yearOf = (text: string) => Number(text.slice(0, 4));

/** A calendar date, YYYY-MM-DD. */
export const calendarDate = z.iso.date('must be a date, YYYY-MM-DD').refine((text) => yearOf(text) >= EARLIEST_RECORD_YEAR, fromEarliestYear);

/** A calendar month, YYYY-MM. */
export const calendarMonth = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month, YYYY-MM')
  .refine((text) => yearOf(text) >= EARLIEST_RECORD_YEAR, fromEarliestYear);

/** An instant with its offset (Z or ±hh:mm), kept as written. */
export const instant = z.iso
  .datetime({ offset: true, error: 'must be a date and time with an offset, e.g. 2026-03-01T09:30:00Z' })
  .refine((text) => yearOf(text) >= EARLIEST_RECORD_YEAR, fromEarliestYear);

/** An instant normalised to UTC (…Z), for values that are compared or sorted as text (index keys, ranges). */
export const utcInstant = instant.transform((text) => new Date(text).toISOString());
