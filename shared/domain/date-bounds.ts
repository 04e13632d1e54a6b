/**
 * How far back a date in a care record can go. Older dates are typing or interface mistakes
 * (`0000-00-00`-style defaults, a year without its century), and JavaScript's Date reads years
 * 0–99 as 1900–1999, so such a date would be stored as a different one rather than refused.
 */

/** The earliest birth date a record accepts: no one alive was born before it. */
export const EARLIEST_BIRTH_DATE = '1880-01-01';

/** The earliest year of any other date or instant (an admission, an order, a due date, a report period). */
export const EARLIEST_RECORD_YEAR = 1900;

/** The earliest year anything in a record can carry (a birth date): the floor for HL7 times, whose field decides the rest. */
export const EARLIEST_YEAR = Number(EARLIEST_BIRTH_DATE.slice(0, 4));
