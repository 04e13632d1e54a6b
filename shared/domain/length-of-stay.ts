import { daysBetween, localDate } from './clock';

/**
 * Length of stay, the one definition every score and metric uses: the midnights the stay spans,
 * i.e. the facility's local discharge date minus its local admission date (HCUP: "subtracting the
 * admission date from the discharge date; same-day stays are coded as 0"). A stay admitted and
 * discharged on one local day is 0 days, which is LACE's "<1 day" row; 23:30 to 00:30 the next
 * day is 1. Local dates, not UTC ones: a 21:00 New York admission is not a day longer.
 */
export function lengthOfStayDays(admittedAt: string, dischargedAt: string, timeZone: string): number {
  return Math.max(0, daysBetween(localDate(admittedAt, timeZone), localDate(dischargedAt, timeZone)));
}
